import Foundation
import PsaverState
import Testing

/// Which process an entry follows, how a death is seen, and what retry over does
/// when the entry says `stop` or `exec=`.
@Suite("pcheck matching, polling and retry-over actions", .serialized, .timeLimit(.minutes(3)))
struct PcheckWatchingTests {
    @Test func includeStrings_picksTheProcessWhoseCommandLineHoldsThem_evenWhenItIsNotTheOldest() throws {
        let box = try Sandbox("include")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc, arguments: "7200")
        let pfile = try box.pfile(["\(svc):\(script):0:3:exit:include_strings=7200"])
        let other = try box.startService(svc, arguments: ["3600"])
        let wanted = try box.startAnotherService(svc, arguments: ["7200"])
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }

        try engine.waitForEntry(1, "following the 7200 process") { $0.procSts == .avail && $0.pid == wanted }
        #expect(engine.entry()?.includeStrings == "7200")

        // Its death restarts it; the other process of the same program is left alone.
        kill(wanted, SIGKILL)
        let restarted = try engine.waitForUp(replacing: wanted)
        #expect(restarted.retryCount == 1)
        #expect(isAlive(other))
        #expect(Set(box.pids(of: svc)) == [other, try #require(restarted.pid)])
    }

    @Test func excludeStrings_skipsTheProcessWhoseCommandLineHoldsThem_evenWhenItIsTheOldest() throws {
        let box = try Sandbox("exclude")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc, arguments: "3600")
        let pfile = try box.pfile(["\(svc):\(script):0:3:exit:exclude_strings=7200"])
        let excluded = try box.startService(svc, arguments: ["7200"])
        let wanted = try box.startAnotherService(svc, arguments: ["3600"])
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }

        try engine.waitForEntry(1, "following the 3600 process") { $0.procSts == .avail && $0.pid == wanted }

        // With only the excluded process left, the entry is down and restarted.
        kill(wanted, SIGKILL)
        let restarted = try engine.waitForUp(replacing: wanted)
        #expect(restarted.pid != excluded)
        #expect(restarted.retryCount == 1)
        #expect(isAlive(excluded))
    }

    @Test func thePollingFallback_stillSeesADeath_andRestarts() throws {
        let box = try Sandbox("poll")
        defer { box.close() }
        let svc = try box.service("a")
        // MONITOR_INTERVAL 60 s: a restart within the wait can only come from the 1 s poll.
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"], monitorInterval: 60)
        let first = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile, arguments: ["--poll"])
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == first }
        #expect(engine.log.contains("watching by polling"))

        kill(first, SIGKILL)
        let restarted = try engine.waitForUp(replacing: first, timeout: 10)
        #expect(restarted.retryCount == 1)
        #expect(engine.log.contains("Process [\(svc) , pid=\(first)] Down"))
        #expect(box.pids(of: svc) == [try #require(restarted.pid)])

        // And again, now watching the restarted process by polling.
        let second = try #require(restarted.pid)
        kill(second, SIGKILL)
        #expect(try engine.waitForUp(replacing: second, timeout: 10).retryCount == 2)
    }

    @Test func retryOverActStop_makesOnlyThatEntryFatal_andTheEngineKeepsWatchingTheOthers() throws {
        let box = try Sandbox("stop")
        defer { box.close() }
        let a = try box.service("a")
        let b = try box.service("b")
        let pfile = try box.pfile([
            "\(a):\(try box.restartScript(for: a)):0:0:stop",
            "\(b):\(try box.restartScript(for: b)):0:3:exit",
        ], monitorInterval: 1)
        let pidA = try box.startService(a)
        let pidB = try box.startService(b)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.pid == pidA }
        try engine.waitForEntry(2, "up") { $0.pid == pidB }

        kill(pidA, SIGKILL)
        let fatal = try engine.waitForEntry(1, "FATAL") { $0.procSts == .fatal }
        #expect(fatal.restartCount == 0)
        try engine.waitForLog("(\(a)) RETRY_OVER:STOP")
        #expect(engine.log.contains("(\(a)) FATAL"))
        // A few scans later: still running, still not restarting a.
        sleep(3)
        #expect(engine.isRunning)
        #expect(engine.state?.engineSts == .running)
        #expect(box.pids(of: a).isEmpty, "a FATAL entry is never restarted")
        #expect(engine.entry(1)?.procSts == .fatal)

        kill(pidB, SIGKILL)
        #expect(try engine.waitForUp(2, replacing: pidB).retryCount == 1)
        #expect(try engine.terminate() == 0)
    }

    @Test func retryOverActExec_runsItsScriptOnce_thenActsAsStop() throws {
        let box = try Sandbox("exec")
        defer { box.close() }
        let svc = try box.service("a")
        let marker = "\(box.folder)/retry-over.marker"
        let over = try script(box, "retry-over.sh", "echo \"$PSAVER_PENT_ID $PSAVER_PNAME\" >> \(marker)")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:0:exec=\(over)"], monitorInterval: 1)
        let first = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.pid == first }

        kill(first, SIGKILL)
        _ = try waitFor("the retry-over script's marker", timeout: PcheckRun.patience) {
            FileManager.default.fileExists(atPath: marker) ? true : nil
        }
        try engine.waitForEntry(1, "FATAL") { $0.procSts == .fatal }
        #expect(engine.log.contains("(\(svc)) RETRY_OVER:EXEC"))
        #expect(engine.log.contains("(\(svc)) FATAL"))
        sleep(3)
        let lines = try String(contentsOfFile: marker, encoding: .utf8).split(separator: "\n")
        #expect(lines == ["1 \(svc)"], "the retry-over script runs exactly once, with the entry's variables")
        #expect(engine.isRunning)
        #expect(engine.state?.engineSts == .running)
        #expect(box.pids(of: svc).isEmpty)
        #expect(try engine.terminate() == 0)
    }
}
