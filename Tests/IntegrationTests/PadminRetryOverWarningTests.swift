import Foundation
import PsaverState
import Testing

@Suite("padmin warns before a monitor on that is retry over", .serialized, .timeLimit(.minutes(5)))
struct PadminRetryOverWarningTests {
    /// An entry with retry 1, stopped for maintenance and then dead: DOWN, monitoring
    /// off, its one retry the last. Turning monitoring on restarts it with that retry,
    /// and a failure would be retry over and pcheck's exit.
    @Test func monitorOnAtTheRetryLimit_withoutATerminalOrYes_warnsRefusesWithNineAndSendsNothing() throws {
        let run = try EngineUnderTest("pwarn", retry: 1)
        defer { run.close() }
        try run.start()
        let first = try #require(run.entry?.pid)
        #expect(try run.padmin(["-c", "monitor", "off", "-i", "1"]).code == 0)
        kill(first, SIGKILL)
        try run.waitForEntry("DOWN with monitoring off") { $0.procSts == .down && $0.monitorSts == .off }

        let refused = try run.padmin(["-c", "monitor", "on", "-i", "1"])
        #expect(refused.code == 9, "\(refused.err)")
        #expect(refused.err.contains("padmin: warning: pent 1 is DOWN at 0/1 retries"))
        #expect(refused.err.contains("pcheck exits"))
        #expect(refused.err.contains("--yes"))
        #expect(run.entry?.monitorSts == .off)
        #expect(run.starts().isEmpty)

        let json = try run.padmin(["-c", "monitor", "on", "-i", "1", "--json"])
        #expect(json.code == 9)
        #expect(json.out.contains("not_confirmed"))

        let yes = try run.padmin(["-c", "monitor", "on", "-i", "1", "--yes"])
        #expect(yes.code == 0, "\(yes.err)")
        #expect(yes.err.contains("padmin: warning:"))
        try run.waitForEntry("AVAIL again") { $0.procSts == .avail && $0.monitorSts == .on }
    }

    @Test func monitorOnWithRetriesToSpare_needsNoYes() throws {
        let run = try EngineUnderTest("pspare", retry: 3)
        defer { run.close() }
        try run.start()
        let first = try #require(run.entry?.pid)
        #expect(try run.padmin(["-c", "monitor", "off", "-i", "1"]).code == 0)
        kill(first, SIGKILL)
        try run.waitForEntry("DOWN with monitoring off") { $0.procSts == .down && $0.monitorSts == .off }
        let on = try run.padmin(["-c", "monitor", "on", "-i", "1"])
        #expect(on.code == 0, "\(on.err)")
        #expect(!on.err.contains("warning"))
    }

    @Test func yesWithAnotherCommandIsAUsageError() throws {
        let run = try EngineUnderTest("pyesuse")
        defer { run.close() }
        let result = try run.padmin(["-c", "reset", "--yes"])
        #expect(result.code == 2)
    }
}
