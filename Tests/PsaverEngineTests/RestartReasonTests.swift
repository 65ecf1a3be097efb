import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem
import Testing
@testable import PsaverEngine

/// DESIGN §2: each entry keeps why it was last restarted, and whether it is flapping
/// (`RestartWindow`), for consoles to show rather than guess.
@Suite struct RestartReasonTests {
    let java = ProcessIdentity(pid: ProcessID(3679), startTime: 100)

    @Test func aDeathIsDied_andAMissingProcessAtStartUpSaysSo() {
        var s = Scenario()
        _ = s.supervisor.start(found: [:], at: s.now)
        #expect(s.tracker().lastCause == .missingAtStart)
        _ = s.scriptEnded(.exited(0), found: java)
        _ = s.supervisor.processExited(Scenario.java, java, successor: nil, at: s.now)
        #expect(s.tracker().lastCause == .died)
        #expect(s.tracker().lastCause?.word == .died)
    }

    @Test func aHungProcessKilledAfterItsStallLimitIsHungForThatLong() {
        var s = Scenario()
        s.supervisor.trackers[0].entry.stall = .seconds(60)
        _ = s.supervisor.start(found: [Scenario.java: java], at: s.now)
        let stopped = ProcessRecord.State(rawValue: UInt8(ascii: "T"))
        _ = s.supervisor.observed([Scenario.java: (java, stopped)], at: s.now)
        s.clock = s.clock + .seconds(61)
        _ = s.supervisor.observed([Scenario.java: (java, stopped)], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, java, successor: nil, at: s.now)
        #expect(s.tracker().lastCause == .hung(seconds: 61))
        #expect(s.tracker().lastCause?.text == "hung for 61 s, killed")
    }

    @Test func aFailedScriptIsTheReasonForTheNextAttempt() {
        var s = Scenario(retry: 5)
        _ = s.supervisor.start(found: [:], at: s.now)
        _ = s.scriptEnded(.exited(1))
        _ = s.advance(.seconds(1))  // past the first back-off
        #expect(s.tracker().procStatus == .restarting)
        #expect(s.tracker().lastCause == .scriptFailed)
    }

    @Test func monitorOnAndResetAreStartedByHand() throws {
        var s = Scenario(retry: 3)
        _ = s.supervisor.start(found: [Scenario.java: java], at: s.now)
        _ = try s.supervisor.setMonitor(false, for: Scenario.java, requester: "x", at: s.now)
        _ = s.supervisor.processExited(Scenario.java, java, successor: nil, at: s.now)
        _ = try s.supervisor.setMonitor(true, for: Scenario.java, requester: "x", at: s.now)
        #expect(s.tracker().lastCause == .monitorOn)
    }

    @Test func threeRestartsWithinTheWindowAreFlapping_andStayingUpThatLongEndsIt() {
        var s = Scenario(retry: 10, grace: nil)
        _ = s.supervisor.start(found: [Scenario.java: java], at: s.now)
        var pid: Int32 = 4000
        for round in 1...3 {
            #expect(!s.tracker().flapping, "not after \(round - 1) restarts")
            pid += 1
            _ = s.killAndRecover(newPID: pid)
            _ = s.advance(.seconds(20))
        }
        #expect(s.tracker().flapping)
        #expect(s.supervisor.nextDeadline != nil, "the engine wakes to end it")
        _ = s.advance(.seconds(RestartWindow.seconds))
        #expect(!s.tracker().flapping)
    }

    @Test func restartsFartherApartThanTheWindowAreNotFlapping() {
        var s = Scenario(retry: 10, grace: nil)
        _ = s.supervisor.start(found: [Scenario.java: java], at: s.now)
        var pid: Int32 = 4000
        for _ in 1...4 {
            pid += 1
            _ = s.killAndRecover(newPID: pid)
            _ = s.advance(.seconds(RestartWindow.seconds / 2 + 1))
        }
        #expect(!s.tracker().flapping)
    }

    @Test func theStateDocumentCarriesTheReasonAndTheFlag() {
        var s = Scenario()
        _ = s.supervisor.start(found: [:], at: s.now)
        let facts = Supervisor.EngineFacts(pid: ProcessID(1), user: .root, host: "h", startedAt: s.wall, pfile: "/etc/pfile",
                                controlSocket: "/tmp/state.sock")
        let record = s.supervisor.document(facts: facts, status: .running, events: [], at: s.wall).entries[0]
        #expect(record.lastRestartReason == .missingAtStart)
        #expect(record.lastRestartText == "not running at start-up")
        #expect(record.flapping == false)
    }
}
