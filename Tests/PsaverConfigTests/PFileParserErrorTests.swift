import PsaverConfig
import Testing

/// Every diagnostic the parser reports for `text`, or none when it parses.
func diagnostics(in text: String, path: String = "/etc/p") -> [PFileDiagnostic] {
    do {
        _ = try PFileParser.parse(text, path: path)
        return []
    } catch {
        return error.diagnostics
    }
}

/// Checks that `text` yields exactly one error, at `line`:`column`, whose message holds `fragment`.
func expectOneError(
    _ text: String, line: Int, column: Int, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let found = diagnostics(in: text).filter { $0.severity == .error }
    #expect(found.count == 1, "\(found)", sourceLocation: sourceLocation)
    guard let first = found.first else { return }
    #expect(first.file == "/etc/p", sourceLocation: sourceLocation)
    #expect(first.line == line, "\(first)", sourceLocation: sourceLocation)
    #expect(first.column == column, "\(first)", sourceLocation: sourceLocation)
    #expect(first.message.contains(fragment), "\(first.message)", sourceLocation: sourceLocation)
}

/// `pent` as the only PENT line of an otherwise valid pfile; it sits at line 5.
func withEntry(_ pent: String) -> String { pfile(param: minimalParam, pent: [pent]) }

/// `param` added to a valid PARAM section; it sits at line 4.
func withParam(_ param: String) -> String { pfile(param: minimalParam + [param], pent: [javaLine]) }

@Suite("Reporting errors in pfiles")
struct PFileParserErrorTests {
    @Test func aMissingParamSectionIsReportedForTheWholeFile() {
        expectOneError("##### PENT #####\n\(javaLine)\n", line: 0, column: 0, "no PARAM section")
    }

    @Test func aMissingPentSectionIsReportedForTheWholeFile() {
        expectOneError("#PARAM#\nIPCKEY 1\nSHM_DUMP_FILE /s\n", line: 0, column: 0, "no PENT section")
    }

    @Test func anEmptyFileLacksBothSections() {
        let messages = diagnostics(in: "").map(\.message)
        #expect(messages.count == 2)
        #expect(messages.first?.contains("no PARAM section") == true)
        #expect(messages.last?.contains("no PENT section") == true)
    }

    @Test func aPentSectionWithoutEntriesPointsAtItsHeader() {
        expectOneError(pfile(param: minimalParam, pent: ["# none yet"]), line: 4, column: 0, "has no entries")
    }

    @Test func textBeforeTheFirstHeaderIsAnError() {
        expectOneError("# ok\n  IPCKEY 1\n" + withEntry(javaLine), line: 2, column: 3, "before the first section header")
    }

    @Test func aSecondParamHeaderNamesTheFirst() {
        expectOneError(withEntry(javaLine) + "#PARAM#\n", line: 6, column: 1, "the first is at line 1")
    }

    @Test func aMissingIPCKeyPointsAtTheParamHeader() {
        expectOneError(pfile(param: ["SHM_DUMP_FILE /s"], pent: [javaLine]), line: 1, column: 0, "no IPCKEY")
    }

    @Test func aMissingStateFilePointsAtTheParamHeader() {
        expectOneError(pfile(param: ["IPCKEY 1"], pent: [javaLine]), line: 1, column: 0, "no SHM_DUMP_FILE")
    }

    @Test(arguments: [
        ("IPCKEY 0xZZ", 8, "must be a number, hex"), ("IPCKEY   12345678901", 10, "must fit in 32 bits"),
        ("IPCKEY 0x100000000", 8, "must fit in 32 bits"), ("IPCKEY -1", 8, "must be a number"),
        ("IPCKEY 0x", 8, "must be a number"),
    ])
    func aMalformedIPCKeyPointsAtTheValue(line: String, column: Int, fragment: String) {
        expectOneError(pfile(param: [line, "SHM_DUMP_FILE /s"], pent: [javaLine]), line: 2, column: column, fragment)
    }

    @Test(arguments: [
        ("MONITOR_INTERVAL abc", 18, "must be a whole number of seconds (such as 10), got \"abc\""),
        ("MONITOR_INTERVAL 5s", 18, "whole number of seconds"),
        ("MONITOR_INTERVAL 0", 18, "must be at least 1 second, got \"0\""),
        ("MSG_CHECK_INTERVAL -5", 20, "must be at least 1 second, got \"-5\""),
        ("RESTART_TIMEOUT 99999999999", 17, "too large: at most 4294967295 seconds"),
        ("RESTART_TIMEOUT 1.5", 17, "whole number of seconds"),
    ])
    func aMalformedIntervalPointsAtTheValue(line: String, column: Int, fragment: String) {
        expectOneError(withParam(line), line: 4, column: column, fragment)
    }

    @Test func aKeyWithoutValuePointsJustPastTheKey() {
        expectOneError(withParam("MONITOR_INTERVAL"), line: 4, column: 17, "needs a value")
    }

    @Test func aDuplicateKeyNamesTheLineOfTheFirst() {
        expectOneError(withParam("IPCKEY 2"), line: 4, column: 1, "IPCKEY is set twice; the first is at line 2")
    }

    @Test func aKeyJoinedToItsValueByAnEqualsSignIsAnError() {
        expectOneError(withParam("MONITOR_INTERVAL=3"), line: 4, column: 17, "not \"=\"")
    }

    @Test func tooFewFieldsPointsPastTheEndAndNamesTheMissingField() {
        expectOneError(withEntry("/a:/b:1"), line: 5, column: 8, "this one has 3, so retry is missing")
    }

    @Test func tooManyFieldsPointsAtTheExtraColon() {
        expectOneError(withEntry("/a:/b:1:1:exit:user=x:extra"), line: 5, column: 22, "too many \":\" fields")
    }

    @Test func aRelativePnameIsAnError() {
        expectOneError(withEntry("java:/b:1:1:exit"), line: 5, column: 1, "pname must be an absolute path")
    }

    @Test func aRelativeRestartScriptIsAnError() {
        expectOneError(withEntry("/a:start.sh:1:1:exit"), line: 5, column: 4, "restart_script must be an absolute path")
    }

    @Test func aNonNumericGraceSaysWhatIsExpected() {
        expectOneError(
            withEntry("/a:/b:abc:1:exit"), line: 5, column: 7,
            "grace must be a whole number of seconds (0 = never reset), got \"abc\"")
    }

    @Test func aNegativeRetryIsAnError() {
        expectOneError(withEntry("/a:/b:1:-1:exit"), line: 5, column: 9, "retry must be a whole number of restarts")
    }

    @Test func anUnknownRetryOverActionListsTheChoices() {
        expectOneError(withEntry("/a:/b:1:1:restart"), line: 5, column: 11, "must be exit, stop or exec=")
    }

    @Test(arguments: ["/a:/b:1:1:exec=notify.sh", "/a:/b:1:1:exec="])
    func execWithoutAnAbsolutePathPointsAtThePath(line: String) {
        expectOneError(withEntry(line), line: 5, column: 16, "exec= needs the absolute path of a script")
    }


    @Test(arguments: [
        ("/a:/b:1:1:exit:user", 20, "option user needs a value"),
        ("/a:/b:1:1:exit:user=", 21, "user must be a login name"),
        ("/a:/b:1:1:exit:start_wait=0", 27, "start_wait must be at least 1 second"),
        ("/a:/b:1:1:exit:start_wait=soon", 27, "start_wait must be a whole number of seconds"),
        ("/a:/b:1:1:exit:user=a,user=b", 23, "option user is given twice"),
    ])
    func aBadOptionValuePointsAtIt(line: String, column: Int, fragment: String) {
        expectOneError(withEntry(line), line: 5, column: column, fragment)
    }

    @Test(arguments: [
        ("/a:/b:1:1:exit:include_strings=a&&b", 34), ("/a:/b:1:1:exit:include_strings=a&", 34),
        ("/a:/b:1:1:exit:include_strings=", 32), ("/a:/b:1:1:exit:exclude_strings=&a", 32),
    ])
    func anEmptyMatchStringPointsAtTheGap(line: String, column: Int) {
        expectOneError(withEntry(line), line: 5, column: column, "has an empty string")
    }

    @Test func columnsCountCharactersNotBytes() {
        expectOneError(withEntry("/ü/日本:/b:x:1:exit"), line: 5, column: 10, "grace")
    }

    @Test func everyErrorIsReportedInLineOrderWithWarningsAmongThem() {
        let text = """
            #PARAM#
            IPCKEY zz
            COLOUR red
            MONITOR_INTERVAL 0
            #PENT#
            java:/b:x:1:exit
            /a:/b:1:1:explode
            """
        let found = diagnostics(in: text)
        // The missing SHM_DUMP_FILE is reported at the PARAM header, line 1.
        #expect(found.map(\.line) == [1, 2, 3, 4, 6, 6, 7])
        #expect(found.map(\.column) == [0, 8, 1, 18, 1, 9, 11])
        #expect(found.map(\.severity) == [.error, .error, .warning, .error, .error, .error, .error])
    }

    @Test func theErrorsPrintCompilerStyleWithTheLineQuotedAndACaret() {
        let text = pfile(param: ["IPCKEY\t0xZZ", "SHM_DUMP_FILE /s", "EXTRA 1"], pent: ["/a:/b:abc:1:exit"])
        do {
            _ = try PFileParser.parse(text, path: "/etc/p")
            Issue.record("expected errors")
        } catch {
            #expect(error.description == """
                /etc/p:2:8: error: IPCKEY must be a number, hex (such as 0x20000001) or decimal, got "0xZZ"
                    IPCKEY\t0xZZ
                          \t^
                /etc/p:4:1: warning: unknown PARAM key "EXTRA" is ignored; psaver knows IPCKEY, \
                MSG_CHECK_INTERVAL, MONITOR_INTERVAL, SHM_DUMP_FILE, RESTART_TIMEOUT
                    EXTRA 1
                    ^
                /etc/p:6:7: error: grace must be a whole number of seconds (0 = never reset), got "abc"
                    /a:/b:abc:1:exit
                          ^
                2 errors, 1 warning
                """)
            #expect(error.errors.count == 2)
            #expect(error.warnings.count == 1)
        }
    }
}
