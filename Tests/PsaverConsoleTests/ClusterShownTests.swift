import PsaverState
import PsaverSystem
import Testing
@testable import PsaverConsole

@Suite("The console names the cluster resource that runs an engine")
struct ClusterShownTests {
    @Test func theGroupLine_namesTheClusterResource() {
        var model = ConsoleModel(rows: 30, cols: 140, viewer: .root)
        var document = Fixture.tomcatDocument()
        document.cluster = ClusterRecord(manager: .pacemaker, resource: "psaver_tomcat")
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        model.apply(.tick(now: Fixture.now))
        let text = Fixture.render(model).text()
        #expect(text.contains("pid \(document.pid)  pacemaker psaver_tomcat  running"), "\(text)")
    }

    @Test func anEngineNoClusterRuns_namesNone() {
        let text = Fixture.render(Fixture.model(rows: 30, cols: 140)).text()
        #expect(!text.contains("pacemaker") && !text.contains("clusterpro"))
    }
}

@Suite("Details show the engine before this one when it ended at retry over")
struct PreviousEngineShownTests {
    @Test func theDetailsName_theEntriesThatWentFatal_beforeTheFailback() {
        var model = Fixture.model(rows: 40, cols: 120)
        var previous = Fixture.tomcatDocument()
        previous.engineSts = .retryOver
        previous.entries[0].procSts = .fatal
        let pname = previous.entries[0].pname
        _ = model.handle(.enter)
        model.apply(.previousEngine(Fixture.tomcat, previous))
        let text = Fixture.render(model).text()
        #expect(text.contains("Engine before this one"), "\(text)")
        #expect(text.contains("pent \(previous.entries[0].pentId) \(pname) FATAL"), "\(text)")
        #expect(text.contains("padmin -c show pent --previous"))
    }

    @Test func withoutAKeptState_theDetailsSayNothingOfIt() {
        var model = Fixture.model(rows: 40, cols: 120)
        _ = model.handle(.enter)
        model.apply(.previousEngine(Fixture.tomcat, nil))
        #expect(!Fixture.render(model).text().contains("Engine before this one"))
    }
}
