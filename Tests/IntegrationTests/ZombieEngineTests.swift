import Foundation
import PsaverState
import PsaverSystem
import Testing

/// Gone means gone: an engine that died and is not yet reaped.
@Suite("a zombie engine is gone", .serialized, .timeLimit(.minutes(3)))
struct ZombieEngineTests {
    @Test func padmin_saysAZombieEngineIsNotRunning() throws {
        let run = try EngineUnderTest("zombie")
        defer { run.close() }
        let engine = try run.start()
        // Killed and not reaped: the test process is its parent and does not wait yet.
        engine.signal(SIGKILL)
        _ = try waitFor("the engine to be a zombie", timeout: PcheckRun.patience) { isAlive(engine.pid) ? nil : true }
        let show = try run.padmin(["-c", "show", "pent"])
        #expect(show.code == 1, "\(show.err)")
        #expect(show.err.contains("not running"), "\(show.err)")
        _ = try engine.wait(timeout: PcheckRun.patience)
    }

    @Test(.enabled(if: FileSystem.exists("/usr/lib/ocf/lib/heartbeat/ocf-shellfuncs"),
                   "resource-agents is not installed (.ci/run installs it)"))
    func theOCFAgentsStopAndMonitor_takeAZombieEngineForGone() throws {
        let run = try EngineUnderTest("ocfzombie")
        defer { run.close() }
        let engine = try run.start()
        engine.signal(SIGKILL)
        _ = try waitFor("the engine to be a zombie", timeout: PcheckRun.patience) { isAlive(engine.pid) ? nil : true }
        let stopped = try PcheckClusterTests.agent("stop", name: "zombie", pfile: run.pfile, in: run.box)
        #expect(stopped.code == 0, "\(stopped.err)")
        #expect(!stopped.err.contains("did not stop"), "\(stopped.err)")
        let monitored = try PcheckClusterTests.agent("monitor", name: "zombie", pfile: run.pfile, in: run.box)
        #expect(monitored.code != 0, "a zombie engine is not running: \(monitored.err)")
        _ = try engine.wait(timeout: PcheckRun.patience)
    }

    @Test func aForgedStateFileNamingPid1_isNotShownAsARunningEngine() throws {
        let run = try EngineUnderTest("forged")
        defer { run.close() }
        let engine = try run.start()
        engine.signal(SIGTERM)
        #expect(try engine.wait(timeout: PcheckRun.patience) == 0)
        var forged = try #require(run.state)
        forged.pid = ProcessID(1)
        forged.startTicks = nil
        forged.engineSts = .running
        forged.heartbeatAt = WallTime.now().iso8601
        try FileSystem.replaceAtomically(run.box.stateFile, with: StateCodec.encode(forged), permissions: 0o644)
        let show = try run.padmin(["-c", "show", "pent"])
        #expect(show.code == 1, "\(show.err)")
        #expect(show.err.contains("not running"), "\(show.err)")
    }
}
