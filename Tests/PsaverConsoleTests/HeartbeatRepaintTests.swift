import Testing
import PsaverConsole
import PsaverState
import PsaverSystem

/// Each engine rewrites its state file once per MONITOR_INTERVAL with only a new
/// heartbeat; with many engines these are most of what psview reads, and the app renders
/// only the updates that `apply` says may change the screen.
@Suite struct HeartbeatRepaintTests {
    /// The tomcat fixture's heartbeat is 10:50:09; the model's clock reads 10:50:12.
    let later = "2026-11-25T10:50:19+00:00"

    @Test func aHeartbeatOfARunningEngine_changesNothingOnScreen_andSaysSo() {
        var model = Fixture.model(cols: 160)
        let before = Fixture.render(model)
        let repaint = model.apply(.engineUpdated(Fixture.tomcat, Fixture.tomcatDocument(heartbeat: later), .running))
        #expect(!repaint)
        #expect(model.engine(Fixture.tomcat)?.document?.heartbeatAt == later)
        #expect(Fixture.render(model) == before)
    }

    @Test func aHeartbeatThatBringsAStaleEngineBack_asksForARepaint() {
        var model = Fixture.model(cols: 160)
        model.apply(.tick(now: WallTime(iso8601: "2026-11-25T10:50:40+00:00")!))
        #expect(model.health(of: Fixture.tomcat) == .stale)
        let repaint = model.apply(.engineUpdated(Fixture.tomcat,
                                                 Fixture.tomcatDocument(heartbeat: "2026-11-25T10:50:39+00:00"), .running))
        #expect(repaint)
        #expect(model.health(of: Fixture.tomcat) == .running)
    }

    @Test func aHeartbeatWhileTheDetailsOfOneOfItsEntriesAreOpen_asksForARepaint() {
        var model = Fixture.model(cols: 160)
        _ = model.handle(.enter)
        guard case .details(let entry) = model.mode else {
            Issue.record("Enter did not open the details")
            return
        }
        let before = Fixture.render(model)
        let repaint = model.apply(.engineUpdated(entry.engine, Fixture.tomcatDocument(heartbeat: later), .running))
        #expect(repaint)
        #expect(Fixture.render(model) != before, "the details say \"state as of\" the heartbeat")
        // The other engine's heartbeat is not shown there.
        let other = model.apply(.engineUpdated(Fixture.batch, Fixture.batchDocument(heartbeat: later), .running))
        #expect(!other)
    }

    @Test func aRewriteWithTheSameEntriesButAnotherPid_isNotAHeartbeat() {
        var model = Fixture.model(cols: 160)
        var document = Fixture.tomcatDocument(heartbeat: later)
        document.pid = ProcessID(22222)
        let repaint = model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        #expect(repaint)
        #expect(Fixture.render(model).text().contains("pid 22222"))
    }

    @Test func theTotalsFollowAChangedEntryAfterHeartbeats() {
        var model = Fixture.model(cols: 160)
        model.apply(.engineUpdated(Fixture.tomcat, Fixture.tomcatDocument(heartbeat: later), .running))
        #expect(model.engine(Fixture.tomcat)?.summary.counts[.fatal] == nil)
        var document = Fixture.tomcatDocument(heartbeat: "2026-11-25T10:50:20+00:00")
        document.entries[0].procSts = .fatal
        let repaint = model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        #expect(repaint)
        #expect(model.engine(Fixture.tomcat)?.summary.counts[.fatal] == 1)
        #expect(model.engine(Fixture.tomcat)?.summary.counts[.avail] == nil)
    }
}
