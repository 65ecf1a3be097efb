@testable import PsaverEngine
import PsaverSystem
import Testing

@Suite("Execs waiting to be checked")
struct PendingExecsTests {
    @Test func batchesComeOldestFirst_eachPidOnce() {
        var pending = PendingExecs()
        for pid in [5, 7, 5, 9, 11] { pending.append(ProcessID(Int32(pid))) }

        #expect(pending.takeBatch(2).map(\.rawValue) == [5, 7])
        #expect(!pending.contains(ProcessID(5)))
        #expect(pending.contains(ProcessID(9)))
        #expect(pending.takeBatch(10).map(\.rawValue) == [9, 11])
        #expect(pending.isEmpty)
    }

    @Test func aPidTakenOnce_canComeBackWithALaterExec() {
        var pending = PendingExecs()
        pending.append(ProcessID(5))
        _ = pending.takeBatch(1)
        pending.append(ProcessID(5))

        #expect(pending.takeBatch(1).map(\.rawValue) == [5])
    }
}
