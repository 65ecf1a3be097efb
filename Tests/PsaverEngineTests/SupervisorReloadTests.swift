import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem
import Testing
@testable import PsaverEngine

/// SIGHUP while a restart script runs: the attempt stays with its entry.
@Suite("Supervisor: a reload during a restart")
struct SupervisorReloadTests {
    let first = ProcessIdentity(pid: ProcessID(3679), startTime: 500)
    let script = ProcessIdentity(pid: ProcessID(3700), startTime: 600)

    /// The scenario's pfile with `change` applied to its one entry.
    func pfile(_ s: Scenario, _ change: (inout Entry) -> Void) -> PFile {
        var entry = s.tracker().entry
        change(&entry)
        return PFile(path: "/etc/pfile", params: s.supervisor.params, entries: [entry])
    }

    @Test func aChangedRetry_whileTheScriptRuns_keepsTheAttempt_andStartsNoSecondScript() {
        var s = Scenario(retry: 3)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        let death = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        #expect(death.restarts == [Scenario.java])
        let attempt = s.attempt()
        _ = s.supervisor.restartScriptStarted(Scenario.java, attempt: attempt, script: script, at: s.now)

        let (actions, mapping) = s.supervisor.reload(pfile(s) { $0.retry = 5 }, found: [:], at: s.now)
        #expect(actions.restarts.isEmpty, "\(actions.logTexts)")
        #expect(mapping == [Scenario.java: Scenario.java])
        #expect(s.tracker().procStatus == .restarting && s.attempt() == attempt)
        #expect(s.tracker().entry.retry == 5 && s.tracker().restartCount == 1)

        // The attempt's outcome is the entry's: the script ends, the process is found.
        let end = s.scriptEnded(.exited(0), found: ProcessIdentity(pid: ProcessID(3800), startTime: 700))
        #expect(end.restarts.isEmpty)
        #expect(s.tracker().procStatus == .avail)
    }

    @Test func aChangedIncludeString_isAnotherEntry_andStartsAsAtStartUp() {
        var s = Scenario(retry: 3)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        let (_, mapping) = s.supervisor.reload(pfile(s) { $0.includeStrings = ["other"] }, found: [:], at: s.now)
        #expect(mapping.isEmpty)
        #expect(s.tracker().restartCount <= 1)
    }

    @Test func anEntryRemovedAndAddedBack_whileItsScriptRuns_getsItsAttemptBack() {
        var s = Scenario(retry: 3)
        _ = s.supervisor.start(found: [Scenario.java: first], at: s.now)
        _ = s.supervisor.processExited(Scenario.java, first, successor: nil, at: s.now)
        let attempt = s.attempt()
        _ = s.supervisor.restartScriptStarted(Scenario.java, attempt: attempt, script: script, at: s.now)
        let entry = s.tracker().entry

        let params = s.supervisor.params
        _ = s.supervisor.reload(PFile(path: "/etc/pfile", params: params, entries: []), found: [:], at: s.now)
        let (actions, _) = s.supervisor.reload(PFile(path: "/etc/pfile", params: params, entries: [entry]),
                                               found: [:], at: s.now)
        #expect(actions.restarts.isEmpty, "\(actions.logTexts)")
        #expect(actions.contains(.watchAdoptedScript(Scenario.java, attempt: attempt, script: script)))
        #expect(s.tracker().procStatus == .restarting && s.attempt() == attempt)
    }
}
