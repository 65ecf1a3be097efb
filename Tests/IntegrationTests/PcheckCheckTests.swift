import Foundation
import PsaverState
import PsaverSystem
import Testing

/// `pcheck --check` passes exactly what the engine accepts at start-up, warns about
/// what it accepts but looks wrong, and counts in English.
@Suite("pcheck --check agrees with the engine", .serialized, .timeLimit(.minutes(2)))
struct PcheckCheckTests {
    @Test func aStateFolderOthersCanWrite_isRefusedByCheck_asTheEngineRefusesIt() throws {
        let box = try Sandbox("chkfolder")
        defer { box.close() }
        let svc = try box.service("a")
        let folder = "\(box.folder)/open"
        try FileSystem.makeDirectory(folder, permissions: 0o755)
        try FileSystem.setPermissions(folder, 0o777)
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"],
                                  extraParams: "", name: "pfile")
        let text = try FileSystem.readText(pfile).replacingOccurrences(of: box.stateFile, with: "\(folder)/state")
        try box.write(pfile, text, permissions: 0o644)

        let check = try Program.run("pcheck", ["--check", "-f", pfile], in: box)
        #expect(check.code == 2, "\(check.out)\(check.err)")
        let refusal = "the state folder (SHM_DUMP_FILE \(folder)/state): \(folder) may be written by other users"
        #expect(check.err.hasPrefix("pcheck: \(refusal)"), "\(check.err)")

        let engine = try Program.run("pcheck", ["-f", pfile, "--log", "stderr"], in: box)
        #expect(engine.code == 4, "the engine refuses the same folder: \(engine.err)")
        #expect(engine.err.hasPrefix("pcheck: \(refusal)"), "\(engine.err)")
    }

    @Test func aMissingStateFolder_passesCheck_withoutBeingMade_andTheEngineMakesIt() throws {
        let box = try Sandbox("chkmissing")
        defer { box.close() }
        let svc = try box.service("a")
        _ = try box.startService(svc)
        let folder = "\(box.folder)/not/yet"
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let text = try FileSystem.readText(pfile).replacingOccurrences(of: box.stateFile, with: "\(folder)/state")
        try box.write(pfile, text, permissions: 0o644)

        let check = try Program.run("pcheck", ["--check", "-f", pfile], in: box)
        #expect(check.code == 0, "\(check.err)")
        #expect(!FileSystem.exists("\(box.folder)/not"), "--check changes nothing on disk")
        let engine = try PcheckRun(box, pfile: pfile, stateFile: "\(folder)/state")
        defer { engine.stop() }
        try engine.waitForUp()
    }

    @Test func aLogFileInAMissingFolder_isRefusedByCheck_asByTheEngine() throws {
        let box = try Sandbox("chklog")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let log = "\(box.folder)/missing/pcheck.log"
        let check = try Program.run("pcheck", ["--check", "-f", pfile, "--log", log], in: box)
        #expect(check.code == 2)
        #expect(check.err.hasPrefix("pcheck: \(log): cannot open the log (--log): its folder \(box.folder)/missing "
                                    + "does not exist"), "\(check.err)")
    }

    @Test func aPnameThatDoesNotExist_orCannotRun_isAWarning_notARefusal() throws {
        let box = try Sandbox("chkpname")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc)
        let absent = "\(box.folder)/no-such-program"
        let plain = "\(box.folder)/not-executable"
        try box.write(plain, "data\n", permissions: 0o644)
        let pfile = try box.pfile(["\(absent):\(script):0:3:exit", "\(plain):\(script):0:3:exit"])

        let check = try Program.run("pcheck", ["--check", "-f", pfile], in: box)
        #expect(check.code == 0, "\(check.err)")
        let lines = check.err.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(check.err)")
        #expect(lines.first == "pcheck: \(pfile):\(PcheckConfigTests.firstPentLine): warning: pent_id 1: pname "
                    + "\(absent) does not exist; the entry matches only a process whose argv[0] is exactly that path")
        #expect(lines.last?.contains("pent_id 2: pname \(plain) is not executable") == true, "\(check.err)")
        #expect(check.out.contains("is valid: IPCKEY \(box.ipcKey), 2 entries,"), "\(check.out)")
    }

    @Test func check_countsEntriesInEnglish() throws {
        let box = try Sandbox("chkcount")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let check = try Program.run("pcheck", ["--check", "-f", pfile], in: box)
        #expect(check.code == 0, "\(check.err)")
        #expect(check.out.contains("is valid: IPCKEY \(box.ipcKey), 1 entry, state file"), "\(check.out)")
    }

    /// State folders as an operator or another user might leave them, made as root.
    static let folderSetups: [(name: String, shell: String)] = [
        ("good", "mkdir -m 0755 F"),
        ("missing", ""),
        ("world-writable", "mkdir -m 0777 F"),
        ("group-writable", "mkdir -m 0775 F"),
        ("nobody's", "mkdir -m 0755 F && chown nobody F"),
        ("a file", "touch F"),
        ("a link to root's folder", "mkdir -m 0755 F.real && ln -s F.real F"),
        ("a link nobody made", "mkdir -m 0755 F.real && ln -s F.real F && chown -h nobody F"),
    ]

    @Test(.enabled(if: getuid() == 0, "makes folders that belong to nobody"), arguments: folderSetups.indices)
    func checkAndTheEngine_acceptTheSameStateFolders(setup: Int) throws {
        let (name, shell) = Self.folderSetups[setup]
        let box = try Sandbox("chkagree")
        defer { box.close() }
        let svc = try box.service("a")
        _ = try box.startService(svc)
        let folder = "\(box.folder)/state-folder"
        let stateFile = "\(folder)/state"
        if !shell.isEmpty {
            let made = try Program.run("/bin/sh", ["-c", shell.replacingOccurrences(of: "F", with: folder)], in: box)
            #expect(made.code == 0, "\(name): \(made.err)")
        }
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let text = try FileSystem.readText(pfile).replacingOccurrences(of: box.stateFile, with: stateFile)
        try box.write(pfile, text, permissions: 0o644)

        let check = try Program.run("pcheck", ["--check", "-f", pfile], in: box)
        #expect(check.code == 0 || check.code == 2, "\(name): \(check.err)")
        let engine = try PcheckRun(box, pfile: pfile, stateFile: stateFile)
        defer { engine.stop() }
        let started = try waitFor("\(name): the engine up or refused", timeout: PcheckRun.patience) { () -> Bool? in
            if engine.entry()?.procSts == .avail { return true }
            return engine.isRunning ? nil : false
        }
        let said = "\(name): --check said \(check.code), the engine \(started ? "started" : "refused"): "
            + "\(check.err)\(engine.program.errors)"
        #expect(started == (check.code == 0), "\(said)")
    }

    @Test(.enabled(if: Sandbox.canRunBinariesAsNobody, "needs root, and binaries that nobody may run, for setpriv"),
          arguments: [("root-only", false), ("nobody's", true)])
    func asAnOrdinaryUser_checkRefusesAStateFolderTheEngineCouldNotMake(parent: String, allowed: Bool) throws {
        let box = try Sandbox("chkuser")
        defer { box.close() }
        let svc = try box.service("a")
        _ = try box.startService(svc)
        let folder = "\(box.folder)/\(parent)"
        try FileSystem.makeDirectory(folder, permissions: 0o755)
        if allowed { #expect(chown(folder, 65534, 65534) == 0) }
        let stateFile = "\(folder)/not/yet/state"
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let text = try FileSystem.readText(pfile).replacingOccurrences(of: box.stateFile, with: stateFile)
        try box.write(pfile, text, permissions: 0o644)
        let asNobody = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", Sandbox.binary("pcheck")]

        let check = try Program.run("/usr/bin/setpriv", asNobody + ["--check", "-f", pfile], in: box)
        #expect(check.code == (allowed ? 0 : 2), "\(check.err)")
        if !allowed {
            #expect(check.err.hasPrefix("pcheck: \(folder)/not/yet: mkdir: Permission denied"), "\(check.err)")
        }
        let engine = try Program("/usr/bin/setpriv", asNobody + ["-f", pfile, "--log", "stderr"], in: box)
        defer { engine.stop() }
        let started = try waitFor("the engine up or refused", timeout: PcheckRun.patience) { () -> Bool? in
            if box.state(stateFile)?.entries.first?.procSts == .avail { return true }
            return engine.isRunning ? nil : false
        }
        #expect(started == allowed, "\(engine.errors)")
        if started { engine.signal(SIGTERM) }
    }
}
