import Testing
import PsaverConsole
import PsaverState
import PsaverSystem

@Suite struct StalenessTests {
    /// The tomcat fixture's heartbeat is 10:50:09 and its MONITOR_INTERVAL 10 s.
    func health(at time: WallTime, liveness: EngineLiveness = .running,
                engineSts: EngineStatus = .running) -> EngineHealth
    {
        var document = Fixture.tomcatDocument()
        document.engineSts = engineSts
        var model = ConsoleModel()
        model.apply(.engineUpdated(Fixture.tomcat, document, liveness))
        model.apply(.tick(now: time))
        return model.health(of: Fixture.tomcat)
    }

    @Test func aHeartbeatUpToTwoMonitorIntervalsOldIsRunning() {
        #expect(health(at: Fixture.now) == .running)
        #expect(health(at: WallTime(iso8601: "2026-11-25T10:50:29+00:00")!) == .running)
    }

    @Test func aHeartbeatOlderThanTwoMonitorIntervalsIsStale() {
        #expect(health(at: WallTime(iso8601: "2026-11-25T10:50:30+00:00")!) == .stale)
    }

    @Test func anUnparseableHeartbeatIsStale() {
        var document = Fixture.tomcatDocument()
        document.heartbeatAt = "yesterday"
        #expect(ConsoleEngine.isStale(document, at: Fixture.now))
    }

    @Test func theAppsWordOnThePidComesBeforeTheHeartbeat() {
        #expect(health(at: Fixture.now, liveness: .gone) == .gone)
        #expect(health(at: Fixture.now, liveness: .stale) == .stale)
        #expect(health(at: Fixture.now, liveness: .unreadable("permission denied"))
                == .unreadable("permission denied"))
    }

    @Test func theEnginesLastWordShowsAsStoppedOrRetryOver() {
        #expect(health(at: Fixture.now, liveness: .gone, engineSts: .stopped) == .stopped)
        #expect(health(at: Fixture.now, liveness: .gone, engineSts: .retryOver) == .retryOver)
        #expect(EngineHealth.retryOver.word == "retry over")
        #expect(EngineHealth.stale.word == "STALE")
    }

    @Test func aFailedReadKeepsTheLastDocument() {
        var model = Fixture.model()
        model.apply(.engineUpdated(Fixture.tomcat, nil, .unreadable("truncated JSON")))
        #expect(model.engine(Fixture.tomcat)?.document == Fixture.tomcatDocument())
        #expect(model.health(of: Fixture.tomcat).word == "unreadable: truncated JSON")
    }
}
