import Foundation
import PsaverState
import Testing

@Suite("pcheck against real processes", .serialized, .timeLimit(.minutes(2)))
struct PcheckSmokeTests {
    @Test func aWatchedServiceThatDies_isRestartedWithANewPid() throws {
        let box = try Sandbox("smoke")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc)
        let pfile = try box.pfile(["\(svc):\(script):0:3:exit"])
        let first = try box.startService(svc)
        let engine = try Program("pcheck", ["-f", pfile, "--log", "stderr"], in: box)
        defer { engine.stop() }
        _ = try waitFor("Up", timeout: 10) { box.state()?.entries.first?.pid == first ? true : nil }
        kill(first, SIGKILL)
        let second = try waitFor("a new pid", timeout: 10) { () -> Int32? in
            guard let entry = box.state()?.entries.first, entry.procSts == .avail, let pid = entry.pid, pid != first
            else { return nil }
            return pid
        }
        #expect(box.pids(of: svc) == [second])
        #expect(engine.errors.contains("Process [\(svc) , pid=\(first)] Down"))
        #expect(engine.errors.contains("(\(svc) ,pid=\(second)) Up"))
        engine.signal(SIGTERM)
        #expect(try engine.wait(timeout: 10) == 0)
    }
}
