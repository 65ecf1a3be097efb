import Foundation
import PsaverState
import PsaverSystem
import Testing

/// At boot the application may still be starting when pcheck first looks: with
/// `--startup-grace` a missing process is waited for, not restarted and counted.
@Suite("pcheck --startup-grace", .serialized, .timeLimit(.minutes(2)))
struct PcheckStartupGraceTests {
    @Test func aServiceStartingAfterTheEngine_isAvail_withRetryZero_andNoRestartSpent() throws {
        let box = try Sandbox("grace")
        defer { box.close() }
        let svc = try box.service("a")
        // retry 0: without the grace, the first look would be retry over and exit 1.
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:0:exit"])
        let engine = try PcheckRun(box, pfile: pfile, arguments: ["--startup-grace", "600"])
        defer { engine.stop() }
        try engine.waitForEntry(1, "WAITING in its start-up grace") { $0.procSts == .waiting }
        #expect(box.pids(of: svc).isEmpty, "no restart script ran")

        let pid = try box.startService(svc)
        let up = try engine.waitForUp()
        #expect(up.pid == pid)
        #expect(up.restartCount == 0 && up.retryCount == 0)
        #expect(engine.isRunning)
        #expect(engine.log.contains("waiting up to 600 s (start-up grace)"), "\(engine.log)")
    }
}
