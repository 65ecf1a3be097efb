import Foundation
import PsaverState
import PsaverSystem
import Testing

/// The engine among real configurations and real disorder: shared scripts, reloads
/// while a script runs, a killed engine.
@Suite("pcheck among shared scripts and reloads", .serialized, .timeLimit(.minutes(3)))
struct EngineDisorderTests {
    /// A script that waits until `release` exists, then starts the service with the
    /// argument that tells its entry apart (`36000 + PSAVER_PENT_ID`).
    static func sharedScript(_ box: Sandbox, service: String) throws -> String {
        try script(box, "start-shared.sh", """
            while [ ! -e \(box.folder)/release ]; do sleep 0.05; done
            echo "start instance $PSAVER_PENT_ID"
            setsid \(service) $((36000 + PSAVER_PENT_ID)) </dev/null >/dev/null 2>&1 &
            exit 0
            """)
    }

    @Test func tenEntriesSharingOneScript_areEachAdoptedByTheirOwnEntry_afterTheEngineWasKilled() throws {
        let box = try Sandbox("shared")
        defer { box.close() }
        let service = try box.service("app")
        let start = try Self.sharedScript(box, service: service)
        let count = 10
        let pfile = try box.pfile((1...count).map { "\(service):\(start):0:3:exit:include_strings=\(36000 + $0)" })
        let pids = try (1...count).map { try box.startAnotherService(service, arguments: ["\(36000 + $0)"]) }
        let first = try PcheckRun(box, pfile: pfile, logName: "first.log")
        defer { first.stop() }
        for id in 1...count { try first.waitForEntry(id, "up") { $0.procSts == .avail } }

        for pid in pids { kill(pid, SIGKILL) }
        _ = try waitFor("every entry's script recorded as running", timeout: PcheckRun.patience) {
            (first.state?.entries.filter { $0.script.map { $0.startTime != 0 } == true }.count == count) ? true : nil
        }
        first.program.signal(SIGKILL)
        _ = try first.program.wait(timeout: PcheckRun.patience)

        let second = try PcheckRun(box, pfile: pfile, logName: "second.log")
        defer { second.stop() }
        try second.waitForLog("Start pcheck!!")
        try box.write("\(box.folder)/release", "", permissions: 0o644)
        for id in 1...count {
            try second.waitForEntry(id, "up, its script ended") { $0.procSts == .avail && !$0.scriptRunning }
        }
        #expect(box.pids(of: service).count == count, "\(second.log)")
        #expect(second.logCount("start instance") == 0, "the new engine started no script of its own:\n\(second.log)")
        let tracked = Set((1...count).compactMap { second.entry($0)?.pid })
        #expect(tracked.count == count, "each entry follows its own instance")
        #expect(try second.terminate() == 0)
    }

    @Test func aReloadThatChangesTheRetry_whileTheScriptRuns_keepsTheAttempt_oneScriptOneInstance() throws {
        let box = try Sandbox("reloadrun")
        defer { box.close() }
        let service = try box.service("app")
        let start = try Self.sharedScript(box, service: service)
        let line = "\(service):\(start):0:3:exit:include_strings=36001"
        let pfile = try box.pfile([line])
        let pid = try box.startAnotherService(service, arguments: ["36001"])
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.pid == pid }
        kill(pid, SIGKILL)
        try engine.waitForEntry(1, "restarting") { $0.procSts == .restarting && $0.scriptRunning }

        try box.pfile([line.replacingOccurrences(of: ":0:3:exit", with: ":0:5:exit")])
        engine.program.signal(SIGHUP)
        try engine.waitForLog("pfile reloaded")
        try box.write("\(box.folder)/release", "", permissions: 0o644)
        let up = try engine.waitForEntry(1, "up, its script ended") { $0.procSts == .avail && !$0.scriptRunning }
        #expect(up.retry == 5)
        #expect(up.restartCount == 1)
        #expect(box.pids(of: service).count == 1, "\(engine.log)")
        #expect(engine.logCount("start instance") == 1, "\(engine.log)")
        #expect(try engine.terminate() == 0)
    }
}

extension EngineDisorderTests {
    @Test func anEntryRemovedAndAddedBack_whileItsScriptRuns_keepsTheAttempt_oneScriptOneInstance() throws {
        let box = try Sandbox("readd")
        defer { box.close() }
        let service = try box.service("app")
        let other = try box.service("other")
        let start = try Self.sharedScript(box, service: service)
        let line = "\(service):\(start):0:3:exit:include_strings=36001"
        let otherLine = "\(other):\(try box.restartScript(for: other)):0:3:exit"
        let pfile = try box.pfile([line, otherLine])
        let pid = try box.startAnotherService(service, arguments: ["36001"])
        _ = try box.startService(other)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.pid == pid }
        try engine.waitForEntry(2, "up") { $0.procSts == .avail }
        kill(pid, SIGKILL)
        try engine.waitForEntry(1, "restarting") { $0.procSts == .restarting && $0.scriptRunning }

        try box.pfile([otherLine])
        engine.program.signal(SIGHUP)
        try engine.waitForLog("pfile reloaded: 1 entries kept, 0 new, 1 removed")
        try box.pfile([line, otherLine])
        engine.program.signal(SIGHUP)
        _ = try waitFor("the second reload", timeout: PcheckRun.patience) {
            engine.logCount("pfile reloaded") >= 2 ? true : nil
        }
        try box.write("\(box.folder)/release", "", permissions: 0o644)
        try engine.waitForEntry(1, "up, its script ended") { $0.procSts == .avail && !$0.scriptRunning }
        _ = try waitFor("the service", timeout: PcheckRun.patience) { box.pids(of: service).isEmpty ? nil : true }
        #expect(box.pids(of: service).count == 1, "\(engine.log)")
        #expect(engine.logCount("start instance") == 1, "\(engine.log)")
        #expect(try engine.terminate() == 0)
    }
}

extension EngineDisorderTests {
    @Test func scriptsTheKilledEngineHadNotYetRecorded_areFoundByWhatTheyCarry_andAdoptedByTheirEntries() throws {
        let box = try Sandbox("unrecorded")
        defer { box.close() }
        let service = try box.service("app")
        let start = try Self.sharedScript(box, service: service)
        let count = 3
        let pfile = try box.pfile((1...count).map { "\(service):\(start):0:3:exit:include_strings=\(36000 + $0)" })
        let pids = try (1...count).map { try box.startAnotherService(service, arguments: ["\(36000 + $0)"]) }
        let first = try PcheckRun(box, pfile: pfile, logName: "first.log")
        defer { first.stop() }
        for id in 1...count { try first.waitForEntry(id, "up") { $0.procSts == .avail } }
        for pid in pids { kill(pid, SIGKILL) }
        _ = try waitFor("every entry's script running", timeout: PcheckRun.patience) {
            (first.state?.entries.filter { $0.script != nil }.count == count) ? true : nil
        }
        first.program.signal(SIGKILL)
        _ = try first.program.wait(timeout: PcheckRun.patience)
        // As if the engine had been killed before its state file recorded the scripts.
        var state = try #require(box.state())
        for index in state.entries.indices { (state.entries[index].script, state.entries[index].scriptRunning) = (nil, false) }
        try FileSystem.replaceAtomically(box.stateFile, with: StateCodec.encode(state), permissions: 0o644)

        let second = try PcheckRun(box, pfile: pfile, logName: "second.log")
        defer { second.stop() }
        try second.waitForLog("Start pcheck!!")
        try box.write("\(box.folder)/release", "", permissions: 0o644)
        for id in 1...count {
            try second.waitForEntry(id, "up, its script ended") { $0.procSts == .avail && !$0.scriptRunning }
        }
        #expect(box.pids(of: service).count == count, "\(second.log)")
        #expect(second.logCount("start instance") == 0, "the new engine started no script of its own:\n\(second.log)")
        #expect(try second.terminate() == 0)
    }
}
