import PsaverConfig
import PsaverProcessTable
import PsaverSystem
import Testing
@testable import PsaverEngine

@Suite("Known processes: the successors a death is given without a pass")
struct KnownProcessesTests {
    let a = ProcessIdentity(pid: ProcessID(10), startTime: 1)
    let b = ProcessIdentity(pid: ProcessID(11), startTime: 2)
    let java = PentID(1), cron = PentID(2)

    @Test func aFullPassReplacesEverything_andPidsKnowTheirEntries() {
        var known = KnownProcesses()
        known.replaceAll([java: [a, b], cron: [b]])
        #expect(known[java] == [a, b] && Set(known.entries(of: b.pid)) == [java, cron])
        known.replaceAll([cron: [a]])
        #expect(known[java].isEmpty && known.entries(of: b.pid).isEmpty && known.entries(of: a.pid) == [cron])
    }

    @Test func aPassOverOneEntry_replacesOnlyThatEntry() {
        var known = KnownProcesses()
        known.replaceAll([java: [a], cron: [a]])
        known.replace(java, [b])
        #expect(known[java] == [b] && known[cron] == [a])
        #expect(known.entries(of: a.pid) == [cron] && known.entries(of: b.pid) == [java])
    }

    @Test func anExecOrForkReport_addsOnce() {
        var known = KnownProcesses()
        let first = known.add(java, a)
        let again = known.add(java, a)
        #expect(first && !again)
        #expect(known[java] == [a] && known.entries(of: a.pid) == [java])
    }
}

extension KnownProcessesTests {
    @Test func aProcessThatEnded_isForgottenByEveryEntry() {
        var known = KnownProcesses()
        known.replaceAll([java: [a, b], cron: [a]])
        known.remove(a)
        #expect(known[java] == [b] && known[cron].isEmpty && known.entries(of: a.pid).isEmpty)
    }
}
