import Testing
import PsaverConsole
import PsaverState
import PsaverSystem

/// A busy engine rewrites its state file at every event; when only the events changed,
/// the model keeps its list as it was instead of relisting every entry of every engine.
/// What shows must be what a relisting would give.
@Suite struct EventsOnlyUpdateTests {
    func withNewEvent(_ text: String) -> StateDocument {
        var document = Fixture.tomcatDocument(heartbeat: "2026-11-25T10:50:11+00:00")
        document.events.append(EventRecord(time: "2026-11-25T10:50:11+00:00", pentId: 1, text: text))
        return document
    }

    @Test func newEventsAlone_keepTheListAndSelection_andShowInTheEventsPane() {
        var model = Fixture.model(cols: 160)
        let (lines, selection) = (model.lines, model.selection)
        model.apply(.engineUpdated(Fixture.tomcat, withNewEvent("restart script ended: exit status 0"), .running))
        #expect(model.lines == lines)
        #expect(model.selection == selection)
        #expect(model.eventLog.last?.record.text == "restart script ended: exit status 0")
        #expect(Fixture.render(model).text().contains("restart script ended: exit status 0"))
    }

    @Test func newEventsFromAnEngineThatDied_stillGiveItsBanner() {
        var model = Fixture.model(cols: 160)
        model.apply(.engineUpdated(Fixture.tomcat, withNewEvent("last words"), .gone))
        #expect(model.lines.contains(.banner(Fixture.tomcat)))
    }

    @Test func newEventsWithAnEntryChanged_relistIt() {
        var model = Fixture.model(cols: 160)
        var document = withNewEvent("restarted")
        document.entries.removeLast()
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        #expect(!model.visibleEntries.contains(EntryKey(engine: Fixture.tomcat, pentID: 3)))
    }
}
