import Testing
import PsaverConsole
import PsaverState

@Suite struct NavigationTests {
    /// Keys of the fixture's entries in list order: batch's group first (ids sort).
    let batch1 = EntryKey(engine: Fixture.batch, pentID: 1)
    let batch2 = EntryKey(engine: Fixture.batch, pentID: 2)
    let tomcat1 = EntryKey(engine: Fixture.tomcat, pentID: 1)
    let tomcat2 = EntryKey(engine: Fixture.tomcat, pentID: 2)
    let tomcat3 = EntryKey(engine: Fixture.tomcat, pentID: 3)

    /// One engine with `count` AVAIL entries, for paging.
    func bigModel(count: Int, rows: Int = 24) -> ConsoleModel {
        var document = Fixture.tomcatDocument()
        document.entries = (1...count).map { Fixture.entry($0, "/usr/bin/svc\($0)", pid: Int32(1000 + $0), .avail) }
        var model = ConsoleModel(rows: rows, cols: 80)
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        model.apply(.tick(now: Fixture.now))
        return model
    }

    @Test func entriesAreGroupedByEngineWithAGroupLineEach() {
        let model = Fixture.model()
        #expect(model.lines == [.engine(Fixture.batch), .entry(batch1), .entry(batch2),
                                .engine(Fixture.tomcat), .entry(tomcat1), .entry(tomcat2), .entry(tomcat3)])
    }

    /// Issue 9 item 7: engines appear in any order (the registry lists them by IPCKEY,
    /// the list sorts them by path); until the operator moves, the cursor is on the top row.
    @Test func theCursorStartsOnTheTopRowWhateverOrderEnginesAppearIn() {
        let model = Fixture.model(onJava: false)
        #expect(model.selection == batch1)
        #expect(model.scrollOffset == 0)
    }

    @Test func onceTheOperatorMovesTheSelectionStaysOnItsEntryWhenAnEngineAppearsAboveIt() {
        var model = ConsoleModel()
        model.apply(.engineUpdated(Fixture.tomcat, Fixture.tomcatDocument(), .running))
        _ = model.handle(.down)
        model.apply(.engineUpdated(Fixture.batch, Fixture.batchDocument(), .running))
        #expect(model.selection == tomcat2)
    }

    /// Issue 9 item 11: g and G as in less, F1 help, F10 quit as in htop.
    @Test func gAndGGoToTheEnds_F1OpensHelp_F10Quits() {
        var model = Fixture.model()
        _ = model.handle(.character("G"))
        #expect(model.selection == tomcat3)
        _ = model.handle(.character("g"))
        #expect(model.selection == batch1)
        _ = model.handle(.function(1))
        #expect(model.mode == .help)
        _ = model.handle(.function(1))
        #expect(model.mode == .normal)
        #expect(model.handle(.function(10)) == [.quit])
    }

    @Test func downAndJMoveDownUpAndKMoveUp() {
        var model = Fixture.model()
        _ = model.handle(.down)
        #expect(model.selection == tomcat2)
        _ = model.handle(.character("j"))
        #expect(model.selection == tomcat3)
        _ = model.handle(.character("k"))
        _ = model.handle(.up)
        _ = model.handle(.up)
        #expect(model.selection == batch2)
    }

    @Test func movingStopsAtTheFirstAndLastEntries() {
        var model = Fixture.model()
        for _ in 0..<10 { _ = model.handle(.down) }
        #expect(model.selection == tomcat3)
        for _ in 0..<10 { _ = model.handle(.character("k")) }
        #expect(model.selection == batch1)
    }

    @Test func homeAndEndGoToTheFirstAndLastEntries() {
        var model = Fixture.model()
        _ = model.handle(.end)
        #expect(model.selection == tomcat3)
        _ = model.handle(.home)
        #expect(model.selection == batch1)
        #expect(model.scrollOffset == 0)
    }

    @Test func pageDownMovesByAScreenAndScrollsTheSelectionIntoView() {
        var model = bigModel(count: 40)
        #expect(model.geometry.listHeight == 14)
        _ = model.handle(.pageDown)
        #expect(model.selectedIndex == 13)
        _ = model.handle(.pageDown)
        #expect(model.selectedIndex == 26)
        let line = model.lines.firstIndex(of: .entry(model.selection!))!
        #expect(line >= model.scrollOffset && line < model.scrollOffset + 14)
        _ = model.handle(.pageUp)
        #expect(model.selectedIndex == 13)
        #expect(model.lines.firstIndex(of: .entry(model.selection!))! >= model.scrollOffset)
    }

    @Test func pagingStopsAtTheEnds() {
        var model = bigModel(count: 20)
        _ = model.handle(.pageDown)
        _ = model.handle(.pageDown)
        #expect(model.selectedIndex == 19)
        #expect(model.scrollOffset == 21 - 14)
        _ = model.handle(.pageUp)
        _ = model.handle(.pageUp)
        #expect(model.selectedIndex == 0)
        #expect(model.scrollOffset == 0, "the group line above the first entry shows again")
    }

    @Test func aResizeKeepsTheSelectionOnScreen() {
        var model = bigModel(count: 40, rows: 40)
        _ = model.handle(.end)
        _ = model.handle(.resize(rows: 24, cols: 80))
        #expect(model.terminalRows == 24)
        #expect(model.scrollOffset == 41 - 14)
    }

    @Test func theSelectionStaysOnTheSameEntryWhenAnUpdateReordersRows() {
        var model = Fixture.model()
        _ = model.handle(.down)
        #expect(model.selection == tomcat2)
        var document = Fixture.tomcatDocument()
        document.entries.reverse()
        document.entries[1].procSts = .avail
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        _ = model.handle(.character("s"))
        _ = model.handle(.character("s"))
        #expect(model.sortKey == .severity)
        #expect(model.selection == tomcat2)
    }

    @Test func whenTheSelectedEntryDisappearsTheRowInItsPlaceIsSelected() {
        var model = Fixture.model()
        _ = model.handle(.down)
        var document = Fixture.tomcatDocument()
        document.entries.remove(at: 1)
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        #expect(model.selection == tomcat3)
    }

    @Test func entriesStayListedWhenTheirEngineDies() {
        var model = Fixture.model()
        model.apply(.engineUpdated(Fixture.tomcat, nil, .gone))
        #expect(model.visibleEntries.count == 5)
        #expect(model.health(of: Fixture.tomcat) == .gone)
    }

    @Test func removingAnEngineDropsItsGroupAndClosesItsDetails() {
        var model = Fixture.model()
        _ = model.handle(.enter)
        #expect(model.mode == .details(tomcat1))
        model.apply(.engineRemoved(Fixture.tomcat))
        #expect(model.mode == .normal)
        #expect(model.lines == [.engine(Fixture.batch), .entry(batch1), .entry(batch2)])
        #expect(model.selection == batch2)
    }

    @Test func qQuitsFromTheMainView() {
        var model = Fixture.model()
        #expect(model.handle(.character("q")) == [.quit])
    }

    @Test func qAndEscCloseHelpAndDetailsInsteadOfQuitting() {
        var model = Fixture.model()
        _ = model.handle(.character("?"))
        #expect(model.mode == .help)
        #expect(model.handle(.character("q")) == [])
        #expect(model.mode == .normal)
        _ = model.handle(.enter)
        #expect(model.mode == .details(tomcat1))
        _ = model.handle(.escape)
        #expect(model.mode == .normal)
        _ = model.handle(.enter)
        #expect(model.handle(.character("q")) == [])
        #expect(model.mode == .normal)
    }
}
