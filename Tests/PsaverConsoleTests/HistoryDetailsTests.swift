import PsaverConsole
import PsaverState
import PsaverSystem
import Testing

@Suite("Details show the history kept across engines")
struct HistoryDetailsTests {
    @Test func detailsShowTheLifetimeRestartsAndTheEventsOfEarlierEngines() {
        var model = Fixture.model(rows: 60, cols: 100)
        _ = model.handle(.down)  // pent 2, httpd: restart_count 4 in this engine (pid 12183)
        _ = model.handle(.enter)
        let key = HistoryKey(pname: "/usr/sbin/httpd", includeStrings: "", excludeStrings: "", user: nil)
        model.setHistory(HistoryDocument(entries: [
            HistoryEntry(key: key, restartsTotal: 10, lastRestart: "2026-11-25T10:49:58+00:00",
                         events: [HistoryEvent(time: "2026-11-24T08:00:00+00:00", enginePID: 999,
                                               text: "Process [/usr/sbin/httpd , pid=100] Down"),
                                  HistoryEvent(time: "2026-11-25T10:49:57+00:00", enginePID: 12183,
                                               text: "Process [/usr/sbin/httpd , pid=3702] Down")],
                         enginePID: 12183, engineRestarts: 3),
        ]), of: Fixture.tomcat)
        let text = Fixture.render(model).text()
        #expect(text.contains("History across engines (pfile_tomcat.history)"), "\(text)")
        #expect(text.contains("restarts over its life: 11 (this engine: 4), last 2026/11/25 10:49:58"), "\(text)")
        #expect(text.contains("[pcheck 999] Process [/usr/sbin/httpd , pid=100] Down"))
        #expect(!text.contains("[pcheck 12183]"), "this engine's own events are listed above, once")
    }

    @Test func withoutAHistoryFileTheDetailsAreAsBefore() {
        var model = Fixture.model(rows: 60, cols: 100)
        _ = model.handle(.enter)
        #expect(!Fixture.render(model).text().contains("History across engines"))
    }
}
