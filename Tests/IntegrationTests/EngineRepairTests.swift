import Foundation
import PsaverState
import PsaverSystem
import Testing

/// Issue 8, reproduction 8: the engine puts back what it owns, and never says
/// "done" for a change its state file does not hold.
@Suite("The engine repairs what it owns", .serialized, .timeLimit(.minutes(2)))
struct EngineRepairTests {
    let box: Sandbox
    let stateFolder: String
    var stateFile: String { stateFolder + "/pfile.state" }

    init() throws {
        box = try Sandbox("repair")
        stateFolder = box.folder + "/state"
    }

    /// A pfile whose state lives in its own folder, so that the folder can go while the pfile stays.
    private func start() throws -> (PcheckRun, pfile: String) {
        let service = try box.service("a")
        let restart = try box.restartScript(for: service)
        let pfile = "\(box.folder)/pfile"
        try box.write(pfile, """
            ##### PARAM #####
            IPCKEY             \(box.ipcKey)
            MONITOR_INTERVAL   1
            SHM_DUMP_FILE      \(stateFile)
            ##### PENT #####
            \(service):\(restart):0:50:exit

            """, permissions: 0o644)
        let engine = try PcheckRun(box, pfile: pfile, stateFile: stateFile)
        try engine.waitForUp()
        return (engine, pfile)
    }

    private func padmin(_ pfile: String, _ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        try Program.run("padmin", ["-f", pfile, "-c"] + arguments, in: box, timeout: 15)
    }

    @Test func aDeletedStateFolder_comesBackWithStateAndSocket_byTheNextHeartbeat() throws {
        defer { box.close() }
        let (engine, pfile) = try start()
        defer { engine.stop() }
        TemporaryDirectory.removeTree(stateFolder)
        _ = try waitFor("the state folder, file and socket back", timeout: 10) { () -> Bool? in
            FileSystem.status(ofSocket: stateFile + ".sock") != nil && engine.state != nil ? true : nil
        }
        let off = try padmin(pfile, ["monitor", "off"])
        #expect(off.code == 0, "\(off.err)")
        #expect(engine.entry()?.monitorSts == .off)
        #expect(try engine.terminate() == 0)
    }

    @Test func aDeletedSocket_isListenedOnAgain_atTheNextHeartbeatOrSIGHUP() throws {
        defer { box.close() }
        let (engine, pfile) = try start()
        defer { engine.stop() }
        try FileSystem.remove(stateFile + ".sock")
        engine.program.signal(SIGHUP)
        _ = try waitFor("the socket back", timeout: 10) { FileSystem.status(ofSocket: stateFile + ".sock") }
        try engine.waitForLog("listening on it again")
        let off = try padmin(pfile, ["monitor", "off", "-i", "1"])
        #expect(off.code == 0, "\(off.err)")
        #expect(try engine.terminate() == 0)
    }

    @Test(.enabled(if: EngineRepairTests.canMountTmpfs, "needs root with CAP_SYS_ADMIN to mount a small tmpfs"))
    func withTheDiskFull_aChangeIsAppliedButNotRecorded_andPadminSaysSoWithExitCode6() throws {
        defer { box.close() }
        try FileSystem.makeDirectory(stateFolder, permissions: 0o755)
        guard Self.mount(stateFolder) else {
            Issue.record("could not mount a tmpfs on \(stateFolder)")
            return
        }
        defer { _ = Self.run("/bin/umount", ["-l", stateFolder]) }
        let (engine, pfile) = try start()
        defer { engine.stop() }
        // Fill the file system; the next state write cannot fit.
        _ = Self.run("/bin/dd", ["if=/dev/zero", "of=\(stateFolder)/fill", "bs=4k"])
        let off = try padmin(pfile, ["monitor", "off"])
        #expect(off.code == 6, "\(off.out)\(off.err)")
        #expect(off.err.contains("applied but not recorded"), "\(off.err)")
        #expect(off.err.contains("No space left"), "\(off.err)")
        #expect(engine.entry()?.monitorSts == .on, "the file still says on, as padmin warned")
        try FileSystem.remove(stateFolder + "/fill")
        try engine.waitForEntry(1, "recorded as off at the next heartbeat", timeout: 10) { $0.monitorSts == .off }
        #expect(try engine.terminate() == 0)
    }

    static let canMountTmpfs: Bool = {
        guard getuid() == 0, let folder = try? TemporaryDirectory.make(prefix: "psaver-mount-probe") else {
            return false
        }
        defer { TemporaryDirectory.removeTree(folder) }
        guard mount(folder) else { return false }
        return run("/bin/umount", [folder]) == 0
    }()

    private static func mount(_ folder: String) -> Bool {
        run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs", folder]) == 0
    }

    /// Runs a system tool to its end; its exit code (-1 when it could not run).
    @discardableResult
    private static func run(_ path: String, _ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        guard posix_spawn(&child, path, &actions, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }
}
