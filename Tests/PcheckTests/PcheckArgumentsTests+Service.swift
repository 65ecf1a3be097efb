import Testing
@testable import pcheck

@Suite("pcheck's command line: --version and --startup-grace")
struct PcheckServiceArgumentsTests {
    @Test func version_isARequestOfItsOwn() throws {
        #expect(try PcheckArguments.parse(["--version"]) == .version)
        #expect(try PcheckArguments.parse(["-f", "p", "--version"]) == .version)
    }

    @Test func startupGrace_takesWholeSeconds_andDefaultsToNone() throws {
        guard case .run(let plain) = try PcheckArguments.parse(["-f", "p"]),
            case .run(let graced) = try PcheckArguments.parse(["-f", "p", "--startup-grace", "120"]),
            case .run(let inline) = try PcheckArguments.parse(["-f", "p", "--startup-grace=0"])
        else {
            Issue.record("expected run requests")
            return
        }
        #expect(plain.startupGrace == .zero)
        #expect(graced.startupGrace == .seconds(120))
        #expect(inline.startupGrace == .zero)
    }

    @Test(arguments: ["-1", "soon", "1.5", "86401"])
    func startupGrace_refusesAnythingButWholeSecondsInRange(value: String) {
        #expect(throws: PcheckArguments.UsageError(
            message: "--startup-grace takes whole seconds from 0 to 86400, not '\(value)'")) {
            try PcheckArguments.parse(["-f", "p", "--startup-grace=\(value)"])
        }
    }
}
