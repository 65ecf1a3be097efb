import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem
import Testing
@testable import PsaverEngine

/// Issue 7's reproduced defects, each as a story on the pure state machine.
@Suite("Supervisor: the failure paths")
struct SupervisorFailurePathTests {
    let first = ProcessIdentity(pid: ProcessID(3679), startTime: 500)
    let second = ProcessIdentity(pid: ProcessID(4100), startTime: 800)

    // 1. A script that starts the service and then exits non-zero.

    @Test func aScriptThatStartsTheServiceAndExitsNonZero_isASuccess_whenTheLookFindsTheProcess() {
        var s = Scenario(retry: 3, action: .stop)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        let end = s.scriptEnded(.exited(3), found: second)
        #expect(end.restarts.isEmpty)
        #expect(end.logTexts.first == "(/usr/bin/java) restart script failed: exit status 3; the process runs, so the restart succeeded")
        #expect(end.contains(.watch(Scenario.java, second)))
        #expect(s.tracker().procStatus == .avail && s.tracker().process == second)
        #expect(s.tracker().retryCount == 1 && s.tracker().restartCount == 1)
    }

    @Test func startWaitShorterThanTheServicesStartUp_isASuccess_whenTheLookFindsTheProcess() {
        var s = Scenario(retry: 3, startWait: .seconds(2))
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        _ = s.scriptEnded(.exited(0))
        s.clock = s.clock + .seconds(2)
        #expect(s.supervisor.judgementsDue(at: s.now) == [Scenario.java])
        let actions = s.supervisor.timePassed(at: s.now, found: [Scenario.java: second])
        #expect(actions.restarts.isEmpty && s.tracker().procStatus == .avail)
    }

    // 2. A death while the entry's restart script still runs.

    @Test func aDeathWhileTheScriptRuns_waitsForTheScript_andAStaleEndChangesNothing() {
        var s = Scenario(retry: 5)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        let firstAttempt = s.attempt()
        _ = s.supervisor.scanned([Scenario.java: second], at: s.now)
        #expect(s.tracker().procStatus == .avail && s.tracker().scriptRunning)
        // The service crashes while `catalina.sh start; sleep 5` still runs.
        let death = s.supervisor.processExited(Scenario.java, second, successor: nil, at: s.now)
        #expect(death.logTexts.first == "Process [/usr/bin/java , pid=4100] Down")
        #expect(death.restarts.isEmpty)
        #expect(s.tracker().procStatus == .restarting && s.attempt() == firstAttempt)
        let end = s.scriptEnded(.exited(0))
        #expect(end.restarts == [Scenario.java])
        #expect(s.attempt() == firstAttempt + 1 && s.tracker().restartCount == 2)
        // The first attempt's script reaped late: stale, ignored.
        let stale = s.supervisor.restartScriptEnded(
            Scenario.java, attempt: firstAttempt, status: .exited(0), found: nil, at: s.now)
        #expect(stale.isEmpty && s.tracker().procStatus == .restarting)
        // The second keeps its own RESTART_TIMEOUT.
        #expect(s.supervisor.nextDeadline == s.clock + .seconds(30))
    }

    // 4. Retry over with `exit` keeps acting.

    @Test func retryOverAtStartUp_touchesNoOtherEntry_andNothingHappensAfterIt() throws {
        var s = Scenario(retry: 0, entries: 2)
        let actions = s.supervisor.start(found: [:], at: s.now)
        #expect(actions.logTexts.filter { $0.hasSuffix("RETRY_OVER:EXIT") }.count == 1)
        #expect(actions.last == .exit(.retryOver))
        let untouched = s.tracker(Scenario.cron)
        #expect(untouched.procStatus == .down && untouched.restartCount == 0 && untouched.rerunTime == nil)
        #expect(s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now).isEmpty)
        #expect(s.supervisor.scanned([Scenario.cron: second], at: s.now).isEmpty)
        #expect(s.advance(.seconds(100)).isEmpty)
        #expect(try s.supervisor.setMonitor(true, for: nil, requester: "x", at: s.now).isEmpty)
        #expect(try s.supervisor.resetRetryCount(for: nil, requester: "x", at: s.now).isEmpty)
        #expect(s.supervisor.stop().isEmpty)
        #expect(s.tracker(Scenario.cron).procStatus == .down)
    }

    // 5. Grace depends on the order of events in a loop turn.

    @Test func graceIsJudgedAtTheTimeOfTheDeath_evenWhenNoTimerRanBeforeIt() {
        var s = Scenario(retry: 1, grace: .seconds(60))
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.killAndRecover(newPID: 4100)
        #expect(s.tracker().retryCount == 1)
        // The engine was stopped for twice the grace period: no timePassed ran.
        s.clock = s.clock + .seconds(120)
        let current = s.tracker().process!
        let death = s.supervisor.processExited(Scenario.java, current, successor: nil, at: s.now)
        #expect(death.logTexts.contains("(/usr/bin/java) retry_count reset to 0: up for the grace period of 60 s"))
        #expect(death.restarts == [Scenario.java] && death.exit == nil)
        #expect(s.tracker().retryCount == 1)
    }

    // 6. An engine started while its predecessor's restart script runs.

    @Test func aScriptLeftByTheEngineBefore_isAdopted_notStartedAgain() {
        var s = Scenario(retry: 3)
        let script = ProcessIdentity(pid: ProcessID(777), startTime: 400)
        let actions = s.supervisor.start(
            found: [:], adopted: [Scenario.java: AdoptedScript(script: script, retryCount: 2, restartCount: 5)],
            at: s.now)
        #expect(actions.restarts.isEmpty)
        #expect(actions.contains(.watchAdoptedScript(Scenario.java, attempt: 5, script: script)))
        #expect(s.tracker().procStatus == .restarting && s.tracker().retryCount == 2 && s.tracker().restartCount == 5)
        let end = s.scriptEnded(nil)
        #expect(end.logTexts.first == "(/usr/bin/java) restart script ended: status unknown (started by an engine before this one)")
        #expect(s.tracker().procStatus == .waiting)
    }

    // 7. No bound on restart storms.

    @Test func consecutiveFailedAttempts_backOff_doublingToTheLimit() {
        var s = Scenario(retry: 1_000_000)
        _ = s.supervisor.start(found: [:], at: s.now)
        var waits: [Duration] = []
        for _ in 0..<10 {
            _ = s.scriptEnded(.exited(1))
            let retryAt = s.tracker().retryAt!
            waits.append(retryAt - s.clock)
            s.clock = retryAt
            #expect(s.supervisor.timePassed(at: s.now).restarts == [Scenario.java])
        }
        #expect(waits.map(\.seconds) == [1, 2, 4, 8, 10, 10, 10, 10, 10, 10])
        // A process seen up ends the run of failures: the next death is restarted at once.
        _ = s.supervisor.scanned([Scenario.java: second], at: s.now)
        _ = s.scriptEnded(.exited(0))
        #expect(s.supervisor.processExited(Scenario.java, second, successor: nil, at: s.now).restarts == [Scenario.java])
    }

    @Test func backoffZero_retriesAtOnce() {
        var s = Scenario(retry: 5)
        s.supervisor.trackers[0].entry.backoffLimit = .zero
        _ = s.supervisor.start(found: [:], at: s.now)
        #expect(s.scriptEnded(.exited(1)).restarts == [Scenario.java])
    }

    @Test func monitorOff_cancelsAPendingBackoff() throws {
        var s = Scenario(retry: 5)
        _ = s.supervisor.start(found: [:], at: s.now)
        _ = s.scriptEnded(.exited(1))
        #expect(s.tracker().retryAt != nil)
        _ = try s.supervisor.setMonitor(false, for: nil, requester: "x", at: s.now)
        #expect(s.tracker().retryAt == nil && s.advance(.seconds(60)).restarts.isEmpty)
    }

    // 8. A look-alike started by another user.

    @Test func aSuccessor_isFollowedOnlyWhenItRunsAsTheSameUser() {
        let lookAlike = ProcessIdentity(pid: ProcessID(50), startTime: 10)
        let sameUser = ProcessIdentity(pid: ProcessID(60), startTime: 20)
        let users = [lookAlike: UserID(65534), sameUser: UserID(0)]
        #expect(SuccessorRule.choose(among: [lookAlike], diedAs: UserID(0), userOf: { users[$0] }) == nil)
        #expect(SuccessorRule.choose(among: [lookAlike, sameUser], diedAs: UserID(0), userOf: { users[$0] }) == sameUser)
        #expect(SuccessorRule.choose(among: [sameUser], diedAs: nil, userOf: { users[$0] }) == nil)
    }

    // 9. reset of a FATAL entry, at every retry value.

    @Test(arguments: [0, 1, 3])
    func resetOfAFatalEntry_grantsOneUncountedAttempt_andNeverRerunsTheExecScript(retry: Int) throws {
        var s = Scenario(retry: retry, action: .exec("/etc/notify.sh"))
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        var current = first
        while s.tracker().procStatus != .fatal {
            _ = s.supervisor.processExited(Scenario.java, current, successor: nil, at: s.now)
            if s.tracker().procStatus == .restarting {
                _ = s.scriptEnded(.exited(0), found: ProcessIdentity(pid: ProcessID(Int32(5000 + s.attempt())), startTime: 900))
                current = s.tracker().process!
            }
        }
        let restartsBefore = s.tracker().restartCount
        let reset = try s.supervisor.resetRetryCount(for: Scenario.java, requester: "x", at: s.now)
        #expect(!reset.contains(.runRetryOverScript(Scenario.java, path: "/etc/notify.sh")))
        #expect(reset.restarts == [Scenario.java])
        #expect(s.tracker().retryCount == 0 && s.tracker().restartCount == restartsBefore + 1)
        // The granted attempt works: the entry is live again, and counts from zero.
        _ = s.scriptEnded(.exited(0), found: second)
        #expect(s.tracker().procStatus == .avail && s.tracker().retryCount == 0)
    }

    @Test func resetOfAFatalEntryWhoseProcessRuns_makesItAvail_withoutARestart() throws {
        var s = Scenario(retry: 0, action: .stop)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        _ = s.supervisor.scanned([Scenario.java: second], at: s.now)
        let reset = try s.supervisor.resetRetryCount(for: nil, requester: "x", at: s.now)
        #expect(reset.restarts.isEmpty && s.tracker().procStatus == .avail && s.tracker().process == second)
    }

    // Hung and stopped services.

    @Test func aProcessStoppedLongerThanStall_isHung_killed_andItsDeathIsRestarted() {
        var s = Scenario(retry: 3)
        s.supervisor.trackers[0].entry.stall = .seconds(60)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        let stopped = ProcessRecord.State(rawValue: UInt8(ascii: "T"))
        #expect(s.supervisor.observed([Scenario.java: (first, stopped)], at: s.now).isEmpty)
        s.clock = s.clock + .seconds(59)
        #expect(s.supervisor.observed([Scenario.java: (first, stopped)], at: s.now).isEmpty)
        s.clock = s.clock + .seconds(1)
        let hung = s.supervisor.observed([Scenario.java: (first, stopped)], at: s.now)
        #expect(hung.logTexts == ["(/usr/bin/java ,pid=3679) hung: stopped (state T) for 60 s, longer than stall=60; killing it"])
        #expect(hung.contains(.killProcess(Scenario.java, first)))
        #expect(s.tracker().procStatus == .hung)
        let death = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        #expect(death.restarts == [Scenario.java] && s.tracker().retryCount == 1)
    }

    @Test func aProcessThatResumesBeforeStall_isNotHung() {
        var s = Scenario()
        s.supervisor.trackers[0].entry.stall = .seconds(10)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        let uninterruptible = ProcessRecord.State(rawValue: UInt8(ascii: "D"))
        _ = s.supervisor.observed([Scenario.java: (first, uninterruptible)], at: s.now)
        s.clock = s.clock + .seconds(9)
        _ = s.supervisor.observed([Scenario.java: (first, .sleeping)], at: s.now)
        s.clock = s.clock + .seconds(9)
        #expect(s.supervisor.observed([Scenario.java: (first, uninterruptible)], at: s.now).isEmpty)
        #expect(s.tracker().procStatus == .avail)
    }

    // A restart script that execs the service.

    @Test func aScriptThatExecsTheProgram_isFollowedAsTheProcess() {
        var s = Scenario()
        _ = s.supervisor.start(found: [:], at: s.now)
        let script = ProcessIdentity(pid: ProcessID(900), startTime: 1000)
        _ = s.supervisor.restartScriptStarted(Scenario.java, attempt: s.attempt(), script: script, at: s.now)
        let actions = s.supervisor.scriptBecameProcess(Scenario.java, attempt: 1, process: script, at: s.now)
        #expect(actions.contains(.watch(Scenario.java, script)))
        #expect(s.tracker().procStatus == .avail && !s.tracker().scriptRunning)
    }

    // The timeout of a script whose service is already up kills the script alone.

    @Test func aScriptOverrunningWhileTheServiceRuns_isKilledAlone() {
        var s = Scenario()
        _ = s.supervisor.start(found: [:], at: s.now)
        _ = s.supervisor.scanned([Scenario.java: second], at: s.now)
        let actions = s.advance(.seconds(30))
        #expect(actions.contains(.killRestartScript(Scenario.java, attempt: 1, wholeGroup: false)))
        #expect(s.tracker().procStatus == .avail)
        _ = s.scriptEnded(.signaled(9))
        #expect(!s.tracker().scriptRunning && s.tracker().procStatus == .avail)
    }
}
