import Foundation
import PsaverSystem
import Testing

/// The kernel's process-events connector, as `ProcessEvents` reads it, on its own.
@Suite("the kernel's process-events connector", .serialized, .timeLimit(.minutes(1)))
struct ProcessEventsTests {
    @Test(.enabled(if: getuid() == 0, "skipped: the process-events connector needs root (CAP_NET_ADMIN)"))
    func theConnectorReportsForkAndExec_throughAFilterThatKeepsEverythingElseInTheKernel() throws {
        let box = try Sandbox("procevents")
        defer { box.close() }
        let svc = try box.service("watched")
        let marker = try box.service("marker")
        let events = try ProcessEvents()

        let pid = try box.startService(svc)
        let process = ProcessID(pid)
        #expect(kill(pid, SIGKILL) == 0)
        // Started after the kill: once its exec is read, the kill's exit would have been too.
        let markerPID = ProcessID(try box.startService(marker))

        // Every process on the host reports here; keep these two's events only.
        var seen: [ProcessEvents.Event] = []
        _ = try waitFor("the exec of \(marker) (pid \(markerPID)) to be reported", timeout: 10) { () -> Bool? in
            seen += try events.read().filter {
                switch $0 {
                case .exec(let who): who == process || who == markerPID
                case .fork(_, let child): child == process || child == markerPID
                }
            }
            return seen.contains(.exec(process: markerPID)) ? true : nil
        }
        Thread.sleep(forTimeInterval: 0.2)
        seen += try events.read().filter { if case .exec(process) = $0 { true } else { false } }

        #expect(seen.contains(.exec(process: process)), "no exec reported for \(svc): \(seen)")
        #expect(seen.contains { if case .fork(_, process) = $0 { true } else { false } }, "no fork: \(seen)")
        #expect(seen.filter { $0 == .exec(process: process) }.count == 1, "only its one exec: \(seen)")
        // The filter that drops exits and the rest before they wake the reader (5 instructions).
        var length: socklen_t = 0
        #expect(getsockopt(events.descriptor.rawValue, SOL_SOCKET, SO_GET_FILTER, nil, &length) == 0)
        #expect(length == 5)
        // Room for reports that wait while the engine pauses between batches.
        var room: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(events.descriptor.rawValue, SOL_SOCKET, SO_RCVBUF, &room, &size) == 0)
        #expect(room >= 4 << 20)
    }
}
