import PsaverConfig
import Testing

/// Issue 8, reproduction 7: hostile lines once made diagnostics quadratic (13.5 s,
/// 1.4 GB and 390 MB of output for a 12 KB line; an abort at 64,000 "&").
@Suite("Bounding pfile diagnostics")
struct DiagnosticBoundsTests {
    @Test func aLineOf64000Ampersands_yieldsFiveErrorsAndACount_inAFewKilobytes() {
        let found = diagnostics(in: withEntry(javaLine + ":include_strings=" + String(repeating: "&", count: 64_000)))
        #expect(found.count == 6, "five findings and one count")
        #expect(found.last?.message == "… and 63,996 more errors on this line")
        #expect(found.last?.severity == .error)
        let printed = PFileErrors(found).description
        #expect(printed.utf8.count < 4_000, "\(printed.utf8.count) bytes")
    }

    @Test func fiveThousandRepeatedOptions_areCountedNotEachQuoted() {
        let options = Array(repeating: "include_strings=a", count: 5_000).joined(separator: ",")
        let found = diagnostics(in: withEntry(javaLine + ":" + options))
        #expect(found.count == 6)
        #expect(found.last?.message == "… and 4,994 more errors on this line")
    }

    @Test func aFileOfManyBadLines_keepsFiftyFindingsAndCountsTheRest() {
        let bad = Array(repeating: "relative:also-relative:x:y:z", count: 20_000)
        let found = diagnostics(in: pfile(param: minimalParam, pent: bad))
        #expect(found.count <= DiagnosticBoundsTests.maximumKept)
        let total = try? #require(found.last)
        #expect(total?.line == 0)
        #expect(total?.message.hasPrefix("… and ") == true)
        #expect(PFileErrors(found).description.utf8.count < 64_000)
    }

    @Test func warningsThatFillTheBudget_neverHideALaterError() {
        let unknown = (1...200).map { "UNKNOWN_KEY_\($0) 1" }
        let text = pfile(param: minimalParam + unknown + ["MONITOR_INTERVAL soon"], pent: [javaLine])
        #expect(throws: PFileErrors.self) { try PFileParser.parse(text, path: "/etc/p") }
        let found = diagnostics(in: text)
        #expect(found.last?.severity == .error, "the count of dropped findings holds an error")
        #expect(found.last?.message.contains("1 more error") == true, "\(found.last?.message ?? "")")
    }

    @Test func aLongLineIsQuotedAroundTheColumn_withTheCaretUnderTheFault() throws {
        let line = javaLine + ":include_strings=" + String(repeating: "a", count: 5_000) + "&&b"
        let found = diagnostics(in: withEntry(line))
        let fault = try #require(found.first)
        #expect(fault.column == line.count - 1)
        let printed = fault.description.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(printed.count == 3)
        #expect(printed[1].count < 140, "the quote is cut: \(printed[1].count) characters")
        #expect(printed[1].hasPrefix("    …"))
        let caret = try #require(printed[2].firstIndex(of: "^"))
        let offset = printed[2].distance(from: printed[2].startIndex, to: caret)
        let quoted = Array(printed[1])
        #expect(quoted[offset] == "&" && quoted[offset - 1] == "&", "the caret sits on the second \"&\"")
    }

    @Test func controlCharactersInALine_neverReachTheTerminal() {
        let found = diagnostics(in: withEntry("\u{1B}]0;owned\u{07}relative\u{1B}[2J:/s:0:3:exit"))
        let printed = PFileErrors(found).description
        #expect(!printed.isEmpty)
        #expect(!printed.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
    }

    @Test func aHugeValueIsQuotedShortInTheMessage() {
        let found = diagnostics(in: withEntry("relative" + String(repeating: "x", count: 100_000) + ":/s:0:3:exit"))
        #expect(found.count == 1)
        #expect((found.first?.message.count ?? .max) < 200, "\(found.first?.message.count ?? 0) characters")
    }

    /// 50 kept, one count per line that lost some (at most one per kept line), one for the file.
    static let maximumKept = 50 + 50 + 1
}
