import Foundation
import PsaverState
import PsaverSystem
import Testing

/// Issue 8: a local user (nobody, through setpriv) against an engine running as
/// root, on a machine where the kernel's protected_symlinks and protected_fifos
/// may be off. Each test is one reproduction from the issue.
@Suite("A local user cannot redirect, freeze, hijack or block a root engine", .serialized,
       .timeLimit(.minutes(2)),
       .enabled(if: Sandbox.canRunBinariesAsNobody, "needs root, and binaries that nobody may run, for setpriv"))
struct HostileUserTests {
    let box: Sandbox
    /// A name in /tmp the attacker gets to first.
    let trap: String

    init() throws {
        box = try Sandbox("hostile")
        trap = "/tmp/psaver-trap-\(box.tag)"
    }

    private func cleanUp() {
        TemporaryDirectory.removeTree(trap)
        TemporaryDirectory.removeTree(trap + ".log")
        box.close()
    }

    /// Runs `command` with /bin/sh as nobody:nogroup; its exit code.
    @discardableResult
    private func asNobody(_ command: String) throws -> Int32 {
        let attacker = try Program("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                                        "/bin/sh", "-c", command], in: box, name: "attacker")
        return try attacker.wait(timeout: 15)
    }

    /// The service's pid once the engine (under syslog, so no PcheckRun) reports it up.
    private func serviceUp() throws -> Int32 {
        try waitFor("the service up", timeout: 15) { () -> Int32? in
            guard let entry = box.state()?.entries.first, entry.procSts == .avail else { return nil }
            return entry.pid
        }
    }

    /// A pfile with one entry whose state file is `stateFile`.
    private func pfile(stateFile: String, pent extra: String = "") throws -> (pfile: String, service: String) {
        let service = try box.service("a")
        let restart = try box.restartScript(for: service, extra: "echo restarting \(service)")
        let path = "\(box.folder)/pfile"
        try box.write(path, """
            ##### PARAM #####
            IPCKEY             \(box.ipcKey)
            MONITOR_INTERVAL   2
            SHM_DUMP_FILE      \(stateFile)
            ##### PENT #####
            \(service):\(restart):0:50:exit\(extra)

            """, permissions: 0o644)
        return (path, service)
    }

    // 1. Root file overwritten.
    @Test func aLinkPlantedWhereTheStateFolderWillBe_isRefused_andTheRootFileBehindItIsUntouched() throws {
        defer { cleanUp() }
        let victim = box.folder + "/victim"
        try FileSystem.makeDirectory(victim, permissions: 0o755)
        try box.write(victim + "/state", "root's own file\n", permissions: 0o644)
        #expect(try asNobody("ln -s \(victim) \(trap)") == 0)
        let (pfile, _) = try pfile(stateFile: trap + "/state")
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        #expect(try engine.program.wait(timeout: 15) == 4, "runtime fault: refused at start-up")
        #expect(engine.program.errors.contains(trap), "\(engine.program.errors)")
        #expect(engine.program.errors.contains("symbolic link"), "\(engine.program.errors)")
        #expect(try FileSystem.readText(victim + "/state") == "root's own file\n")
        #expect(!FileSystem.exists(victim + "/state.sock"))
    }

    // 2. Socket hijacked: the folder was the attacker's.
    @Test func aStateFolderTheAttackerMadeFirst_isRefused_namingItsOwner() throws {
        defer { cleanUp() }
        #expect(try asNobody("mkdir -m 0777 \(trap)") == 0)
        let (pfile, _) = try pfile(stateFile: trap + "/state")
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        #expect(try engine.program.wait(timeout: 15) == 4)
        #expect(engine.program.errors.contains("\(trap) belongs to nobody"), "\(engine.program.errors)")
        #expect(!FileSystem.exists(trap + "/state.sock"), "no socket for the attacker to swap")
        #expect(!FileSystem.exists(trap + "/state"))
    }

    // 3. Engine frozen by a FIFO, or its scripts' output read by another user.
    @Test func aFIFOAtTheScriptsOutput_neverFreezesTheEngine() throws {
        defer { cleanUp() }
        let stateFile = box.folder + "/pfile.state"
        #expect(mkfifo(stateFile + ".out", 0o666) == 0)
        let (pfile, service) = try pfile(stateFile: stateFile)
        // Under syslog the scripts' output goes to STATE.out.
        let engine = try Program("pcheck", ["-f", pfile], in: box)
        defer { engine.stop() }
        let first = try serviceUp()
        kill(first, SIGKILL)
        _ = try waitFor("a restart despite the FIFO", timeout: 15) { () -> Bool? in
            guard let entry = box.state()?.entries.first, entry.procSts == .avail, entry.pid != first else { return nil }
            return entry.restartCount >= 1 ? true : nil
        }
        #expect(box.pids(of: service).count == 1)
        engine.signal(SIGTERM)
        #expect(try engine.wait(timeout: 10) == 0, "SIGTERM still stops it")
    }

    @Test func aScriptsOutputFileOfAnotherUser_isNotWrittenInto() throws {
        defer { cleanUp() }
        let stateFile = box.folder + "/pfile.state"
        let out = stateFile + ".out"
        try box.write(out, "", permissions: 0o666)
        chown(out, 65534, 65534)
        let (pfile, service) = try pfile(stateFile: stateFile)
        let engine = try Program("pcheck", ["-f", pfile], in: box)
        defer { engine.stop() }
        let first = try serviceUp()
        kill(first, SIGKILL)
        _ = try waitFor("a restart", timeout: 15) { () -> Bool? in
            (box.state()?.entries.first?.restartCount ?? 0) >= 1 && !box.pids(of: service).isEmpty ? true : nil
        }
        usleep(300_000)
        #expect(try FileSystem.readText(out).isEmpty, "the restart script's words never reach nobody's file")
        engine.signal(SIGTERM)
        #expect(try engine.wait(timeout: 10) == 0)
    }

    // 4. Start-up blocked by a squatter on the lock's abstract name.
    @Test func aSquatterOnTheAbstractName_doesNotBlockStartUp() throws {
        defer { cleanUp() }
        let name = "psaver/ipckey/\(box.ipcKey)"
        let squatter = try Program("/usr/bin/setpriv", [
            "--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3", "-c",
            "import socket,time; s=socket.socket(socket.AF_UNIX); s.bind('\\0\(name)'); s.listen(1); time.sleep(60)",
        ], in: box, name: "squatter")
        defer { squatter.stop() }
        usleep(500_000)
        let (pfile, _) = try pfile(stateFile: box.folder + "/pfile.state")
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForUp()
        #expect(engine.isRunning, "\(engine.diagnosis)")
        try engine.waitForLog("uid 65534, neither root nor this engine's user: ignored")
        // The real lock still holds: a second root engine with the key is refused.
        let second = try Program("pcheck", ["-f", pfile, "--log", box.folder + "/second.log"], in: box)
        defer { second.stop() }
        #expect(try second.wait(timeout: 15) == 3, "\(second.errors)")
        #expect(try engine.terminate() == 0)
    }

    // 5. Log redirected.
    @Test func aLinkPlantedAtTheLogFile_isRefused_andItsTargetUntouched() throws {
        defer { cleanUp() }
        let victim = box.folder + "/shadow"
        try box.write(victim, "root:x:0:0\n", permissions: 0o600)
        #expect(try asNobody("ln -s \(victim) \(trap).log") == 0)
        let (pfile, _) = try pfile(stateFile: box.folder + "/pfile.state")
        let engine = try Program("pcheck", ["-f", pfile, "--log", trap + ".log"], in: box)
        defer { engine.stop() }
        #expect(try engine.wait(timeout: 15) == 4)
        #expect(engine.errors.contains("\(trap).log"), "\(engine.errors)")
        #expect(try FileSystem.readText(victim) == "root:x:0:0\n")
    }

    @Test func aLogFilePlantedByAnotherUser_isRefused() throws {
        defer { cleanUp() }
        #expect(try asNobody("touch \(trap).log && chmod 0666 \(trap).log") == 0)
        let (pfile, _) = try pfile(stateFile: box.folder + "/pfile.state")
        let engine = try Program("pcheck", ["-f", pfile, "--log", trap + ".log"], in: box)
        defer { engine.stop() }
        #expect(try engine.wait(timeout: 15) == 4)
        #expect(engine.errors.contains("belongs to nobody"), "\(engine.errors)")
        #expect(try FileSystem.readText(trap + ".log").isEmpty)
    }

    // 6. Readers hang on a FIFO; escape bytes reach the terminal.
    @Test func aFIFOAtTheStatePath_isRefusedAtOnceByPadminAndPsview() throws {
        defer { cleanUp() }
        let stateFile = box.folder + "/pfile.state"
        #expect(mkfifo(stateFile, 0o644) == 0)
        let (pfile, _) = try pfile(stateFile: stateFile)
        let show = try Program.run("padmin", ["-f", pfile, "-c", "show", "pent"], in: box, timeout: 10)
        #expect(show.code != 0)
        #expect(show.err.contains("FIFO"), "\(show.err)")
        let once = try Program.run("psview", ["--once", stateFile], in: box, timeout: 10)
        #expect(!once.out.isEmpty || !once.err.isEmpty, "psview says something and ends")
    }

    @Test func escapeBytesInAStateFile_neverReachTheTerminalThroughPadmin() throws {
        defer { cleanUp() }
        let (pfile, service) = try pfile(stateFile: box.folder + "/pfile.state")
        let engine = try PcheckRun(box, pfile: pfile)
        try engine.waitForUp()
        #expect(try engine.terminate() == 0)
        let text = try FileSystem.readText(box.stateFile)
        let forged = text.replacingOccurrences(of: "\"\(service)\"", with: "\"\\u001b]0;owned\\u0007\\u001b[2J\(service)\"")
        #expect(forged != text)
        try box.write(box.stateFile, forged, permissions: 0o644)
        let show = try Program.run("padmin", ["-f", pfile, "-c", "show", "pent"], in: box, timeout: 10)
        #expect(show.out.contains(service), "\(show.out + show.err)")
        #expect(!show.out.utf8.contains(0x1B) && !show.out.utf8.contains(0x07))
        #expect(!show.err.utf8.contains(0x1B))
    }

    // 7. Quadratic diagnostics, at the command line and on reload.
    @Test func aLineOf64000Ampersands_isCheckedInAMoment_andAReloadWithItKeepsMonitoring() throws {
        defer { cleanUp() }
        let (pfile, service) = try pfile(stateFile: box.folder + "/pfile.state")
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        let first = try engine.waitForUp()
        let good = try FileSystem.readText(pfile)
        let hostile = good.replacingOccurrences(
            of: ":0:50:exit\n", with: ":0:50:exit:include_strings=" + String(repeating: "&", count: 64_000) + "\n")
        try box.write(pfile, hostile, permissions: 0o644)

        let started = Date()
        let check = try Program.run("pcheck", ["--check", "-f", pfile], in: box, timeout: 30)
        print("pcheck --check of a 64,000 \"&\" line: \(Date().timeIntervalSince(started)) s, "
              + "\(check.err.utf8.count) bytes on stderr")
        #expect(check.code == 2)
        #expect(check.err.contains("… and 63,996 more errors on this line"), "\(check.err)")
        #expect(check.err.utf8.count < 16_000)

        engine.program.signal(SIGHUP)
        try engine.waitForLog("reload refused")
        kill(first.pid ?? 0, SIGKILL)
        try engine.waitForUp(replacing: first.pid)
        #expect(box.pids(of: service).count == 1)
        #expect(engine.state != nil, "the state file is still valid JSON")
        #expect(engine.log.utf8.count < 100_000, "the refusal is short: \(engine.log.utf8.count) bytes")
    }

    // 8. A restart script swapped by the owner of its folder, then run as root at the next death.
    @Test func aScriptInAFolderAnotherUserOwns_isRefusedAtStartUp_soTheirSwapNeverRunsAsRoot() throws {
        defer { cleanUp() }
        let scripts = box.folder + "/scripts"
        try FileSystem.makeDirectory(scripts, permissions: 0o755)
        chown(scripts, 65534, 65534)
        let service = try box.service("a")
        let restart = try box.restartScript(for: service)
        let script = scripts + "/start.sh"
        try box.write(script, try FileSystem.readText(restart), permissions: 0o755)
        let (pfile, _) = try pfile(stateFile: box.folder + "/pfile.state")
        try box.write(pfile, try FileSystem.readText(pfile).replacingOccurrences(of: restart, with: script),
                      permissions: 0o644)
        let proof = trap + ".log"

        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        if let code = try? engine.program.wait(timeout: 10) {
            #expect(code == 2, "a configuration error")
            #expect(engine.program.errors.contains("\(scripts) belongs to nobody"), "\(engine.program.errors)")
            #expect(engine.program.errors.contains("chown root \(scripts)"), "\(engine.program.errors)")
            return
        }
        // The engine took the pfile: show what nobody can then do with it.
        let first = try engine.waitForUp()
        #expect(try asNobody("mv \(script) \(script).old && printf '#!/bin/sh\\nid -u > \(proof)\\n' > \(script) "
                             + "&& chmod 755 \(script)") == 0)
        kill(first.pid ?? 0, SIGKILL)
        let ranAs = try? waitFor("the swapped script", timeout: 10) {
            (try? FileSystem.readText(proof)).flatMap { $0.isEmpty ? nil : $0 }
        }
        Issue.record("pcheck ran with \(script) in nobody's folder; nobody's script then ran as uid \(ranAs ?? "?")")
    }
}
