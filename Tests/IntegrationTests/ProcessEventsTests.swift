import Foundation
import PsaverSystem
import Testing

/// The kernel's process-events connector, as `ProcessEvents` reads it, on its own.
@Suite("the kernel's process-events connector", .serialized, .timeLimit(.minutes(1)))
struct ProcessEventsTests {
    @Test(.enabled(if: getuid() == 0, "skipped: the process-events connector needs root (CAP_NET_ADMIN)"))
    func forksAndExecsAreReported_exitsOnlyWhenAskedFor() throws {
        let box = try Sandbox("procevents")
        defer { box.close() }
        let events = try ProcessEvents()

        // Exits not asked for: the kill of `first` never reaches the socket.
        let first = ProcessID(try box.startService(try box.service("first")))
        #expect(kill(first.rawValue, SIGKILL) == 0)
        // Started after the kill: once its exec is read, the kill's exit would have been too.
        let marker = ProcessID(try box.startService(try box.service("marker")))
        var seen = try collect(from: events, about: [first, marker], until: .exec(process: marker))
        #expect(seen.contains(.exec(process: first)), "no exec reported for the first service: \(seen)")
        #expect(seen.contains { if case .fork(_, first) = $0 { true } else { false } }, "no fork: \(seen)")
        #expect(!seen.contains(.exit(process: first)), "an exit came though none was asked for: \(seen)")

        // Asked for: the kill of `second` is reported.
        try events.reportExits(true)
        let second = ProcessID(try box.startService(try box.service("second")))
        #expect(kill(second.rawValue, SIGKILL) == 0)
        seen = try collect(from: events, about: [second], until: .exit(process: second))
        #expect(seen.contains(.exit(process: second)))

        // Room for reports that wait while the engine pauses between batches.
        var room: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(events.descriptor.rawValue, SOL_SOCKET, SO_RCVBUF, &room, &size) == 0)
        #expect(room >= 4 << 20)
    }

    /// The events about `pids` read until `last` comes (every process on the host reports here).
    func collect(from events: ProcessEvents, about pids: Set<ProcessID>, until last: ProcessEvents.Event) throws
        -> [ProcessEvents.Event]
    {
        var seen: [ProcessEvents.Event] = []
        _ = try waitFor("\(last) to be reported", timeout: 10) { () -> Bool? in
            seen += try events.read().filter {
                switch $0 {
                case .exec(let who), .exit(let who): pids.contains(who)
                case .fork(_, let child): pids.contains(child)
                }
            }
            return seen.contains(last) ? true : nil
        }
        Thread.sleep(forTimeInterval: 0.2)
        seen += try events.read().filter { if case .exit(let who) = $0 { pids.contains(who) } else { false } }
        return seen
    }
}
