import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem
import Testing
@testable import PsaverEngine

@Suite("Supervisor: the start-up grace, with a fake clock")
struct SupervisorStartupGraceTests {
    let late = ProcessIdentity(pid: ProcessID(4100), startTime: 900)

    @Test func aServiceThatAppearsWithinTheGrace_isAvail_withNoRetrySpent() {
        var s = Scenario(retry: 0)
        let start = s.supervisor.start(found: [:], startupGrace: .seconds(120), at: s.now)
        #expect(start.restarts.isEmpty, "no restart while the service may still be starting")
        #expect(start.logTexts.last == "(/usr/bin/java) waiting up to 120 s (start-up grace) for it to appear "
                + "before restarting it")
        #expect(s.tracker().procStatus == .waiting)
        #expect(s.supervisor.nextDeadline == s.clock + .seconds(120))

        #expect(s.advance(.seconds(30)).isEmpty)
        let up = s.supervisor.scanned([Scenario.java: late], at: s.now)
        #expect(up.contains(.watch(Scenario.java, late)))
        #expect(s.tracker().procStatus == .avail)
        #expect(s.tracker().retryCount == 0 && s.tracker().restartCount == 0)
        #expect(s.tracker().rerunTime == nil)
        #expect(up.exit == nil, "retry=0 is not retry over for a service that came")
    }

    @Test func aServiceStillMissingWhenTheGraceEnds_isRestarted_asAtStartUp() {
        var s = Scenario(retry: 3)
        _ = s.supervisor.start(found: [:], startupGrace: .seconds(60), at: s.now)
        #expect(s.advance(.seconds(59)).restarts.isEmpty)
        #expect(s.supervisor.judgementsDue(at: s.now).isEmpty)
        s.clock = s.clock + .seconds(1)
        #expect(s.supervisor.judgementsDue(at: s.now) == [Scenario.java], "the runtime looks for it first")
        let ended = s.supervisor.timePassed(at: s.now, found: [:])
        #expect(ended.logTexts.first == "(/usr/bin/java) did not appear within the start-up grace")
        #expect(ended.restarts == [Scenario.java])
        #expect(s.tracker().procStatus == .restarting)
        #expect(s.tracker().retryCount == 1 && s.tracker().restartCount == 1, "one retry, as at start-up")
    }

    @Test func aServiceFoundByTheLastLook_isAvail_evenAtTheGracesEnd() {
        var s = Scenario(retry: 0)
        _ = s.supervisor.start(found: [:], startupGrace: .seconds(10), at: s.now)
        s.clock = s.clock + .seconds(10)
        let ended = s.supervisor.timePassed(at: s.now, found: [Scenario.java: late])
        #expect(ended.restarts.isEmpty)
        #expect(s.tracker().procStatus == .avail && s.tracker().process == late)
    }

    @Test func withRetryZero_aServiceThatNeverCame_isRetryOver_onlyAfterTheGraceAndARestart() {
        var s = Scenario(retry: 0)
        _ = s.supervisor.start(found: [:], startupGrace: .seconds(10), at: s.now)
        s.clock = s.clock + .seconds(10)
        let ended = s.supervisor.timePassed(at: s.now, found: [:])
        #expect(ended.exit == .retryOver, "retry=0: the first death is retry over, as without a grace")
    }

    @Test func monitoringSwitchedOffDuringTheGrace_leavesTheEntryDown_withNoRestart() throws {
        var s = Scenario(retry: 3)
        _ = s.supervisor.start(found: [:], startupGrace: .seconds(10), at: s.now)
        _ = try s.supervisor.setMonitor(false, for: Scenario.java, requester: "test", at: s.now)
        s.clock = s.clock + .seconds(10)
        let ended = s.supervisor.timePassed(at: s.now, found: [:])
        #expect(ended.restarts.isEmpty)
        #expect(s.tracker().procStatus == .down)
    }

    @Test func noGrace_keepsTodaysBehaviour_aRestartAtOnce() {
        var s = Scenario()
        let start = s.supervisor.start(found: [:], startupGrace: .zero, at: s.now)
        #expect(start.restarts == [Scenario.java])
    }
}
