import Testing
@testable import PsaverEngine

/// What a running restart script carries, so a new engine knows whose attempt it is.
@Suite("PreviousEngine: a script's marks")
struct PreviousEngineMarksTests {
    static func environ(_ items: [String]) -> [UInt8] { Array(items.joined(separator: "\0").utf8) + [0] }

    @Test func aScriptOfThisKey_isReadWithItsEntryAndAttempt() throws {
        let block = Self.environ(["PATH=/bin", "PSAVER_IPCKEY=0x20000001", "PSAVER_PENT_ID=7",
                                  "PSAVER_PNAME=/usr/bin/java", "PSAVER_ATTEMPT=2", "PSAVER_RETRY_COUNT=1",
                                  "PSAVER_RESTART_COUNT=2", "LANG=C"])
        let marks = try #require(PreviousEngine.marks(in: block, ipcKey: "0x20000001"))
        #expect(marks.pentID == 7 && marks.pname == "/usr/bin/java" && marks.attempt == 2)
        #expect(marks.retryCount == 1 && marks.restartCount == 2)
    }

    @Test func anotherKeysScript_orAServiceWithoutAnAttempt_isNotOneOfOurs() {
        let other = Self.environ(["PSAVER_IPCKEY=0x1", "PSAVER_PENT_ID=1", "PSAVER_PNAME=/a", "PSAVER_ATTEMPT=1"])
        #expect(PreviousEngine.marks(in: other, ipcKey: "0x20000001") == nil)
        let retryOverScript = Self.environ(["PSAVER_IPCKEY=0x20000001", "PSAVER_PENT_ID=1", "PSAVER_PNAME=/a"])
        #expect(PreviousEngine.marks(in: retryOverScript, ipcKey: "0x20000001") == nil)
    }
}
