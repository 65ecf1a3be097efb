import PsaverConfig
import Testing

/// The pfile from DESIGN.md §1, as operators write it.
let tomcatPFile = """
    ##### PARAM #####
    IPCKEY             0x20000001
    MSG_CHECK_INTERVAL 5
    MONITOR_INTERVAL   10
    SHM_DUMP_FILE      /var/opt/HA/PS/dump/pfile_tomcat
    ##### PENT #####
    /usr/bin/java:/var/opt/HA/PS/conf/bin/tomcat_start.sh:86400:3:exit:include_strings=apache&tomcat

    """

let pfilePath = "/var/opt/HA/PS/conf/bin/pfile_tomcat"

/// A pfile with the given PARAM and PENT lines under the usual headers
/// (PARAM lines start at line 2; PENT lines at line `param.count + 3`).
func pfile(param: [String], pent: [String]) -> String {
    (["##### PARAM #####"] + param + ["##### PENT #####"] + pent).joined(separator: "\n") + "\n"
}

let minimalParam = ["IPCKEY 1", "SHM_DUMP_FILE /tmp/state"]
let javaLine = "/usr/bin/java:/bin/start.sh:0:3:exit"

@Suite("Parsing valid pfiles")
struct PFileParserTests {
    @Test func theTomcatSampleParsesIntoEveryField() throws {
        let parsed = try PFileParser.parse(tomcatPFile, path: pfilePath)
        #expect(parsed.path == pfilePath)
        #expect(parsed.params == Params(
            ipcKey: IPCKey(0x2000_0001), stateFile: "/var/opt/HA/PS/dump/pfile_tomcat",
            messageCheckInterval: .seconds(5), monitorInterval: .seconds(10), restartTimeout: .seconds(60)))
        #expect(parsed.entries == [
            Entry(
                id: PentID(1), pname: "/usr/bin/java", restartScript: "/var/opt/HA/PS/conf/bin/tomcat_start.sh",
                grace: .seconds(86400), retry: 3, retryOverAction: .exit, includeStrings: ["apache", "tomcat"],
                line: 7),
        ])
        #expect(parsed.warnings.isEmpty)
        #expect(parsed.entries[0].includeStringsText == "apache&tomcat")
    }

    @Test func omittedIntervalsTakeTheirDefaults() throws {
        let parsed = try PFileParser.parse(pfile(param: minimalParam, pent: [javaLine]), path: "/etc/p")
        #expect(parsed.params.messageCheckInterval == .seconds(5))
        #expect(parsed.params.monitorInterval == .seconds(10))
        #expect(parsed.params.restartTimeout == .seconds(60))
    }

    @Test func givenIntervalsOverrideTheDefaults() throws {
        let text = pfile(
            param: minimalParam + ["MSG_CHECK_INTERVAL 2", "MONITOR_INTERVAL 3", "RESTART_TIMEOUT 4"],
            pent: [javaLine])
        let params = try PFileParser.parse(text, path: "/etc/p").params
        #expect(params.messageCheckInterval == .seconds(2))
        #expect(params.monitorInterval == .seconds(3))
        #expect(params.restartTimeout == .seconds(4))
    }

    @Test(arguments: [
        ("0x20000001", UInt32(0x2000_0001)), ("0XFFFFFFFF", UInt32.max), ("0xabcDEF", UInt32(0xab_cdef)),
        ("536870913", UInt32(536_870_913)), ("0", UInt32(0)),
    ])
    func ipcKeyIsReadAsHexOrDecimal(written: String, value: UInt32) throws {
        let text = pfile(param: ["IPCKEY \(written)", "SHM_DUMP_FILE /s"], pent: [javaLine])
        #expect(try PFileParser.parse(text, path: "/etc/p").params.ipcKey == IPCKey(value))
    }

    @Test(arguments: [
        ("dump/pfile_tomcat", "/etc/ps/dump/pfile_tomcat"), ("./state", "/etc/ps/state"),
        ("../dump/x", "/etc/ps/../dump/x"), ("/abs/state", "/abs/state"),
    ])
    func aRelativeStateFileResolvesAgainstThePFilesFolder(written: String, stored: String) throws {
        let text = pfile(param: ["IPCKEY 1", "SHM_DUMP_FILE \(written)"], pent: [javaLine])
        #expect(try PFileParser.parse(text, path: "/etc/ps/pfile").params.stateFile == stored)
    }

    @Test(arguments: [
        ("##### PARAM #####", "##### PENT #####"), ("#PARAM#", "#PENT#"), ("### PARAM ###", "### PENT ###"),
        ("#  PARAM", "#PENT"), ("##\tParam\t#####", "#########PENT"), ("# Param #", "## pent ##"),
    ])
    func sectionHeadersMayVaryInHashesSpacingAndCase(param: String, pent: String) throws {
        let text = [param, "IPCKEY 1", "SHM_DUMP_FILE /s", pent, javaLine].joined(separator: "\n")
        #expect(try PFileParser.parse(text, path: "/p").entries.count == 1)
    }

    @Test(arguments: ["# pent", "# param", "#pent", "# PENT entries follow", "# param values below"])
    func aCommentThatMentionsASectionIsNotAHeader(comment: String) throws {
        let text = ["##### PARAM #####", comment, "IPCKEY 1", "SHM_DUMP_FILE /s", "##### PENT #####", comment,
                    javaLine, comment].joined(separator: "\n")
        let parsed = try PFileParser.parse(text, path: "/p")
        #expect(parsed.entries.count == 1 && parsed.params.ipcKey == IPCKey(1))
    }

    @Test func anUnknownPentOption_isAWarning_soAProcessSaverPFileStillRuns() throws {
        let text = pfile(param: ["IPCKEY 1", "SHM_DUMP_FILE /s"], pent: [javaLine + ":colour=red"])
        let parsed = try PFileParser.parse(text, path: "/p")
        #expect(parsed.entries.count == 1)
        #expect(parsed.warnings.map(\.message) == [
            "unknown option \"colour\" is ignored; psaver's options are include_strings, exclude_strings, user, "
                + "start_wait, stall, backoff, cleanup, cleanup_wait"])
    }

    @Test func stallAndBackoff_areRead() throws {
        let text = pfile(param: ["IPCKEY 1", "SHM_DUMP_FILE /s"], pent: [javaLine + ":stall=60,backoff=0"])
        let entry = try #require(try PFileParser.parse(text, path: "/p").entries.first)
        #expect(entry.stall == .seconds(60) && entry.backoffLimit == .zero)
    }

    @Test func commentsBlankLinesAndIndentedCommentsAreSkipped() throws {
        let text = """
            # pfile for tomcat
            #
            ##### PARAM #####
            # the engine's key
            IPCKEY 0x1

              # indented comment
            SHM_DUMP_FILE /s
            ##### PENT #####
            # java
            \(javaLine)

            """
        let parsed = try PFileParser.parse(text, path: "/p")
        #expect(parsed.entries.map(\.line) == [11])
        #expect(parsed.warnings.isEmpty)
    }

    @Test func crlfLineEndingsAndTrailingWhitespaceAreTolerated() throws {
        let text = tomcatPFile.split(separator: "\n").map { $0 + " \t\r\n" }.joined()
        let parsed = try PFileParser.parse(text, path: pfilePath)
        #expect(parsed == (try PFileParser.parse(tomcatPFile, path: pfilePath)))
    }

    @Test func tabsMaySeparateKeysFromValues() throws {
        let text = pfile(param: ["IPCKEY\t\t0x10", "SHM_DUMP_FILE\t/s"], pent: [javaLine])
        #expect(try PFileParser.parse(text, path: "/p").params.ipcKey == IPCKey(16))
    }

    @Test func entriesAreNumberedInOrderWithTheirLines() throws {
        let text = pfile(param: minimalParam, pent: [javaLine, "# gap", "/usr/sbin/httpd:/bin/h.sh:0:0:stop"])
        let entries = try PFileParser.parse(text, path: "/p").entries
        #expect(entries.map(\.id) == [PentID(1), PentID(2)])
        #expect(entries.map(\.line) == [5, 7])
        #expect(entries.map(\.pname) == ["/usr/bin/java", "/usr/sbin/httpd"])
    }

    @Test func graceZeroMeansNeverAndRetryZeroIsAllowed() throws {
        let entry = try PFileParser.parse(pfile(param: minimalParam, pent: ["/a:/b:0:0:exit"]), path: "/p")
            .entries[0]
        #expect(entry.grace == nil)
        #expect(entry.retry == 0)
    }

    @Test(arguments: [
        ("exit", RetryOverAction.exit), ("stop", .stop), ("exec=/opt/notify.sh", .exec("/opt/notify.sh")),
    ])
    func retryOverActionsAreExitStopOrExec(written: String, action: RetryOverAction) throws {
        let text = pfile(param: minimalParam, pent: ["/a:/b:10:1:\(written)"])
        #expect(try PFileParser.parse(text, path: "/p").entries[0].retryOverAction == action)
    }

    @Test func everyOptionIsStored() throws {
        let line = "/a:/b:10:1:exit:include_strings=x&y z,exclude_strings=grep,user=tomcat,start_wait=30"
        let entry = try PFileParser.parse(pfile(param: minimalParam, pent: [line]), path: "/p").entries[0]
        #expect(entry.includeStrings == ["x", "y z"])
        #expect(entry.excludeStrings == ["grep"])
        #expect(entry.user == "tomcat")
        #expect(entry.userID == nil)
        #expect(entry.startWait == .seconds(30))
    }

    @Test func anEmptyOptionsFieldOrTrailingCommaIsHarmless() throws {
        let text = pfile(param: minimalParam, pent: ["/a:/b:1:1:exit:", "/c:/d:1:1:exit:user=x,"])
        let entries = try PFileParser.parse(text, path: "/p").entries
        #expect(entries[0].includeStrings.isEmpty)
        #expect(entries[1].user == "x")
    }

    @Test func anUnknownKeyIsAWarningWithItsPosition() throws {
        let text = pfile(param: minimalParam + ["  LOG_LEVEL 3"], pent: [javaLine])
        let warnings = try PFileParser.parse(text, path: "/p").warnings
        #expect(warnings.count == 1)
        #expect(warnings.first?.severity == .warning)
        #expect(warnings.first?.line == 4)
        #expect(warnings.first?.column == 3)
        #expect(warnings.first?.text == "  LOG_LEVEL 3")
        #expect(warnings.first?.message.contains("unknown PARAM key \"LOG_LEVEL\"") == true)
    }

    @Test func aLowerCaseKnownKeyWarnsWithTheSpellingToUse() throws {
        let text = pfile(param: minimalParam + ["monitor_interval 3"], pent: [javaLine])
        let parsed = try PFileParser.parse(text, path: "/p")
        #expect(parsed.warnings.first?.message.contains("did you mean MONITOR_INTERVAL?") == true)
        #expect(parsed.params.monitorInterval == .seconds(10))
    }

    @Test func duplicateEntriesWarnAtTheSecondLine() throws {
        let text = pfile(
            param: minimalParam,
            pent: [
                "/a:/b:1:1:exit:include_strings=x&y", "/a:/c:1:1:exit:include_strings=y&x",
                "/a:/b:1:1:exit:include_strings=z",
            ])
        let parsed = try PFileParser.parse(text, path: "/p")
        #expect(parsed.entries.count == 3)
        #expect(parsed.warnings.map(\.line) == [6])
        #expect(parsed.warnings.first?.message.contains("pent_id 1 at line 5") == true)
    }
}
