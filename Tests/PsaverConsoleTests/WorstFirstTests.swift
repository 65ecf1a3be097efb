import Testing
import PsaverConsole
import PsaverState
import PsaverSystem

/// Issue 18 items 2, 3 and 6: on a busy host the failed engine is on the first screen,
/// the header names it at any width, and n/N do not walk a dead engine's rows.
@Suite struct WorstFirstTests {
    @Test func anEngineAtRetryOverWhosePfileSortsLastIsOnTheFirstScreenWithItsFatalRow() {
        let model = BusyHost.model()
        let text = Fixture.render(model).text()
        #expect(text.contains("conf/pfile_20  IPCKEY 0x20000020  pid 12183  retry over"))
        #expect(text.contains(" !! RETRY OVER"))
        #expect(text.contains("/opt/svc20/bin/app1"))
        #expect(text.contains("FATAL"))
        // Its 49 healthy rows are listed last, under a heading, not before the live engines.
        #expect(model.lines[3] == .engine(BusyHost.id(1)))
        #expect(model.lines.contains(.lastRows(BusyHost.id(20))))
        #expect(model.lines.last == .entry(EntryKey(engine: BusyHost.id(20), pentID: 50)))
    }

    @Test func everyEngineThatIsNotRunningComesBeforeAnyHealthyOne() {
        var model = BusyHost.model()
        var stale = BusyHost.document(7, entries: 50)
        stale.heartbeatAt = "2026-11-25T10:40:00+00:00"
        model.apply(.engineUpdated(BusyHost.id(7), stale, .running))
        model.apply(.tick(now: Fixture.now))
        let groups = model.lines.compactMap { line -> EngineID? in
            if case .engine(let id) = line { return id }
            return nil
        }
        #expect(groups.prefix(3) == [BusyHost.id(20), BusyHost.id(7), BusyHost.id(1)])
    }

    @Test(arguments: [(15, 60), (24, 80), (60, 200)])
    func theHeaderCountsEnginesByStateAndKeepsFailuresAtAnyWidth(rows: Int, cols: Int) {
        var model = BusyHost.model(rows: rows, cols: cols)
        var down = BusyHost.document(3, entries: 50)
        down.entries[4].procSts = .down
        down.entries[4].pid = nil
        model.apply(.engineUpdated(BusyHost.id(3), down, .running))
        let header = Fixture.render(model).line(0)
        #expect(header.contains("retry over 1"), "\(cols) columns: \(header)")
        #expect(header.contains("DOWN 1"), "\(cols) columns: \(header)")
        if cols >= 80 { #expect(header.contains("running 19")) }
        if cols >= 200 { #expect(header.contains("AVAIL 949") && header.contains("psview")) }
        // Worst first: the engine that failed before the healthy engines, DOWN before AVAIL.
        if cols >= 80 {
            #expect(header.split(separator: "retry over 1").first!.count < header.split(separator: "running 19").first!.count)
        }
    }

    @Test func nJumpsFromProblemToProblemWithoutWalkingADeadEnginesRows() {
        var model = BusyHost.model(engines: 3, entries: 50)
        var down = BusyHost.document(1, entries: 50)
        down.entries[9].procSts = .down
        model.apply(.engineUpdated(BusyHost.id(1), down, .running))
        var visited: [EntryKey?] = []
        for _ in 0..<3 {
            _ = model.handle(.character("n"))
            visited.append(model.selection)
        }
        let fatal = EntryKey(engine: BusyHost.id(3), pentID: 1)
        let downKey = EntryKey(engine: BusyHost.id(1), pentID: 10)
        #expect(Set(visited.prefix(2).compactMap { $0 }) == [fatal, downKey])
        #expect(visited[2] == visited[0], "two problems: n wraps round after two steps")
    }

    @Test func nInTheProblemsViewStopsOnceOnADeadEngineThatHasNoProblemRow() {
        var model = BusyHost.model(engines: 3, entries: 50)
        model.apply(.engineUpdated(BusyHost.id(2), BusyHost.document(2, entries: 50), .gone))
        model.apply(.engineUpdated(BusyHost.id(3), BusyHost.document(3, entries: 50), .running))
        _ = model.handle(.character("p"))
        var stops = Set<EntryKey>()
        for _ in 0..<6 {
            _ = model.handle(.character("n"))
            if let selection = model.selection { stops.insert(selection) }
        }
        #expect(stops == [EntryKey(engine: BusyHost.id(2), pentID: 1)])
    }
}
