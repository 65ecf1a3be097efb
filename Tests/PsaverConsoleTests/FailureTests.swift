import Testing
import PsaverConsole
import PsaverState
import PsaverSystem

/// Issue 9: psview when things go wrong.
@Suite struct PendingChangeTests {
    let java = EntryKey(engine: Fixture.tomcat, pentID: 1)

    func turnJavaOff() -> ConsoleModel {
        var model = Fixture.model()
        _ = model.handle(.character("m"))
        _ = model.handle(.character("y"))
        return model
    }

    func row(_ text: String, _ model: ConsoleModel) -> String? {
        Fixture.render(model).text().split(separator: "\n").map(String.init).first { $0.contains(text) }
    }

    @Test func aSentChangeShowsPendingOnItsRowUntilTheStateFileConfirmsIt() throws {
        var model = turnJavaOff()
        #expect(model.pending[java] != nil)
        #expect(try #require(row("java [apache", model)).contains("→off"))
        model.apply(.controlAnswered(java, .accepted("monitoring off for pent 1")))
        #expect(model.pending[java] != nil, "the engine's answer alone does not settle it")
        var document = Fixture.tomcatDocument()
        document.entries[0].monitorSts = .off
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        #expect(model.pending[java] == nil)
        #expect(model.statusMessage == "Confirmed by the state file: monitoring OFF for pent 1 (/usr/bin/java).")
        #expect(try #require(row("java [apache", model)).contains(" off "))
    }

    /// Item 3: a stopped engine's timeout is "no answer yet", never "refused"; when the
    /// engine runs again and applies the change, the state file confirms it.
    @Test func aTimeoutSaysNoAnswerYet_andTheLateChangeIsConfirmedByTheStateFile() {
        var model = turnJavaOff()
        model.apply(.controlAnswered(java, .noAnswerYet(seconds: 5)))
        let message = model.statusMessage ?? ""
        #expect(message.hasPrefix("No answer yet after 5 s"))
        #expect(!message.contains("refused"))
        #expect(model.pending[java] != nil)
        var document = Fixture.tomcatDocument()
        document.entries[0].monitorSts = .off
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        #expect(model.pending[java] == nil)
        #expect(model.statusMessage?.hasPrefix("Confirmed by the state file: monitoring OFF") == true)
    }

    @Test func aRefusalClearsThePendingChangeAndSaysWhy() {
        var model = turnJavaOff()
        model.apply(.controlAnswered(java, .refused("permission denied: uid 1000 may not change this engine")))
        #expect(model.pending[java] == nil)
        #expect(model.statusMessage == "Refused: permission denied: uid 1000 may not change this engine (pent 1 (/usr/bin/java))")
    }

    @Test func keysStillWorkWhileAChangeIsOutstanding_butNotASecondChangeToTheSameEntry() {
        var model = turnJavaOff()
        #expect(model.handle(.character("m")) == [])
        #expect(model.statusMessage?.contains("still pending") == true)
        _ = model.handle(.down)
        #expect(model.selection == EntryKey(engine: Fixture.tomcat, pentID: 2))
    }

    @Test func aResetIsConfirmedWhenRetryCountGoesToZero() {
        var model = Fixture.model()
        _ = model.handle(.down)
        let httpd = EntryKey(engine: Fixture.tomcat, pentID: 2)
        _ = model.handle(.character("r"))
        _ = model.handle(.character("y"))
        #expect(Fixture.render(model).text().contains("→0/3"))
        var document = Fixture.tomcatDocument()
        document.entries[1].retryCount = 0
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        #expect(model.pending[httpd] == nil)
    }
}

@Suite struct FailureStaysVisibleTests {
    func retryOverBatch() -> StateDocument {
        var document = Fixture.batchDocument()
        document.engineSts = .retryOver
        document.entries[0].monitorSts = .on
        document.events.append(EventRecord(time: "2026-11-25T10:50:05+00:00", pentId: 1,
                                           text: "(/usr/local/bin/batchd) RETRY_OVER:EXIT"))
        return document
    }

    /// Items 1 and 8: a banner names the entry, the time and the failover; rows are marked
    /// as of when; the dead engine's rows are not counted in the header.
    @Test func anEngineAtRetryOverHasABannerAndIsNotCountedAsLive() {
        var model = Fixture.model(rows: 24, cols: 160)
        model.apply(.engineUpdated(Fixture.batch, retryOverBatch(), .gone))
        let text = Fixture.render(model).text()
        #expect(text.contains("== /etc/psaver/pfile_batch  IPCKEY 0x20000002  pid 13001  retry over  rows as of 10:50:10"))
        #expect(text.contains(" !! RETRY OVER 10:50:05: pent 1 /usr/local/bin/batchd FATAL. Engine 0x20000002 "
                              + "(psaver/pfile_batch) exited; nothing watches its entries now."))
        #expect(text.hasPrefix("psview  node1  10:50:12  2 engines: retry over 1 running 1  DOWN 1 RESTARTING 1 "
                               + "AVAIL 1\n"))
    }

    @Test func xOnALiveEngineIsRefused() {
        var model = Fixture.model()
        #expect(model.handle(.character("x")) == [])
        #expect(model.mode == .normal)
        #expect(model.statusMessage?.contains("only an engine that stopped or died can be dismissed") == true)
    }

    @Test func xAsksThenDismissesADeadEngine_whichThenLeavesTheScreen() {
        var model = Fixture.model(onJava: false)
        model.apply(.engineUpdated(Fixture.batch, retryOverBatch(), .gone))
        #expect(model.handle(.character("x")) == [])
        #expect(model.mode == .confirming(.dismiss(Fixture.batch)))
        #expect(model.handle(.character("y")) == [.dismiss(Fixture.batch)])
        model.apply(.dismissed(Fixture.batch, refusal: nil))
        #expect(model.engine(Fixture.batch) == nil)
        #expect(!model.lines.contains(.banner(Fixture.batch)))
    }

    /// Item 8: engines that stopped, died or cannot be read pile up no more: X dismisses
    /// them all, even those without a row to select.
    @Test func shiftXDismissesEveryEngineThatIsNotRunning() {
        var model = Fixture.model()
        model.apply(.engineUpdated(Fixture.batch, retryOverBatch(), .gone))
        model.apply(.engineUpdated("/var/run/unreadable.state", nil, .unreadable("Permission denied")))
        _ = model.handle(.character("X"))
        #expect(model.question(for: .dismissAll([Fixture.batch, "/var/run/unreadable.state"]))
                == "Dismiss the 2 engine(s) that are not running? Their registry links go: they leave every "
                    + "user's psview on this host. y/n")
        #expect(model.handle(.character("y")) == [.dismiss(Fixture.batch), .dismiss("/var/run/unreadable.state")])
    }

    @Test func aRefusedDismissalKeepsTheEngineAndSaysWhy() {
        var model = Fixture.model(onJava: false)
        model.apply(.engineUpdated(Fixture.batch, retryOverBatch(), .gone))
        model.apply(.dismissed(Fixture.batch, refusal: "Not dismissed: /run/psaver is not yours to change"))
        #expect(model.engine(Fixture.batch) != nil)
        #expect(model.statusMessage == "Not dismissed: /run/psaver is not yours to change")
    }

    /// Item 2: another user's engine is marked read-only, and m says so before any prompt.
    @Test func anotherUsersEngineIsReadOnlyBeforeAnyPrompt() {
        var model = Fixture.model(viewer: UserID(1000))
        #expect(Fixture.render(model).text().contains("running  read-only (root)"))
        #expect(model.handle(.character("m")) == [])
        #expect(model.mode == .normal)
        #expect(model.statusMessage?.hasPrefix("Read-only: the engine of pent 1 (/usr/bin/java) runs as root") == true)
        _ = model.handle(.character("r"))
        #expect(model.mode == .normal)
    }

    @Test func theViewersOwnEngineIsNotReadOnly() {
        var model = ConsoleModel(viewer: UserID(1000))
        var document = Fixture.tomcatDocument()
        document.uid = UserID(1000)
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        #expect(!model.isReadOnly(Fixture.tomcat))
    }
}

@Suite struct ProblemsViewTests {
    /// Item 4: p lists every engine's entries in one list, worst first; n and N jump.
    @Test func pListsProblemsFirstAcrossEngines() {
        var model = Fixture.model(onJava: false)
        _ = model.handle(.character("p"))
        let order = model.visibleEntries.map { "\($0.engine == Fixture.batch ? "b" : "t")\($0.pentID)" }
        #expect(order == ["b1", "t2", "t3", "b2", "t1"])
        #expect(!model.lines.contains(.engine(Fixture.batch)), "one flat list")
        #expect(model.selection == EntryKey(engine: Fixture.batch, pentID: 1), "the worst first, selected")
        let text = Fixture.render(model).text()
        #expect(text.contains("   ID ENGINE     PNAME"))
        #expect(text.contains(">  1 0x20000002 "))
        _ = model.handle(.character("p"))
        #expect(model.sortKey == .pentID)
    }

    @Test func nAndShiftNJumpToTheNextAndPreviousProblemWrappingRound() {
        var model = Fixture.model(onJava: false)  // on batch 1 (FATAL)
        _ = model.handle(.character("n"))
        #expect(model.selection == EntryKey(engine: Fixture.tomcat, pentID: 2))  // DOWN, skipping AVAILs
        _ = model.handle(.character("n"))
        #expect(model.selection == EntryKey(engine: Fixture.tomcat, pentID: 3))
        _ = model.handle(.character("n"))
        #expect(model.selection == EntryKey(engine: Fixture.batch, pentID: 1))
        _ = model.handle(.character("N"))
        #expect(model.selection == EntryKey(engine: Fixture.tomcat, pentID: 3))
    }

    @Test func theFilterMatchesStateWordsAndMonitoringOff() {
        var model = Fixture.model()
        _ = model.handle(.character("/"))
        for character in "FATAL" { _ = model.handle(.character(character)) }
        #expect(model.visibleEntries == [EntryKey(engine: Fixture.batch, pentID: 1)])
        _ = model.handle(.escape)
        _ = model.handle(.character("/"))
        for character in "monitor off" { _ = model.handle(.character(character)) }
        #expect(model.visibleEntries == [EntryKey(engine: Fixture.batch, pentID: 1)])
    }

    /// Item 4: header counts in the rows' styles.
    @Test func headerCountsAreStyledLikeTheRows() throws {
        let grid = Fixture.render(Fixture.model())
        let header = grid.line(0)
        func style(_ text: String) throws -> CellStyle {
            let characters = Array(header), needle = Array(text)
            let start = try #require((0...(characters.count - needle.count)).first {
                Array(characters[$0..<($0 + needle.count)]) == needle
            })
            return grid[0, start].style
        }
        #expect(try style("FATAL 1") == .fatal)
        #expect(try style("DOWN 1") == .bad)
        #expect(try style("RESTARTING 1") == .warn)
    }
}

@Suite struct EventAndMessageViewTests {
    func busyTomcat(_ count: Int, from start: Int = 0) -> StateDocument {
        var document = Fixture.tomcatDocument()
        document.events = (start..<(start + count)).map { index in
            EventRecord(time: "2026-11-25T10:\(40 + index / 60):\(String(format2(index % 60)))+00:00", pentId: 2,
                        text: "event \(index)")
        }
        return document
    }

    func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Item 5: events scrolled out of the state file's ring stay in psview's history.
    @Test func eventsAreKeptBeyondTheStateFilesRing() {
        var model = Fixture.model()
        model.apply(.engineUpdated(Fixture.tomcat, busyTomcat(100), .running))
        model.apply(.engineUpdated(Fixture.tomcat, busyTomcat(100, from: 50), .running))
        let texts = model.history[Fixture.tomcat]?.map(\.text) ?? []
        #expect(texts.count == 154, "the fixture's 4 events, then 150 distinct ones")
        #expect(Array(texts.suffix(150)) == (0..<150).map { "event \($0)" })
    }

    /// Item 5: e shows every engine's events whole (wrapped), named by IPCKEY and a short
    /// pfile path, and / filters them.
    @Test func theEventLogShowsWholeLinesAndFilters() {
        var model = Fixture.model()
        var document = Fixture.tomcatDocument()
        document.events.append(EventRecord(
            time: "2026-11-25T10:50:11+00:00", pentId: 2,
            text: "(/usr/sbin/httpd) restart script /var/opt/HA/PS/conf/bin/start_2.sh ended: exit status 1; "
                + "monitoring off for pent 2 by uid 0"))
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        _ = model.handle(.character("e"))
        #expect(model.mode == .eventLog)
        var text = Fixture.render(model).text()
        #expect(text.contains("Event log: 7 events, every engine, oldest first"))
        #expect(text.contains(" 2026/11/25 10:50:11 0x20000001 bin/pfile_tomcat [2] (/usr/sbin/httpd) restart"))
        #expect(text.contains("     off for pent 2 by uid 0"), "wrapped whole, the verb at the end kept")
        _ = model.handle(.character("/"))
        for character in "0x20000002" { _ = model.handle(.character(character)) }
        _ = model.handle(.enter)
        text = Fixture.render(model).text()
        #expect(text.contains("Event log: 2 events matching \"0x20000002\""))
        #expect(!text.contains("httpd"))
        _ = model.handle(.escape)
        #expect(model.logFilter == "")
        _ = model.handle(.escape)
        #expect(model.mode == .normal)
    }

    /// Item 5: the event log scrolls back through history and follows new events at its end.
    @Test func theEventLogScrollsBackAndFollowsAtTheEnd() {
        var model = Fixture.model()
        model.apply(.engineUpdated(Fixture.tomcat, busyTomcat(100), .running))
        _ = model.handle(.character("e"))
        #expect(Fixture.render(model).text().contains("event 99"))
        _ = model.handle(.pageUp)
        var text = Fixture.render(model).text()
        #expect(!text.contains("event 99"))
        #expect(text.contains("↓ "), "a mark says how many events are below")
        _ = model.handle(.home)
        text = Fixture.render(model).text()
        #expect(text.contains("2026/11/24 23:10:00 0x20000002"), "the oldest first")
        _ = model.handle(.end)
        model.apply(.engineUpdated(Fixture.tomcat, busyTomcat(101), .running))
        #expect(Fixture.render(model).text().contains("event 100"), "at the end it follows")
    }

    /// Item 5: E opens the event log filtered to the selected entry.
    @Test func shiftEShowsTheSelectedEntrysEventsOnly() {
        var model = Fixture.model(rows: 40)
        _ = model.handle(.down)  // tomcat pent 2
        _ = model.handle(.character("E"))
        #expect(model.mode == .eventLog)
        #expect(model.logFilter == "0x20000001 bin/pfile_tomcat [2]")
        let text = Fixture.render(model).text()
        #expect(text.contains("Event log: 2 events matching"))
        #expect(text.contains("[2] Process [/usr/sbin/httpd ,"))
        #expect(!text.contains("/usr/bin/java ,pid"))
    }

    /// Item 9: a long message is cut with a pointer to M, and M shows it whole.
    @Test func aLongMessageIsCutWithAPointer_andMShowsItWhole() {
        var model = Fixture.model()
        let long = "pent 1 (/usr/bin/java): refused: permission denied: only root or the engine's user may change "
            + "this engine (uid 1000 asked; the engine runs as root)"
        model.apply(.actionResult(long))
        let status = Fixture.render(model).line(22)
        #expect(status.hasSuffix("… [M: whole]"))
        _ = model.handle(.character("M"))
        let text = Fixture.render(model).text()
        #expect(text.contains(" pent 1 (/usr/bin/java): refused: permission denied: only root or the engine's"))
        #expect(text.contains("uid 1000 asked; the engine runs as root)"))
    }

    /// Item 11: RETRY as wide as its widest value, no `0/10…`.
    @Test func aHugeRetryIsShownWhole() {
        var model = Fixture.model()
        var document = Fixture.tomcatDocument()
        document.entries[0].retry = 1_000_000
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        #expect(Fixture.render(model).text().contains(" 0/1000000 "))
    }

    /// Item 11: at 200 columns the space pname does not need shows each entry's last event.
    @Test func aWideScreenUsesItsWidth() {
        let grid = Fixture.render(Fixture.model(rows: 30, cols: 200))
        let text = grid.text()
        #expect(text.contains("LAST EVENT"))
        #expect(grid[0, 199].style == .header && grid[1, 199].style == .title && grid[2, 199].style == .group,
                "the bars reach the right edge")
        #expect(text.contains("restart script /var/opt/HA/PS/conf/bin/start_2.sh started"))
    }

    /// Item 11: markers say how many rows are off screen.
    @Test func rowsOffScreenAreCounted() {
        var document = Fixture.tomcatDocument()
        document.entries = (1...40).map { Fixture.entry($0, "/usr/bin/svc\($0)", pid: Int32(1000 + $0), .avail) }
        var model = ConsoleModel(rows: 24, cols: 80)
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        model.apply(.tick(now: Fixture.now))
        let below = model.geometry.eventsTitleRow
        #expect(Fixture.render(model).line(below).hasSuffix("↓ 27 more rows"))
        _ = model.handle(.end)
        #expect(Fixture.render(model).line(below).hasSuffix("↑ 27 more rows"))
        #expect(Fixture.render(model).line(1).hasSuffix("RERUN"), "the column titles stay whole")
    }

    /// Item 10's pure half: --once prints the list as plain lines with the banner whole.
    @Test func onceLinesHoldEveryEngineAndTheWholeBanner() {
        var model = Fixture.model(cols: 100)
        var document = Fixture.batchDocument()
        document.engineSts = .retryOver
        model.apply(.engineUpdated(Fixture.batch, document, .gone))
        let lines = ConsoleLayout.plainLines(model, now: Fixture.now, host: "node1")
        #expect(lines[1].hasPrefix("   ID PNAME"))
        #expect(lines.contains { $0.hasSuffix("x dismisses.") && $0.contains("RETRY OVER") })
        #expect(lines.filter { $0.hasPrefix("== ") }.count == 2)
        #expect(!lines.contains { $0.hasPrefix(">") }, "no cursor in a plain table")
    }
}
