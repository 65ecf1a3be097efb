import Foundation
import PsaverState
import PsaverSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// DESIGN §2: the restart script runs only once the dead process is gone from the
/// process table. Where its parent (PID 1 in a container, or here a parent of the
/// test's own) reaps it late, the zombie still holds its pid, and a lock file that
/// names that pid (PostgreSQL's postmaster.pid) still looks taken.
@Suite("restart scripts never race the reaper", .serialized, .timeLimit(.minutes(3)))
struct RealServerReaperTests {
    static let python = RealServer.python

    func startUnderLateReaper(_ box: Sandbox, _ svc: String, delay: Int) throws -> Int32 {
        try RealServer.startUnderReaper(box, svc, delay: delay)
    }

    /// A restart script that notes whether the dead pid was still in the table, then starts the service.
    func noting(_ box: Sandbox, _ svc: String) throws -> String {
        try script(box, "start.sh", """
            if [ -e /proc/$(cat \(box.folder)/dead.pid) ]; then echo zombie; else echo gone; fi >> \(box.folder)/seen
            setsid \(svc) 3600 </dev/null >/dev/null 2>&1 &
            """)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: python)))
    func aDeadProcessReapedLate_isGoneBeforeItsRestartScriptRuns() throws {
        let box = try Sandbox("reaplate")
        defer { box.close() }
        let svc = try box.service("a")
        let first = try startUnderLateReaper(box, svc, delay: 2)
        let pfile = try box.pfile(["\(svc):\(try noting(box, svc)):0:3:exit"], monitorInterval: 2)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == first }
        try box.write("\(box.folder)/dead.pid", "\(first)\n", permissions: 0o644)
        kill(first, SIGKILL)
        try engine.waitForUp(replacing: first, timeout: 60)
        let seen = try String(contentsOfFile: "\(box.folder)/seen", encoding: .utf8)
        #expect(seen == "gone\n", "the script ran while pid \(first) was a zombie:\n\(engine.log)")
        #expect(!engine.log.contains("did not reap"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: python)))
    func aDeadProcessNeverReaped_isReportedInTheLog_andTheRestartGoesOn() throws {
        let box = try Sandbox("reapnever")
        defer { box.close() }
        let svc = try box.service("a")
        let first = try startUnderLateReaper(box, svc, delay: 600)
        let pfile = try box.pfile(["\(svc):\(try noting(box, svc)):0:3:exit"], monitorInterval: 2)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == first }
        try box.write("\(box.folder)/dead.pid", "\(first)\n", permissions: 0o644)
        kill(first, SIGKILL)
        let up = try engine.waitForUp(replacing: first, timeout: 60)
        #expect(up.retryCount == 1)
        #expect(engine.log.contains("pid=\(first) ended but"), "\(engine.log)")
        #expect(engine.log.contains("did not reap them; running the restart script anyway"), "\(engine.log)")
    }
}
