import Testing
import PsaverConsole
import PsaverState
import PsaverSystem

/// Turning monitoring back on for an entry whose retries are spent is retry over (and,
/// with `exit`, a failover): `m` asks first and says so.
@Suite struct RetryOverWarningTests {
    let httpd = EntryKey(engine: Fixture.tomcat, pentID: 2)

    /// The fixture with tomcat's httpd DOWN, monitoring off, at `retry` of 3.
    func model(retryCount: Int, cluster: ClusterRecord? = nil, cols: Int = 120) -> ConsoleModel {
        var document = Fixture.tomcatDocument()
        document.entries[1].monitorSts = .off
        document.entries[1].retryCount = retryCount
        document.cluster = cluster
        var model = ConsoleModel(rows: 24, cols: cols)
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        model.apply(.tick(now: Fixture.now))
        _ = model.handle(.down)
        return model
    }

    @Test func mOnAnEntryDownAtItsRetryLimitAsksAndSaysPcheckWillExit() {
        var model = model(retryCount: 3)
        #expect(model.selection == httpd)
        #expect(model.handle(.character("m")) == [])
        #expect(model.mode == .confirming(.monitorOn(httpd)))
        let question = model.question(for: .monitorOn(httpd))
        #expect(question.contains("DOWN at 3/3 retries"))
        #expect(question.contains("retry over at once"))
        #expect(question.contains("pcheck exits"))
        #expect(!question.contains("fails resource"))
        #expect(question.hasSuffix("Turn it ON anyway? y/n"))
        #expect(question.hasSuffix("y/n"))
        #expect(Fixture.render(model).line(22).hasSuffix("y/n"))
    }

    @Test func at80ColumnsTheQuestionTakesTwoLinesAndKeepsItsYN() {
        var model = model(retryCount: 3, cols: 80)
        _ = model.handle(.character("m"))
        let grid = Fixture.render(model)
        #expect(grid.line(21).hasPrefix("pent 2 is DOWN at 3/3 retries"))
        #expect(grid.line(22).contains("pcheck exits"))
        #expect(grid.line(22).hasSuffix("y/n"))
    }

    @Test func yesThenTurnsMonitoringOn() {
        var model = model(retryCount: 3)
        _ = model.handle(.character("m"))
        #expect(model.handle(.character("y")) == [.send(.monitor(on: true, pentID: 2),
                                                        socketPath: Fixture.tomcat.rawValue + ".sock",
                                                        engine: Fixture.tomcat)])
    }

    @Test func noLeavesMonitoringOffAndSendsNothing() {
        var model = model(retryCount: 3)
        _ = model.handle(.character("m"))
        #expect(model.handle(.character("n")) == [])
        #expect(model.pending.isEmpty)
    }

    @Test func theLastRetryAsksTooAndNamesTheClusterResource() {
        var model = model(retryCount: 2, cluster: ClusterRecord(manager: .pacemaker, resource: "psaver_tomcat"))
        _ = model.handle(.character("m"))
        let question = model.question(for: .monitorOn(httpd))
        #expect(question.contains("one more failure is retry over"))
        #expect(question.contains("pacemaker fails resource psaver_tomcat over"))
    }

    @Test func retriesToSpareTurnMonitoringOnAtOnce() {
        var model = model(retryCount: 1)
        #expect(model.handle(.character("m")).count == 1)
        #expect(model.mode == .normal)
    }
}
