import Foundation
import PsaverState
import PsaverSystem
import Testing

/// pcheck started by a parent that ignores signals (nohup ignores SIGHUP; some agents
/// ignore SIGCHLD) must still reap its scripts and still reload on SIGHUP.
@Suite("pcheck under inherited ignored signals", .serialized, .timeLimit(.minutes(2)))
struct PcheckInheritedSignalTests {
    @Test func ignoredSigchldAndSighup_stillRestartAndReload() throws {
        let box = try Sandbox("sigign")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let log = "\(box.folder)/pcheck.log"
        // bash's `trap ""` sets SIG_IGN (dash's does not for CHLD); exec keeps it.
        let engine = try Program(
            "/bin/bash", ["-c", "trap '' HUP CHLD; exec \"$0\" -f \"$1\" --log \"$2\"", Sandbox.binary("pcheck"), pfile, log],
            in: box, name: "sh-pcheck")
        defer { engine.stop() }
        func logText() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        // Missing at start-up: the restart script's end must be reaped, or the entry
        // would sit in RESTARTING until RESTART_TIMEOUT.
        let first = try waitFor("the service up", timeout: 15) { () -> Int32? in
            guard let entry = box.state()?.entries.first, entry.procSts == .avail else { return nil }
            return entry.pid
        }
        #expect(logText().contains("restart script ended: exit status 0"), "\(logText())")
        kill(first, SIGKILL)
        _ = try waitFor("a new pid", timeout: 15) { () -> Bool? in
            guard let entry = box.state()?.entries.first, entry.procSts == .avail, entry.pid != first else { return nil }
            return true
        }

        engine.signal(SIGHUP)
        _ = try waitFor("the reload", timeout: 15) { logText().contains("pfile reloaded") ? true : nil }
        engine.signal(SIGTERM)
        #expect(try engine.wait(timeout: 15) == 0)
    }
}
