import Foundation
import PsaverState
import Testing

/// Deaths, restarts, counters and retry over: ProcessSaver's own check, run against
/// real processes.
@Suite("pcheck retries and retry over", .serialized, .timeLimit(.minutes(3)))
struct PcheckRetryTests {
    @Test func aServiceKilledThreeTimes_isRestartedEachTime_andTheFourthDeathIsRetryOverExit() throws {
        let box = try Sandbox("retry")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):3600:3:exit"])
        var pid = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up as the service started by hand") { $0.procSts == .avail && $0.pid == pid }

        for attempt in 1...3 {
            kill(pid, SIGKILL)
            let entry = try engine.waitForUp(replacing: pid)
            #expect(entry.retryCount == attempt)
            #expect(entry.restartCount == attempt)
            #expect(entry.rerunTime != nil)
            #expect(engine.log.contains("Process [\(svc) , pid=\(pid)] Down"))
            pid = try #require(entry.pid)
            #expect(engine.log.contains("(\(svc) ,pid=\(pid)) Up"))
            #expect(box.pids(of: svc) == [pid])
        }

        kill(pid, SIGKILL)
        #expect(try engine.program.wait(timeout: PcheckRun.patience) == 1)
        #expect(engine.log.contains("Process [\(svc) , pid=\(pid)] Down"))
        #expect(engine.log.contains("(\(svc)) RETRY_OVER:EXIT"))
        #expect(engine.log.contains("(\(svc)) FATAL"))
        let final = try #require(engine.state)
        #expect(final.engineSts == .retryOver)
        #expect(final.entries.first?.procSts == .fatal)
        #expect(final.entries.first?.retryCount == 3)
        #expect(final.entries.first?.restartCount == 3)
        #expect(box.pids(of: svc).isEmpty, "retry over must not start the service a fourth time")
    }

    @Test func aServiceUpForTheGracePeriod_hasItsRetryCountResetToZero() throws {
        let box = try Sandbox("grace")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):2:3:exit"], monitorInterval: 1)
        let first = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == first }

        kill(first, SIGKILL)
        let restarted = try engine.waitForEntry(1, "restarted with retry_count 1") {
            $0.procSts == .avail && $0.pid != first && $0.retryCount == 1
        }
        let reset = try engine.waitForEntry(1, "reset to retry_count 0 after the grace period") {
            $0.retryCount == 0
        }
        #expect(reset.pid == restarted.pid)
        #expect(reset.restartCount == 1, "restart_count counts every attempt and is never reset by grace")
        #expect(engine.log.contains("(\(svc)) retry_count reset to 0: up for the grace period of 2 s"))

        // The reset must come a grace period after the Up, not at once (event times are whole seconds).
        let events = try #require(engine.state?.events)
        let up = try #require(events.last { $0.text == "(\(svc) ,pid=\(restarted.pid ?? 0)) Up" })
        let cleared = try #require(events.last { $0.text.contains("retry_count reset to 0") })
        let upTime = try #require(WallClock.seconds(up.time))
        let clearedTime = try #require(WallClock.seconds(cleared.time))
        #expect(clearedTime - upTime >= 1)
    }

    @Test func aServiceMissingAtStartUp_isRestartedAndCountedAtOnce() throws {
        let box = try Sandbox("missing")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"], monitorInterval: 30)
        #expect(box.pids(of: svc).isEmpty)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }

        // MONITOR_INTERVAL is 30 s: only the start-up restart can bring it up this soon.
        let entry = try engine.waitForUp()
        #expect(entry.retryCount == 1)
        #expect(entry.restartCount == 1)
        #expect(entry.rerunTime != nil)
        #expect(box.pids(of: svc) == [try #require(entry.pid)])
        #expect(engine.log.contains("(\(svc)) is not running at start-up"))
        #expect(engine.log.contains("(\(svc) ,pid=\(entry.pid ?? 0)) Up"))
    }

    @Test func aRestartScriptThatFails_countsFailedAttempts_untilRetryOver() throws {
        let box = try Sandbox("failing")
        defer { box.close() }
        let svc = try box.service("a")
        let failing = try script(box, "failing.sh", "echo 'cannot start it' >&2\nexit 1")
        let pfile = try box.pfile(["\(svc):\(failing):0:2:exit"], monitorInterval: 30)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }

        #expect(try engine.program.wait(timeout: PcheckRun.patience) == 1)
        #expect(engine.logCount("(\(svc)) restart script failed: exit status 1") == 2)
        #expect(engine.log.contains("cannot start it"), "the script's stderr goes into the log")
        #expect(engine.log.contains("(\(svc)) RETRY_OVER:EXIT"))
        let entry = try #require(engine.entry())
        #expect(entry.procSts == .fatal)
        #expect(entry.retryCount == 2)
        #expect(entry.restartCount == 2)
        #expect(engine.state?.engineSts == .retryOver)
    }

    @Test func aRestartScriptThatHangsPastRestartTimeout_isKilledWithItsGroup_andCounted() throws {
        let box = try Sandbox("hang")
        defer { box.close() }
        let svc = try box.service("a")
        let hanger = try box.service("hang")
        // The script waits on a child in its own process group: both must die at the timeout.
        let hanging = try script(box, "hanging.sh", "\(hanger) 3600\nexit 0")
        let pfile = try box.pfile(["\(svc):\(hanging):0:2:exit"], monitorInterval: 30,
                                  extraParams: "RESTART_TIMEOUT    1")
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }

        #expect(try engine.program.wait(timeout: 30) == 1)
        #expect(engine.logCount("(\(svc)) restart script timed out after 1 s; killing its process group") == 2)
        let entry = try #require(engine.entry())
        #expect(entry.procSts == .fatal)
        #expect(entry.restartCount == 2)
        #expect(engine.state?.engineSts == .retryOver)
        _ = try waitFor("the scripts' children to be killed with their group", timeout: 10) {
            box.pids(of: hanger).isEmpty ? true : nil
        }
    }

    @Test func aRestartScriptThatStartsNothing_failsEachAttemptWhenStartWaitExpires() throws {
        let box = try Sandbox("startwait")
        defer { box.close() }
        let svc = try box.service("a")
        let idle = try script(box, "idle.sh", "exit 0")
        // MONITOR_INTERVAL 30 s is the default start_wait: only start_wait=1 ends this within the wait.
        let pfile = try box.pfile(["\(svc):\(idle):0:2:exit:start_wait=1"], monitorInterval: 30)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }

        #expect(try engine.program.wait(timeout: 20) == 1)
        #expect(engine.logCount("(\(svc)) no process appeared within start_wait (1 s)") == 2)
        let entry = try #require(engine.entry())
        #expect(entry.procSts == .fatal)
        #expect(entry.restartCount == 2)
        #expect(entry.startWait == 1)
    }
}

/// Reads the state file's ISO 8601 times, to whole seconds.
enum WallClock {
    static func seconds(_ iso8601: String) -> Int? {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: iso8601).map { Int($0.timeIntervalSince1970) }
    }
}
