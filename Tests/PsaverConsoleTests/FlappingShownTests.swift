import Testing
import PsaverConsole
import PsaverState
import PsaverSystem

/// Issue 18 items 4 and 5: a crash loop and the reason for the last restart, as the
/// engine's state file says them, are on the row, in details, in the header and in problems.
@Suite struct FlappingShownTests {
    let java = EntryKey(engine: Fixture.tomcat, pentID: 1)

    func model(flapping: Bool = true, reason: RestartReason = .died, text: String = "died") -> ConsoleModel {
        var document = Fixture.tomcatDocument()
        document.entries[0].restartCount = 189
        document.entries[0].flapping = flapping
        document.entries[0].lastRestartReason = reason
        document.entries[0].lastRestartText = text
        var model = ConsoleModel(rows: 24, cols: 120)
        model.apply(.engineUpdated(Fixture.tomcat, document, .running))
        model.apply(.tick(now: Fixture.now))
        return model
    }

    @Test func aFlappingEntryThatLooksAvailSaysFlappingOnItsRowAndInTheHeader() throws {
        let grid = Fixture.render(model())
        let row = try #require((0..<grid.rows).first { grid.line($0).contains("/usr/bin/java") })
        #expect(grid.line(row).contains("FLAPPING"))
        #expect(!grid.line(row).contains("AVAIL"))
        #expect(grid.line(0).contains("flapping 1"))
    }

    @Test func aFlappingEntryIsAProblemForPAndN() {
        var model = model()
        #expect(model.problemRank(java) == .flapping)
        _ = model.handle(.character("p"))
        #expect(model.visibleEntries.first == EntryKey(engine: Fixture.tomcat, pentID: 2))  // DOWN is worse
        #expect(model.visibleEntries[1] == java)
    }

    @Test func detailsNameTheReasonForTheLastRestartAndTheCrashLoop() {
        var model = model(reason: .hung, text: "hung for 12 s, killed")
        _ = model.handle(.enter)
        let text = Fixture.render(model).text()
        #expect(text.contains("hung for 12 s, killed (hung)"))
        #expect(text.contains("yes: 3 restarts within 300 s"))
    }

    @Test func slashFlappingFindsIt() {
        var model = model()
        _ = model.handle(.character("/"))
        for character in "flapping" { _ = model.handle(.character(character)) }
        #expect(model.visibleEntries == [java])
    }
}
