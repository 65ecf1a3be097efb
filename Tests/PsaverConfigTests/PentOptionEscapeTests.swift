import PsaverConfig
import Testing

/// A value may hold ":", "," and "&" written as "\:", "\," and "\&".
@Suite struct PentOptionEscapeTests {
    func entry(_ options: String) throws -> Entry {
        try #require(try PFileParser.parse(withEntry(javaLine + ":" + options), path: "/etc/p").entries.first)
    }

    @Test func anEscapedColon_isPartOfTheIncludeString() throws {
        let parsed = try entry(#"include_strings=redis-server&127.0.0.1\:6390"#)
        #expect(parsed.includeStrings == ["redis-server", "127.0.0.1:6390"])
    }

    @Test func anEscapedCommaAndAmpersand_arePartOfTheirStrings() throws {
        let parsed = try entry(#"include_strings=a\,b&c\&d,exclude_strings=x\\"#)
        #expect(parsed.includeStrings == ["a,b", "c&d"])
        #expect(parsed.excludeStrings == [#"x\"#])
    }

    @Test func aBackslashBeforeAnyOtherCharacter_isKeptAsWritten() throws {
        let parsed = try entry(#"include_strings=C-\temp"#)
        #expect(parsed.includeStrings == [#"C-\temp"#])
    }

    @Test func anUnescapedColon_saysHowToEscapeIt() {
        let found = diagnostics(in: withEntry(javaLine + ":include_strings=127.0.0.1:6390")).filter { $0.severity == .error }
        #expect(found.count == 1)
        #expect(found.first?.message.contains(#"127.0.0.1\:6390"#) == true, "\(found)")
    }

    @Test func cleanupIsOnByDefault_andCanBeTurnedOffWithItsWait() throws {
        let plain = try entry("user=root")
        #expect(plain.cleanup && plain.cleanupWait == .seconds(5))
        let off = try entry("cleanup=off,cleanup_wait=2")
        #expect(!off.cleanup && off.cleanupWait == .seconds(2))
    }

    @Test func aCleanupValueOtherThanOnOrOff_isAnErrorAtItsColumn() {
        let line = javaLine + ":cleanup=maybe"
        expectOneError(withEntry(line), line: 5, column: line.count - 4, "cleanup must be on or off")
    }
}
