import Testing
import PsaverConsole
import PsaverState
import PsaverSystem

/// Issue 18 item 8, one test each.
@Suite struct SmallerItemsTests {
    @Test func pentID1000IsShownWhole() {
        var document = Fixture.tomcatDocument()
        document.entries[2].pentId = 1000
        var model = ConsoleModel(rows: 24, cols: 80)
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        let text = Fixture.render(model).text()
        #expect(text.contains(" 1000 "))
        #expect(!text.contains("10…"))
    }

    @Test func escAfterAFilterKeepsTheSelectedRow() {
        var model = Fixture.model()
        _ = model.handle(.character("/"))
        for character in "httpd" { _ = model.handle(.character(character)) }
        let httpd = EntryKey(engine: Fixture.tomcat, pentID: 2)
        #expect(model.selection == httpd)
        _ = model.handle(.escape)
        #expect(model.filter.isEmpty)
        #expect(model.selection == httpd)
        _ = model.handle(.character("/"))
        for character in "httpd" { _ = model.handle(.character(character)) }
        _ = model.handle(.enter)
        _ = model.handle(.escape)
        #expect(model.selection == httpd)
    }

    @Test func theKeyBarOfAReadOnlyEngineOffersNoMROrX() {
        let model = Fixture.model(viewer: UserID(1000))
        let footer = Fixture.render(model).line(23)
        #expect(footer.hasPrefix("read-only"))
        #expect(!footer.contains("m Monitor") && !footer.contains("r Reset") && !footer.contains("x Dismiss"))
        #expect(Fixture.render(Fixture.model()).line(23).hasPrefix("m Monitor"))
    }

    @Test func dismissingSaysItLeavesEveryUsersPsview() {
        var model = Fixture.model()
        model.apply(.engineUpdated(Fixture.batch, Fixture.batchDocument(), .gone))
        _ = model.handle(.home)
        _ = model.handle(.character("x"))
        guard case .confirming(let action) = model.mode else {
            Issue.record("x did not ask")
            return
        }
        #expect(model.question(for: action).contains("it leaves every user's psview on this host"))
    }

    @Test(arguments: [ConsoleKey.character("?"), .character("e"), .character("M"), .enter])
    func f10ClosesAViewInsteadOfQuitting(opening key: ConsoleKey) {
        var model = Fixture.model()
        _ = model.handle(key)
        #expect(model.mode != .normal)
        #expect(model.handle(.function(10)) != [.quit])
        #expect(model.mode == .normal)
        #expect(model.handle(.function(10)) == [.quit])
    }

    @Test func f10WhileFilteringClearsTheFilterAndTypesNothing() {
        var model = Fixture.model()
        _ = model.handle(.character("/"))
        _ = model.handle(.character("j"))
        #expect(model.handle(.function(10)) == [])
        #expect(model.filter.isEmpty)
        #expect(model.mode == .normal)
    }

    @Test func theRetryOverBannerNamesAFailoverOnlyUnderACluster() {
        var document = Fixture.batchDocument()
        document.engineSts = .retryOver
        var model = Fixture.model(cols: 200)
        model.apply(.engineUpdated(Fixture.batch, document, .gone))
        let plain = ConsoleLayout.bannerText(Fixture.batch, model: model, now: Fixture.now)
        #expect(!plain.contains("cluster") && !plain.contains("failed"))
        #expect(plain.contains("nothing watches its entries now"))
        document.cluster = ClusterRecord(manager: .pacemaker, resource: "psaver_batch")
        model.apply(.engineUpdated(Fixture.batch, document, .gone))
        #expect(ConsoleLayout.bannerText(Fixture.batch, model: model, now: Fixture.now)
                    .contains("pacemaker should have failed resource psaver_batch over"))
    }
}
