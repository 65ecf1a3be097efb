import Foundation
import PsaverSystem
import Testing

/// What pcheck does with pfiles before it monitors anything: refusals, `--check`,
/// and the sample pfile in `conf/`.
@Suite("pcheck and its pfile", .serialized, .timeLimit(.minutes(2)))
struct PcheckConfigTests {
    /// The sandbox pfile's first PENT line (after 4 PARAM lines, the extras line and two headers).
    static let firstPentLine = 7

    @Test func aPfileWithABadNumber_isRefusedWithCode2_namingFileLineAndColumn() throws {
        let box = try Sandbox("badnum")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc)
        let pfile = try box.pfile(["\(svc):\(script):soon:3:exit"])
        let column = svc.count + 1 + script.count + 1 + 1

        let result = try Program.run("pcheck", ["-f", pfile, "--log", "stderr"], in: box)
        #expect(result.code == 2)
        #expect(result.err.contains("\(pfile):\(Self.firstPentLine):\(column): error:"), "\(result.err)")
        #expect(result.err.contains("soon"), "the offending line is quoted")
        #expect(!result.err.contains("Backtrac"), "bad input never ends in a crash")
        #expect(!FileSystem.exists(box.stateFile), "a refused pfile starts nothing")
    }

    @Test func aPfileWhoseRestartScriptIsMissing_isRefusedWithCode2() throws {
        let box = try Sandbox("noscript")
        defer { box.close() }
        let svc = try box.service("a")
        let missing = "\(box.folder)/no-such-script.sh"
        let pfile = try box.pfile(["\(svc):\(missing):0:3:exit"])

        let result = try Program.run("pcheck", ["-f", pfile, "--log", "stderr"], in: box)
        #expect(result.code == 2)
        #expect(result.err.contains("\(pfile):\(Self.firstPentLine):\(svc.count + 2): error:"), "\(result.err)")
        #expect(result.err.contains("the restart script \(missing) does not exist"), "\(result.err)")
        #expect(!FileSystem.exists(box.stateFile))
    }

    @Test func aPfileWithAnUnknownRetryOverAction_isRefusedWithCode2() throws {
        let box = try Sandbox("badact")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc)
        let pfile = try box.pfile(["\(svc):\(script):0:3:explode"])
        let column = svc.count + 1 + script.count + 1 + 2 + 2 + 1

        let result = try Program.run("pcheck", ["-f", pfile, "--log", "stderr"], in: box)
        #expect(result.code == 2)
        #expect(result.err.contains("\(pfile):\(Self.firstPentLine):\(column): error:"), "\(result.err)")
    }

    @Test func aPfileOthersCanWrite_isRefusedWithCode2_sayingWhichFileAndWhy() throws {
        let box = try Sandbox("writable")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        try FileSystem.setPermissions(pfile, 0o666)

        let result = try Program.run("pcheck", ["-f", pfile, "--log", "stderr"], in: box)
        #expect(result.code == 2)
        #expect(result.err.contains(pfile), "\(result.err)")
        #expect(result.err.contains("writ"), "says that others can write it: \(result.err)")
    }

    @Test func check_returns0OnAGoodPfile_and2OnABadOne_withoutMonitoring() throws {
        let box = try Sandbox("check")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc)
        let good = try box.pfile(["\(svc):\(script):0:3:exit", "\(svc):\(script):60:1:stop:include_strings=x"],
                                 name: "good")
        let bad = try box.pfile(["\(svc):\(script):0:-1:exit"], name: "bad")

        let valid = try Program.run("pcheck", ["--check", "-f", good], in: box)
        #expect(valid.code == 0)
        #expect(valid.out.contains("\(good) is valid: IPCKEY \(box.ipcKey), 2 entries"), "\(valid.out)")
        #expect(box.pids(of: svc).isEmpty, "--check never runs a restart script")
        #expect(!FileSystem.exists("\(box.folder)/good.state"), "--check never writes the state file")

        let invalid = try Program.run("pcheck", ["--check", "-f", bad], in: box)
        #expect(invalid.code == 2)
        #expect(invalid.err.contains("\(bad):\(Self.firstPentLine):"), "\(invalid.err)")
        #expect(!FileSystem.exists("\(box.folder)/bad.state"))
    }

    @Test func usageErrors_exitWithCode2_andHelpWith0() throws {
        let box = try Sandbox("usage")
        defer { box.close() }
        let missing = try Program.run("pcheck", [], in: box)
        #expect(missing.code == 2)
        #expect(missing.err.contains("-f"), "\(missing.err)")
        let unknown = try Program.run("pcheck", ["-f", "\(box.folder)/x", "--bogus"], in: box)
        #expect(unknown.code == 2)
        let noFile = try Program.run("pcheck", ["-f", "\(box.folder)/absent"], in: box)
        #expect(noFile.code == 2)
        #expect(noFile.err.contains("\(box.folder)/absent"), "\(noFile.err)")

        let help = try Program.run("pcheck", ["--help"], in: box)
        #expect(help.code == 0)
        #expect(help.out.contains("Exit codes: 0 stopped, 1 retry over"), "\(help.out)")
        #expect(!help.err.contains("crashed"), "\(help.err)")
    }

    @Test func theSampleTomcatPfile_passesCheck_onceItsScriptPathExists() throws {
        let box = try Sandbox("sample")
        defer { box.close() }
        let conf = Self.repositoryRoot + "/conf"
        let sample = try FileSystem.readText("\(conf)/pfile_tomcat")
        let installedScript = "/etc/psaver/bin/tomcat_start.sh"
        #expect(sample.contains("/usr/bin/java:\(installedScript):86400:3:exit:include_strings=apache&tomcat"))
        #expect(sample.contains("IPCKEY             0x20000001"))

        // /var/opt/HA/PS may not exist here: point the entry at a copy of the sample script.
        let startScript = "\(box.folder)/tomcat_start.sh"
        try box.write(startScript, try FileSystem.readText("\(conf)/bin/tomcat_start.sh"), permissions: 0o755)
        let pfile = "\(box.folder)/pfile_tomcat"
        try box.write(pfile, sample.replacingOccurrences(of: installedScript, with: startScript), permissions: 0o644)

        let result = try Program.run("pcheck", ["--check", "-f", pfile], in: box)
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.contains("IPCKEY 0x20000001, 1 entry, state file /var/lib/psaver/pfile_tomcat"),
                "\(result.out)")
        // No warnings for the sample, but that a host without Java has no /usr/bin/java.
        let javaWarning = "pname /usr/bin/java does not exist"
        #expect(result.err.split(separator: "\n").allSatisfy { $0.contains(javaWarning) }, "\(result.err)")
        #expect(result.err.contains(javaWarning) == !FileSystem.exists("/usr/bin/java"), "\(result.err)")

        let syntax = try Program.run("/bin/sh", ["-n", startScript], in: box)
        #expect(syntax.code == 0, "tomcat_start.sh parses: \(syntax.err)")
        #expect(FileSystem.isExecutable("\(conf)/bin/tomcat_start.sh"))
    }

    /// The checkout this test file belongs to.
    static var repositoryRoot: String {
        var path = #filePath
        for _ in 0..<3 { path = FileSystem.directoryName(of: path) }
        return path
    }
}
