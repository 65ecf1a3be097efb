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
