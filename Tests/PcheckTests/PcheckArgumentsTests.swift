import Testing
@testable import pcheck

@Suite("pcheck's command line")
struct PcheckArgumentsTests {
    func run(_ arguments: [String]) throws -> PcheckArguments {
        guard case .run(let parsed) = try PcheckArguments.parse(arguments) else {
            Issue.record("expected a run request for \(arguments)")
            return PcheckArguments(file: "")
        }
        return parsed
    }

    @Test func theProcessSaverForm_runsThePfileWithSyslog() throws {
        #expect(try run(["-f", "/var/opt/HA/PS/conf/bin/pfile_tomcat"])
                == PcheckArguments(file: "/var/opt/HA/PS/conf/bin/pfile_tomcat"))
    }

    @Test func everyOptionSpelling_isUnderstood() throws {
        let expected = PcheckArguments(file: "p", check: true, log: "stderr", poll: true)
        #expect(try run(["--check", "--file", "p", "--log", "stderr", "--poll"]) == expected)
        #expect(try run(["--file=p", "--log=stderr", "--check", "--poll"]) == expected)
        #expect(try run(["-fp", "--log", "stderr", "--poll", "--check"]) == expected)
    }

    @Test func help_winsOverEverythingElse() throws {
        #expect(try PcheckArguments.parse(["-f", "p", "--help"]) == .help)
        #expect(try PcheckArguments.parse(["-h"]) == .help)
    }

    @Test(arguments: [
        ([], "missing -f <pfile>"),
        (["-f"], "-f needs a value"),
        (["-f", "--check"], "-f needs a value"),
        (["-f", "p", "--bogus"], "unknown option '--bogus'"),
        (["-f", "p", "extra"], "unexpected argument 'extra'"),
        (["-f", "p", "--log="], "--log needs syslog, stderr or a file path"),
    ])
    func aBadCommandLine_saysWhatIsWrong(arguments: [String], message: String) {
        #expect(throws: PcheckArguments.UsageError(message: message)) { try PcheckArguments.parse(arguments) }
    }
}
