import Testing
import PsaverConsole
import PsaverState

@Suite struct FilterAndSortTests {
    func pnames(_ model: ConsoleModel) -> [String] {
        model.visibleEntries.map { model.record($0)!.pname }
    }

    func type(_ text: String, into model: inout ConsoleModel) {
        for character in text { _ = model.handle(.character(character)) }
    }

    @Test func slashStartsAFilterThatAppliesWhileTyping() {
        var model = Fixture.model()
        _ = model.handle(.character("/"))
        #expect(model.mode == .filtering)
        type("HTTP", into: &model)
        #expect(model.filter == "HTTP")
        #expect(pnames(model) == ["/usr/sbin/httpd"])
    }

    @Test func theFilterMatchesIncludeStringsToo() {
        var model = Fixture.model()
        _ = model.handle(.character("/"))
        type("apache", into: &model)
        #expect(pnames(model) == ["/usr/bin/java"])
        _ = model.handle(.escape)
        _ = model.handle(.character("/"))
        type("本番", into: &model)
        #expect(pnames(model) == ["/opt/アプリ/bin/サーバ"])
    }

    @Test func lettersThatAreCommandsAreTextWhileFiltering() {
        var model = Fixture.model()
        _ = model.handle(.character("/"))
        #expect(model.handle(.character("q")) == [])
        _ = model.handle(.character("m"))
        #expect(model.filter == "qm")
        #expect(model.mode == .filtering)
    }

    @Test func backspaceEditsAndEnterKeepsTheFilter() {
        var model = Fixture.model()
        _ = model.handle(.character("/"))
        type("javax", into: &model)
        #expect(pnames(model).isEmpty)
        _ = model.handle(.backspace)
        _ = model.handle(.enter)
        #expect(model.mode == .normal)
        #expect(model.filter == "java")
        #expect(pnames(model) == ["/usr/bin/java"])
    }

    @Test func escClearsTheFilterWhileTypingAndAfterwards() {
        var model = Fixture.model()
        _ = model.handle(.character("/"))
        type("java", into: &model)
        _ = model.handle(.escape)
        #expect(model.filter == "")
        #expect(model.mode == .normal)
        #expect(pnames(model).count == 5)

        _ = model.handle(.character("/"))
        type("java", into: &model)
        _ = model.handle(.enter)
        _ = model.handle(.escape)
        #expect(model.filter == "")
        #expect(pnames(model).count == 5)
    }

    @Test func sCyclesPentIDSeverityPnameRestartCountAndBack() {
        var model = Fixture.model()
        var keys = [model.sortKey]
        for _ in 0..<5 {
            _ = model.handle(.character("s"))
            keys.append(model.sortKey)
        }
        #expect(keys == [.pentID, .problems, .severity, .pname, .restartCount, .pentID])
    }

    @Test func eachSortOrdersEntriesWithinTheirEngine() {
        var model = Fixture.model()
        #expect(pnames(model) == ["/usr/local/bin/batchd", "/usr/bin/python3",
                                  "/usr/bin/java", "/usr/sbin/httpd", "/opt/アプリ/bin/サーバ"])
        _ = model.handle(.character("s"))  // problems: see ProblemsViewTests
        _ = model.handle(.character("s"))
        #expect(pnames(model) == ["/usr/local/bin/batchd", "/usr/bin/python3",
                                  "/usr/sbin/httpd", "/opt/アプリ/bin/サーバ", "/usr/bin/java"])
        _ = model.handle(.character("s"))
        #expect(pnames(model) == ["/usr/bin/python3", "/usr/local/bin/batchd",
                                  "/opt/アプリ/bin/サーバ", "/usr/bin/java", "/usr/sbin/httpd"])
        _ = model.handle(.character("s"))
        #expect(pnames(model) == ["/usr/local/bin/batchd", "/usr/bin/python3",
                                  "/usr/sbin/httpd", "/opt/アプリ/bin/サーバ", "/usr/bin/java"])
        #expect(model.statusMessage == "Sorted by restart_count.")
    }
}
