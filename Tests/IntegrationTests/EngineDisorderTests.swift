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

/// Gone means gone: an engine that died and is not yet reaped.
@Suite("a zombie engine is gone", .serialized, .timeLimit(.minutes(3)))
struct ZombieEngineTests {
    @Test func padmin_saysAZombieEngineIsNotRunning() throws {
        let run = try EngineUnderTest("zombie")
        defer { run.close() }
        let engine = try run.start()
        // Killed and not reaped: the test process is its parent and does not wait yet.
        engine.signal(SIGKILL)
        _ = try waitFor("the engine to be a zombie", timeout: PcheckRun.patience) { isAlive(engine.pid) ? nil : true }
        let show = try run.padmin(["-c", "show", "pent"])
        #expect(show.code == 1, "\(show.err)")
        #expect(show.err.contains("not running"), "\(show.err)")
        _ = try engine.wait(timeout: PcheckRun.patience)
    }

    @Test(.enabled(if: FileSystem.exists("/usr/lib/ocf/lib/heartbeat/ocf-shellfuncs"),
                   "resource-agents is not installed (.ci/run installs it)"))
    func theOCFAgentsStopAndMonitor_takeAZombieEngineForGone() throws {
        let run = try EngineUnderTest("ocfzombie")
        defer { run.close() }
        let engine = try run.start()
        engine.signal(SIGKILL)
        _ = try waitFor("the engine to be a zombie", timeout: PcheckRun.patience) { isAlive(engine.pid) ? nil : true }
        let stopped = try PcheckClusterTests.agent("stop", name: "zombie", pfile: run.pfile, in: run.box)
        #expect(stopped.code == 0, "\(stopped.err)")
        #expect(!stopped.err.contains("did not stop"), "\(stopped.err)")
        let monitored = try PcheckClusterTests.agent("monitor", name: "zombie", pfile: run.pfile, in: run.box)
        #expect(monitored.code != 0, "a zombie engine is not running: \(monitored.err)")
        _ = try engine.wait(timeout: PcheckRun.patience)
    }

    @Test func aForgedStateFileNamingPid1_isNotShownAsARunningEngine() throws {
        let run = try EngineUnderTest("forged")
        defer { run.close() }
        let engine = try run.start()
        engine.signal(SIGTERM)
        #expect(try engine.wait(timeout: PcheckRun.patience) == 0)
        var forged = try #require(run.state)
        forged.pid = ProcessID(1)
        forged.startTicks = nil
        forged.engineSts = .running
        forged.heartbeatAt = WallTime.now().iso8601
        try FileSystem.replaceAtomically(run.box.stateFile, with: StateCodec.encode(forged), permissions: 0o644)
        let show = try run.padmin(["-c", "show", "pent"])
        #expect(show.code == 1, "\(show.err)")
        #expect(show.err.contains("not running"), "\(show.err)")
    }
}

/// Nobody can stop another user's engine from starting or being found.
@Suite("a user's engine beside a squatted registry folder", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: Sandbox.canRunBinariesAsNobody, "needs root, and binaries that nobody may run, for setpriv"))
struct SquattedRegistryTests {
    @Test func aRuntimeFolderSquattedByAnotherUser_doesNotStopNobodysEngine_andPsviewFindsIt() throws {
        let box = try Sandbox("squat")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc)
        let pfile = try box.pfile(["\(svc):\(script):0:3:exit"])
        let nobody: uid_t = 65534
        let runtime = "\(box.folder)/runtime"
        try FileSystem.makeDirectory(runtime, permissions: 0o755)
        // Another user (daemon, uid 1) made nobody's registry folder first.
        try FileSystem.makeDirectory(runtime + "/psaver", permissions: 0o755)
        chown(runtime + "/psaver", 1, 1)
        for path in [box.folder, runtime, svc, script, pfile] { chown(path, nobody, gid_t(65534)) }
        func asNobody(_ binary: String, _ arguments: [String]) throws -> Program {
            try Program("/usr/bin/setpriv",
                        ["--reuid=nobody", "--regid=nogroup", "--clear-groups", Sandbox.binary(binary)] + arguments,
                        in: box, environment: ["XDG_RUNTIME_DIR": runtime, "HOME": "/nonexistent"],
                        name: "\(binary)-nobody")
        }
        _ = try box.startService(svc)
        let engine = try asNobody("pcheck", ["-f", pfile, "--log", "\(box.folder)/pcheck.log"])
        defer { engine.stop() }
        _ = try waitFor("nobody's engine to run", timeout: 15) { () -> Bool? in
            guard engine.isRunning else { throw TimedOut(what: "an engine that ended: \(engine.errors)", seconds: 0) }
            return box.state()?.entries.first?.procSts == .avail ? true : nil
        }
        #expect(((try? String(contentsOfFile: "\(box.folder)/pcheck.log", encoding: .utf8)) ?? "")
            .contains("\(runtime)/psaver is not usable"), "the engine says where it registered instead")
        let psview = try asNobody("psview", ["--once", "--json"])
        _ = try psview.wait(timeout: 15)
        #expect(psview.output.contains(box.stateFile), "psview finds it: \(psview.output)")
        engine.signal(SIGTERM)
        #expect(try engine.wait(timeout: 15) == 0)
    }
}

/// DESIGN §6: no number of other clients can lock root out of the control socket.
@Suite("a crowded control socket", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: Sandbox.canRunBinariesAsNobody && FileSystem.isExecutable("/usr/bin/python3"),
                "needs root, setpriv and /usr/bin/python3"))
struct CrowdedSocketTests {
    @Test func anotherUserHoldingManyIdleConnections_neverLocksRootsPadminOut() throws {
        let run = try EngineUnderTest("crowd")
        defer { run.close() }
        try run.start()
        let socket = try #require(run.state?.controlSocket)
        // The socket's group is one `nobody` belongs to, as an operators' group would be.
        chown(socket, uid_t.max, gid_t(65534))
        let drop = "\(run.box.folder)/crowd"
        try FileSystem.makeDirectory(drop, permissions: 0o755)
        chown(drop, 65534, 65534)
        let ready = "\(drop)/ready"
        let holder = try script(run.box, "crowd.py", """
            import socket, time
            held = []
            while True:
                for _ in range(8):
                    s = socket.socket(socket.AF_UNIX)
                    try:
                        s.connect("\(socket)")
                        held.append(s)
                    except OSError:
                        s.close()
                if len(held) >= 40:
                    open("\(ready)", "a").close()
                time.sleep(0.05)
            """)
        let crowd = try Program("/usr/bin/setpriv",
                                ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3", holder],
                                in: run.box, name: "crowd")
        defer { crowd.stop() }
        _ = try waitFor("the crowd to hold its connections", timeout: PcheckRun.patience) { () -> Bool? in
            guard crowd.isRunning else { throw TimedOut(what: "a crowd that ended: \(crowd.errors)", seconds: 0) }
            return FileSystem.exists(ready) ? true : nil
        }
        for round in 1...10 {
            let result = try run.padmin(["-c", "monitor", round % 2 == 0 ? "on" : "off"])
            #expect(result.code == 0, "round \(round): \(result.err)")
        }
    }
}

/// A pfile read at SIGHUP is a consistent file.
@Suite("a pfile written in place at SIGHUP", .serialized, .timeLimit(.minutes(2)))
struct HalfWrittenPfileTests {
    @Test func aPfileHalfWrittenAtSIGHUP_isReadOnlyOnceItsWriterHasClosedIt() throws {
        let box = try Sandbox("halfpfile")
        defer { box.close() }
        let a = try box.service("a")
        let b = try box.service("b")
        let lineA = "\(a):\(try box.restartScript(for: a)):0:3:exit"
        let lineB = "\(b):\(try box.restartScript(for: b)):0:3:exit"
        let pfile = try box.pfile([lineA, lineB])
        let whole = try String(contentsOfFile: pfile, encoding: .utf8)
        let cut = try #require(whole.range(of: lineB))
        try box.write("\(box.folder)/half", String(whole[..<cut.lowerBound]), permissions: 0o644)
        try box.write("\(box.folder)/rest", String(whole[cut.lowerBound...]), permissions: 0o644)
        _ = try box.startService(a)
        _ = try box.startService(b)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(2, "up") { $0.procSts == .avail }

        // `cat > pfile` that stops half-way: the file is truncated and half written.
        let writer = try Program("/bin/sh", ["-c", """
            exec 3>\(pfile)
            cat \(box.folder)/half >&3
            : > \(box.folder)/half-written
            while [ ! -e \(box.folder)/release ]; do sleep 0.05; done
            cat \(box.folder)/rest >&3
            """], in: box, name: "writer")
        defer { writer.stop() }
        _ = try waitFor("the writer to stop half-way", timeout: PcheckRun.patience) {
            FileSystem.exists("\(box.folder)/half-written") ? true : nil
        }
        engine.program.signal(SIGHUP)
        try engine.waitForLog("SIGHUP Catch")
        // Time for a reload that does not wait for the writer (it would drop b).
        _ = try? waitFor("a reload of the half-written file", timeout: 2) {
            engine.log.contains("pfile reloaded") ? true : nil
        }
        try box.write("\(box.folder)/release", "", permissions: 0o644)
        _ = try writer.wait(timeout: PcheckRun.patience)
        try engine.waitForLog("pfile reloaded")
        #expect(engine.log.contains("pfile reloaded: 2 entries kept, 0 new, 0 removed"), "\(engine.log)")
        #expect(!engine.log.contains("1 removed"), "\(engine.log)")
        #expect(engine.state?.entries.count == 2)
    }
}
