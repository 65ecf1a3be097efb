import Foundation
import PsaverSystem
import Testing

/// What every binary shares on its command line: `--version`, and one shape of
/// error line, `tool: what: why`, with the file or socket named first.
@Suite("pcheck, padmin and psview: --version and one error style", .serialized, .timeLimit(.minutes(2)))
struct ToolCommandLineTests {
    @Test(arguments: ["pcheck", "padmin", "psview"])
    func version_printsTheToolAndTheOneVersion_andExits0(tool: String) throws {
        let box = try Sandbox("version")
        defer { box.close() }
        let result = try Program.run(tool, ["--version"], in: box)
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out == "\(tool) \(PsaverVersion.string)\n")
        #expect(result.err.isEmpty)
    }

    /// The first line of stderr: the tool, then at least a subject and a reason.
    static func firstLine(_ text: String) -> String { String(text.prefix { $0 != "\n" }) }

    @Test func pcheck_errorsName_theToolThenThePath() throws {
        let box = try Sandbox("pcherr")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])

        let absent = try Program.run("pcheck", ["--check", "-f", "\(box.folder)/absent"], in: box)
        #expect(absent.code == 2)
        #expect(Self.firstLine(absent.err).hasPrefix("pcheck: \(box.folder)/absent: error: cannot read the pfile: "),
                "\(absent.err)")

        let log = "\(box.folder)/missing/pcheck.log"
        let noFolder = try Program.run("pcheck", ["-f", pfile, "--log", log], in: box)
        #expect(noFolder.code == 4)
        #expect(Self.firstLine(noFolder.err)
                    == "pcheck: \(log): cannot open the log (--log): its folder \(box.folder)/missing does not exist",
                "\(noFolder.err)")

        let unknown = try Program.run("pcheck", ["-f", pfile, "--bogus"], in: box)
        #expect(unknown.code == 2)
        #expect(Self.firstLine(unknown.err) == "pcheck: unknown option '--bogus' (see pcheck --help)", "\(unknown.err)")
    }

    @Test func padmin_errorsName_theToolThenTheFileOrSocket() throws {
        let box = try Sandbox("paderr")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])

        let absent = try Program.run("padmin", ["-f", "\(box.folder)/absent", "-c", "show", "pent"], in: box)
        #expect(absent.code == 2)
        #expect(Self.firstLine(absent.err).hasPrefix("padmin: \(box.folder)/absent: cannot read the pfile: "),
                "\(absent.err)")

        let stop = try Program.run("padmin", ["-f", pfile, "-c", "stop"], in: box)
        #expect(stop.code == 1)
        #expect(Self.firstLine(stop.err).hasPrefix("padmin: \(box.stateFile).sock: the engine is not running: "),
                "\(stop.err)")

        let show = try Program.run("padmin", ["-f", pfile, "-c", "show", "pent"], in: box)
        #expect(show.code == 1)
        #expect(Self.firstLine(show.err).hasPrefix("padmin: \(box.stateFile): the engine is not running: "),
                "\(show.err)")
    }

    @Test func psview_errorsName_theToolThenTheFileOrOption() throws {
        let box = try Sandbox("pserr")
        defer { box.close() }
        let unknown = try Program.run("psview", ["--bogus"], in: box)
        #expect(unknown.code == 2)
        #expect(Self.firstLine(unknown.err).hasPrefix("psview: "), "\(unknown.err)")
        #expect(Self.firstLine(unknown.err).contains("'--bogus'"), "\(unknown.err)")

        // With --once a check that cannot run is UNKNOWN (3), as a Nagios plugin says it.
        let absent = try Program.run("psview", ["-f", "\(box.folder)/absent", "--once"], in: box)
        #expect(absent.code == 3)
        #expect(Self.firstLine(absent.err) == "psview: \(box.folder)/absent: cannot read the pfile: open: "
                    + "No such file or directory", "\(absent.err)")

        let json = try Program.run("psview", ["--json"], in: box)
        #expect(json.code == 2)
        #expect(Self.firstLine(json.err).hasPrefix("psview: --json: "), "\(json.err)")
    }
}
