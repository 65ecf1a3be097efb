import Foundation
import PsaverSystem
import Testing

/// The kernel's process-events connector, as `ProcessEvents` reads it. Not yet
/// wired into the engine: this checks the component on its own.
@Suite("the kernel's process-events connector", .serialized, .timeLimit(.minutes(1)))
struct ProcessEventsTests {
    @Test(.enabled(if: getuid() == 0, "skipped: the process-events connector needs root (CAP_NET_ADMIN)"))
    func theConnectorReportsTheExecAndTheKillOfAUniquelyNamedProcess() throws {
        let box = try Sandbox("procevents")
        defer { box.close() }
        let svc = try box.service("watched")
        let events = try ProcessEvents()

        let pid = try box.startService(svc)
        let process = ProcessID(pid)
        #expect(kill(pid, SIGKILL) == 0)

        // Every process on the host reports here; keep this one's events only.
        var seen: [ProcessEvents.Event] = []
        _ = try waitFor("the exit of \(svc) (pid \(pid)) to be reported", timeout: 10) { () -> Bool? in
            seen += try events.read().filter {
                switch $0 {
                case .exec(let who), .exit(let who, _): who == process
                case .fork(_, let child): child == process
                }
            }
            return seen.contains { if case .exit = $0 { true } else { false } } ? true : nil
        }

        let exec = seen.firstIndex(of: .exec(process: process))
        let exit = seen.firstIndex { if case .exit = $0 { true } else { false } }
        #expect(exec != nil, "no exec reported for \(svc): \(seen)")
        #expect(exec ?? .max < exit ?? .min, "the exec comes before the exit: \(seen)")
        if let exit, case .exit(_, let status) = seen[exit] {
            // A wait(2) status: killed by SIGKILL, no exit code.
            #expect(status & 0x7f == SIGKILL)
        }
    }
}
