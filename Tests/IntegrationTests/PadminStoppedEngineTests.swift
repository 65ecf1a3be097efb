import Foundation
import PsaverState
import Testing

@Suite("padmin against an engine that is not running", .serialized, .timeLimit(.minutes(3)))
struct PadminStoppedEngineTests {
    static let commands: [[String]] = [
        ["show", "pent"], ["show", "param"], ["monitor", "on"], ["monitor", "off", "-i", "1"], ["reset"], ["stop"],
    ]

    @Test func everyCommand_againstAStoppedEngine_saysSo_withTheNotRunningCode() throws {
        let run = try EngineUnderTest("pdown")
        defer { run.close() }
        let engine = try run.start()
        engine.signal(SIGTERM)
        #expect(try engine.wait(timeout: 10) == 0)
        for command in Self.commands {
            let result = try run.padmin(["-c"] + command)
            #expect(result.code == 1, "\(command): \(result.err)")
            #expect(result.err.contains("the engine is not running: it stopped at "), "\(command)")
            #expect(result.err.split(separator: "\n").count == 1, "\(command)")
        }
        // show still prints the last state, with the warning on stderr.
        let show = try run.padmin(["-c", "show", "pent"])
        #expect(show.out.contains("pname           = \(run.service)"))
        #expect(show.err.contains("showing the last state it wrote"))
        let json = try PadminJSON(try run.padmin(["-c", "show", "pent", "--json"]).out)
        #expect(!json.ok)
        #expect(json.exitCode == 1)
        #expect(json.engine?.state == "stopped")
        #expect(json.entries?.count == 1)
    }

    @Test func everyCommand_withNoStateFileAtAll_saysTheEngineIsNotRunning() throws {
        let run = try EngineUnderTest("pnever")
        defer { run.close() }
        for command in Self.commands {
            let result = try run.padmin(["-c"] + command)
            #expect(result.code == 1, "\(command): \(result.err)")
            #expect(result.err.hasPrefix("padmin: \(run.box.folder)/"), "\(command)")
            #expect(result.err.contains(": the engine is not running"), "\(command)")
            #expect(result.out.isEmpty)
        }
    }

    @Test func afterRetryOver_showTellsWhichEntryWentFatal() throws {
        let run = try EngineUnderTest("pfatal", retry: 0)
        defer { run.close() }
        let engine = try run.start()
        let pid = try #require(run.entry?.pid)
        kill(pid, SIGKILL)
        #expect(try engine.wait(timeout: 20) == 1)
        let show = try run.padmin(["-c", "show", "pent"])
        #expect(show.code == 1)
        #expect(show.err.contains("exited at retry over"))
        #expect(show.out.contains("proc_sts        = FATAL"))
    }
}
