import PsaverConfig
import PsaverProcessTable
import PsaverSystem
import Testing
@testable import PsaverEngine

/// DESIGN §2: one death never spends the whole retry budget in under a second.
@Suite struct SupervisorBackoffTests {
    let first = ProcessIdentity(pid: ProcessID(100), startTime: 1)

    @Test func oneDeath_whoseScriptsFailAtOnce_spendsItsRetriesOverSeconds() {
        var s = Scenario(retry: 3)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        let death = s.clock
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        var retryOverAt: MonotonicInstant?
        // Each script fails at once (a zombie still holds the lock file); time moves in 10 ms steps.
        for _ in 0..<10_000 where retryOverAt == nil {
            if s.tracker().scriptRunning {
                if s.scriptEnded(.exited(1)).exit != nil { retryOverAt = s.clock }
            } else {
                _ = s.advance(.milliseconds(10))
            }
        }
        let spent = (retryOverAt ?? s.clock) - death
        #expect(retryOverAt != nil)
        #expect(spent >= .seconds(3), "1 s after the first failure, 2 s after the second")
    }

    @Test func theFirstWaitAfterAFailedAttempt_isASecond_andDoublesUpToTheLimit() {
        let s = Scenario(retry: 3)
        #expect(s.supervisor.backoff(after: 1, limit: .seconds(10)) == .seconds(1))
        #expect(s.supervisor.backoff(after: 2, limit: .seconds(10)) == .seconds(2))
        #expect(s.supervisor.backoff(after: 4, limit: .seconds(10)) == .seconds(8))
        #expect(s.supervisor.backoff(after: 5, limit: .seconds(10)) == .seconds(10))
        #expect(s.supervisor.backoff(after: 1, limit: .zero) == .zero)
    }
}
