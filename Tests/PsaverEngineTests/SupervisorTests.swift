import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem
import Testing
@testable import PsaverEngine

@Suite("Supervisor: DESIGN §2 with a fake clock")
struct SupervisorTests {
    let first = ProcessIdentity(pid: ProcessID(3679), startTime: 500)

    @Test func startUp_withTheProcessRunning_isAvailAndWatched() {
        var s = Scenario()
        let actions = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        #expect(actions.logTexts == ["(/usr/bin/java ,pid=3679) Up"])
        #expect(actions.contains(.watch(Scenario.java, first)))
        #expect(actions.last == .writeState)
        #expect(s.tracker().procStatus == .avail)
        #expect(s.tracker().process == first)
        #expect(s.tracker().retryCount == 0 && s.tracker().restartCount == 0)
        #expect(s.tracker().rerunTime == nil)
    }

    @Test func startUp_withTheProcessMissing_restartsAndCountsAtOnce() {
        var s = Scenario()
        let actions = s.supervisor.start(found: [:], at: s.now)
        #expect(actions.restarts == [Scenario.java])
        #expect(s.tracker().procStatus == .restarting)
        #expect(s.tracker().retryCount == 1 && s.tracker().restartCount == 1)
        #expect(s.tracker().rerunTime == s.wall)
    }

    @Test func aDeath_logsDown_andRunsTheRestartScript() {
        var s = Scenario()
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        let actions = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        #expect(actions.logTexts == ["Process [/usr/bin/java , pid=3679] Down"])
        #expect(actions.restarts == [Scenario.java])
        #expect(s.tracker().procStatus == .restarting)
        #expect(s.tracker().process == nil)
    }

    @Test func processSaversOwnCheck_threeKillsCountUp_theFourthIsRetryOverExit() {
        var s = Scenario(retry: 3)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        for (kill, pid) in [(1, Int32(4001)), (2, 4002), (3, 4003)] {
            let actions = s.killAndRecover(newPID: pid)
            #expect(actions.logTexts.contains("(/usr/bin/java ,pid=\(pid)) Up"))
            #expect(s.tracker().retryCount == kill)
            #expect(s.tracker().restartCount == kill)
            #expect(s.tracker().process?.pid == ProcessID(pid))
            #expect(s.tracker().procStatus == .avail)
        }
        let last = s.tracker().process!
        let actions = s.supervisor.processExited(Scenario.java, last, successor: nil, at: s.now)
        #expect(actions.logTexts == ["Process [/usr/bin/java , pid=4003] Down",
                                     "(/usr/bin/java) RETRY_OVER:EXIT", "(/usr/bin/java) FATAL"])
        #expect(actions.restarts.isEmpty)
        #expect(actions.suffix(2) == [.writeState, .exit(.retryOver)])
        #expect(s.tracker().procStatus == .fatal)
        #expect(s.supervisor.outcome == .retryOver)
    }

    @Test func retryZero_isRetryOverAtTheFirstDeath() {
        var s = Scenario(retry: 0)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        let actions = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        #expect(actions.exit == .retryOver)
        #expect(s.tracker().restartCount == 0)
    }

    @Test func grace_resetsRetryCount_onlyAfterTheProcessStayedUpThatLong() {
        var s = Scenario(retry: 3, grace: .seconds(60))
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.killAndRecover(newPID: 4001)
        #expect(s.tracker().retryCount == 1)
        #expect(s.supervisor.nextDeadline == s.clock + .seconds(60))
        #expect(s.advance(.seconds(59)).isEmpty)
        #expect(s.tracker().retryCount == 1)
        let actions = s.advance(.seconds(1))
        #expect(actions.logTexts == ["(/usr/bin/java) retry_count reset to 0: up for the grace period of 60 s"])
        #expect(s.tracker().retryCount == 0)
        #expect(s.tracker().restartCount == 1)
        #expect(s.supervisor.nextDeadline == nil)
    }

    @Test func graceZero_neverResetsRetryCount() {
        var s = Scenario(retry: 3, grace: nil)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.killAndRecover(newPID: 4001)
        _ = s.advance(.seconds(86_400 * 30))
        #expect(s.tracker().retryCount == 1)
    }

    @Test func aDeathBeforeGraceEnds_keepsCounting() {
        var s = Scenario(retry: 3, grace: .seconds(60))
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.killAndRecover(newPID: 4001)
        _ = s.advance(.seconds(30))
        _ = s.killAndRecover(newPID: 4002)
        _ = s.advance(.seconds(59))
        #expect(s.tracker().retryCount == 2)
        _ = s.advance(.seconds(1))
        #expect(s.tracker().retryCount == 0)
    }

    @Test func retryOverStop_makesTheEntryFatal_andTheEngineGoesOn() {
        var s = Scenario(retry: 0, action: .stop, entries: 2)
        let cron = ProcessIdentity(pid: ProcessID(77), startTime: 1)
        _ = s.supervisor.start(found: [Scenario.java: first, Scenario.cron: cron], at: s.now)
        let actions = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        #expect(actions.logTexts.suffix(2) == ["(/usr/bin/java) RETRY_OVER:STOP", "(/usr/bin/java) FATAL"])
        #expect(actions.exit == nil)
        #expect(s.tracker().procStatus == .fatal)
        #expect(s.tracker(Scenario.cron).procStatus == .avail)
        let later = s.supervisor.processExited(Scenario.cron, cron, successor: nil, at: s.now)
        #expect(later.logTexts == ["Process [/usr/sbin/cron2 , pid=77] Down", "(/usr/sbin/cron2) RETRY_OVER:STOP",
                                   "(/usr/sbin/cron2) FATAL"])
    }

    @Test func retryOverExec_runsTheScriptOnce_thenStops() {
        var s = Scenario(retry: 0, action: .exec("/etc/notify.sh"))
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        let actions = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        #expect(actions.contains(.runRetryOverScript(Scenario.java, path: "/etc/notify.sh")))
        #expect(actions.logTexts.contains("(/usr/bin/java) RETRY_OVER:EXEC"))
        #expect(actions.exit == nil)
        #expect(s.tracker().procStatus == .fatal)
        // A fatal entry is never restarted again, even when found and lost once more.
        let again = ProcessIdentity(pid: ProcessID(9), startTime: 9)
        _ = s.supervisor.scanned([Scenario.java: again], at: s.now)
        #expect(s.tracker().process == again && s.tracker().procStatus == .fatal)
        let death = s.supervisor.processExited(Scenario.java, again, successor: nil, at: s.now)
        #expect(death.restarts.isEmpty && !death.contains(.runRetryOverScript(Scenario.java, path: "/etc/notify.sh")))
    }

    @Test func aFailingScript_isAFailedAttempt_andTheNextFollowsAfterABackoff() {
        var s = Scenario(retry: 2)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        let failed = s.scriptEnded(.exited(3))
        #expect(failed.logTexts == ["(/usr/bin/java) restart script failed: exit status 3",
                                    "(/usr/bin/java) next restart attempt in 1 s, after 1 failed attempt"])
        #expect(failed.restarts.isEmpty)
        #expect(s.advance(.milliseconds(999)).restarts.isEmpty)
        #expect(s.advance(.milliseconds(1)).restarts == [Scenario.java])
        #expect(s.tracker().retryCount == 2 && s.tracker().restartCount == 2)
        let third = s.scriptEnded(.signaled(9))
        #expect(third.exit == .retryOver)
        #expect(third.logTexts.contains("(/usr/bin/java) restart script failed: killed by signal 9"))
    }

    @Test func aScriptThatCannotStart_isAFailedAttempt() {
        var s = Scenario(retry: 1)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        let actions = s.supervisor.restartScriptFailedToStart(
            Scenario.java, attempt: s.attempt(), reason: "Permission denied", found: nil, at: s.now)
        #expect(actions.exit == .retryOver)
    }

    @Test func aScriptPastRestartTimeout_isKilled_andCountsAsFailedOnceReaped() {
        var s = Scenario(retry: 3)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        #expect(s.supervisor.nextDeadline == s.clock + .seconds(30))
        #expect(s.advance(.seconds(29)).isEmpty)
        let actions = s.advance(.seconds(1))
        #expect(actions.contains(.killRestartScript(Scenario.java, attempt: 1, wholeGroup: true)))
        #expect(actions.logTexts.first == "(/usr/bin/java) restart script timed out after 30 s; killing its process group")
        // At most one script per entry: the next attempt waits until the killed one is reaped.
        #expect(actions.restarts.isEmpty)
        #expect(s.tracker().scriptRunning)
        let reaped = s.scriptEnded(.signaled(9))
        #expect(reaped.restarts.isEmpty && s.tracker().procStatus == .down)
        #expect(s.advance(.seconds(1)).restarts == [Scenario.java])
        #expect(s.tracker().retryCount == 2)
        #expect(s.supervisor.nextDeadline == s.clock + .seconds(30))
    }

    @Test func noProcessWithinStartWait_isAFailedAttempt() {
        var s = Scenario(retry: 3, startWait: .seconds(5))
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        _ = s.scriptEnded(.exited(0))
        #expect(s.tracker().procStatus == .waiting)
        #expect(s.supervisor.isAwaitingProcesses)
        #expect(s.advance(.seconds(4)).isEmpty)
        #expect(s.supervisor.judgementsDue(at: s.now).isEmpty)
        s.clock = s.clock + .seconds(1)
        #expect(s.supervisor.judgementsDue(at: s.now) == [Scenario.java])
        let actions = s.supervisor.timePassed(at: s.now)
        #expect(actions.logTexts.first == "(/usr/bin/java) no process appeared within start_wait (5 s) after the restart script ended")
        #expect(s.advance(.seconds(1)).restarts == [Scenario.java])
        #expect(s.tracker().retryCount == 2)
    }

    @Test func startWaitDefaultsToMonitorInterval() {
        var s = Scenario(retry: 3)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        _ = s.scriptEnded(.exited(0))
        #expect(s.supervisor.nextDeadline == s.clock + .seconds(10))
    }

    @Test func monitorOff_tracksTheDeath_butNeverRestartsOrCounts() throws {
        var s = Scenario()
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        let off = try s.supervisor.setMonitor(false, for: Scenario.java, requester: "uid=0 pid=1", at: s.now)
        #expect(off.logTexts == ["(/usr/bin/java) monitoring off by uid=0 pid=1"])
        #expect(!s.tracker().monitorOn)
        let death = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        #expect(death.restarts.isEmpty)
        #expect(s.tracker().procStatus == .down)
        #expect(s.tracker().retryCount == 0 && s.tracker().restartCount == 0)
        _ = s.advance(.seconds(600))
        #expect(s.tracker().procStatus == .down)
        let on = try s.supervisor.setMonitor(true, for: nil, requester: "uid=0 pid=1", at: s.now)
        #expect(on.restarts == [Scenario.java])
        #expect(s.tracker().retryCount == 1)
    }

    @Test func monitorOff_stillNoticesAProcessStartedByHand() throws {
        var s = Scenario()
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = try s.supervisor.setMonitor(false, for: nil, requester: "x", at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        let manual = ProcessIdentity(pid: ProcessID(5000), startTime: 900)
        let actions = s.supervisor.scanned([Scenario.java: manual], at: s.now)
        #expect(actions.logTexts == ["(/usr/bin/java ,pid=5000) Up"])
        #expect(s.tracker().procStatus == .avail)
    }

    @Test func aSwitchForAnUnknownEntry_isRefused() {
        var s = Scenario()
        #expect(throws: SupervisorError.unknownEntry(PentID(9))) {
            try s.supervisor.setMonitor(false, for: PentID(9), requester: "x", at: s.now)
        }
    }

    @Test func aDeathWithAnotherMatchStillRunning_followsIt_withoutARestart() {
        var s = Scenario()
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        let younger = ProcessIdentity(pid: ProcessID(3700), startTime: 600)
        let actions = s.supervisor.processExited(Scenario.java, first, successor: younger, at: s.now)
        #expect(actions.restarts.isEmpty)
        #expect(actions.contains(.watch(Scenario.java, younger)))
        #expect(s.tracker().process == younger)
        #expect(s.tracker().retryCount == 0)
    }

    @Test func aDeathOfAnotherProcessWithTheSamePid_isIgnored() {
        var s = Scenario()
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        let reused = ProcessIdentity(pid: first.pid, startTime: first.startTime + 1)
        #expect(s.supervisor.processExited(Scenario.java, reused, successor: nil, at: s.now).isEmpty)
        #expect(s.tracker().procStatus == .avail)
    }

    @Test func aScanThatNoLongerMatchesAWatchedProcess_leavesItsDeathToTheWatch() {
        var s = Scenario()
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        // Its argv was rewritten, so include_strings no longer match; it still runs.
        #expect(s.supervisor.scanned([:], at: s.now).isEmpty)
        #expect(s.tracker().procStatus == .avail && s.tracker().process == first)
        let death = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        #expect(death.logTexts == ["Process [/usr/bin/java , pid=3679] Down"])
        #expect(death.restarts == [Scenario.java])
    }

    @Test func theProcessAppearingWhileTheScriptRuns_isAvail_andTheScriptsEndIsOnlyLogged() {
        var s = Scenario()
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        _ = s.supervisor.scanned([Scenario.java: ProcessIdentity(pid: ProcessID(6000), startTime: 7)], at: s.now)
        #expect(s.tracker().procStatus == .avail && s.tracker().scriptRunning)
        let end = s.scriptEnded(.exited(1))
        #expect(end.logTexts == ["(/usr/bin/java) restart script ended: exit status 1; the process runs"])
        #expect(end.restarts.isEmpty)
        #expect(s.tracker().retryCount == 1)
    }

    @Test func reset_bringsAFatalEntryBack_andRestartsItWhenDown() throws {
        var s = Scenario(retry: 0, action: .stop)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        #expect(s.tracker().procStatus == .fatal)
        let actions = try s.supervisor.resetRetryCount(for: Scenario.java, requester: "uid=0 pid=2", at: s.now)
        #expect(actions.logTexts.first == "(/usr/bin/java) retry_count reset to 0 by uid=0 pid=2")
        // Even with retry 0, a reset grants one attempt that retry_count does not count.
        #expect(actions.restarts == [Scenario.java])
        #expect(s.tracker().procStatus == .restarting && s.tracker().retryCount == 0 && s.tracker().restartCount == 1)
        var t = Scenario(retry: 1, action: .stop)
        _ = t.supervisor.start(found: [Scenario.java: first], at: t.now)
        _ = t.supervisor.processExited(Scenario.java, first, successor: nil, at: t.now)
        _ = t.scriptEnded(.exited(1))
        #expect(t.tracker().procStatus == .fatal && t.tracker().retryCount == 1)
        let reset = try t.supervisor.resetRetryCount(for: nil, requester: "x", at: t.now)
        #expect(reset.restarts == [Scenario.java])
        #expect(t.tracker().retryCount == 0 && t.tracker().restartCount == 2)
    }

    @Test func stop_writesTheFinalState_andExitsCleanly_once() {
        var s = Scenario()
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        #expect(s.supervisor.stop() == [.log(LogRecord(.notice, "Stop pcheck!!")), .writeState, .exit(.stopped)])
        #expect(s.supervisor.stop().isEmpty)
    }
}
