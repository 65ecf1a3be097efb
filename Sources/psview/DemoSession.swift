import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem

/// `psview --demo`: a throw-away engine on the toy services of `conf/demo`.
///
/// `start` copies conf/demo into a private temporary folder (0700; pfile 0644, scripts
/// and services 0755, whatever the umask), writes the pfile with absolute paths and a
/// random IPCKEY, puts a copy of `sleep` at every pname, and starts the `pcheck` that sits
/// beside this psview. `stop` ends that engine (SIGTERM), then the toy services it left
/// running (by pid, found with the engine's own matching rules), and removes the folder.
final class DemoSession {
    let folder: String
    let pfile: String
    let stateFile: String
    let logPath: String
    let engine: ProcessID
    private let entries: [Entry]
    /// How the engine ended, once it has.
    private(set) var engineEnded: ChildStatus?

    private init(folder: String, pfile: PFile, logPath: String, engine: ProcessID) {
        self.folder = folder
        self.pfile = pfile.path
        self.stateFile = pfile.params.stateFile
        self.logPath = logPath
        self.engine = engine
        self.entries = pfile.entries
    }

    /// Sets up the folder and starts the engine; returns once its state file exists.
    static func start() throws(DemoError) -> DemoSession {
        let source = try findDemoFolder()
        let pcheck = FileSystem.directoryName(of: (try? FileSystem.readLink("/proc/self/exe")) ?? "") + "/pcheck"
        guard FileSystem.isExecutable(pcheck) else {
            throw DemoError(.usage, "no pcheck beside psview (\(pcheck)); build both with `swift build`")
        }
        let folder: String
        do {
            folder = try TemporaryDirectory.make(prefix: "psview-demo")
        } catch {
            throw DemoError(.fault, "cannot make the demo folder: \(error)")
        }
        do throws(DemoError) {
            try installScripts(from: source, into: folder)
            // A key already held (exit 3) is unlikely but possible: try another.
            for attempt in 1...3 {
                let pfile = try writePFile(from: source, into: folder)
                if let session = try launch(pcheck, pfile: pfile, folder: folder, lastAttempt: attempt == 3) {
                    return session
                }
            }
            throw DemoError(.fault, "no free IPCKEY for the demo engine")
        } catch {
            TemporaryDirectory.removeTree(folder)
            throw error
        }
    }

    /// Stops the engine, then the toy services, and removes the folder. Idempotent.
    func stop() {
        if engineEnded == nil {
            try? ProcessSignals.send(ProcessSignals.terminate, to: engine)
            if !waitForEngine(seconds: 5) {
                try? ProcessSignals.send(ProcessSignals.kill, to: engine)
                _ = waitForEngine(seconds: 2)
            }
        }
        // The engine leaves restarted services running (DESIGN §3); these are ours to end.
        // A restart script still running may start one more: look again a few times.
        let table = ProcessTable()
        for _ in 0..<10 {
            let found = table.findMatches(for: entries).values.map(\.pid)
            if found.isEmpty { break }
            for pid in found { try? ProcessSignals.send(ProcessSignals.terminate, to: pid) }
            MonotonicInstant.sleep(.milliseconds(100))
        }
        TemporaryDirectory.removeTree(folder)
    }

    /// Reaps the engine if it ended; returns a line for the status bar the first time.
    func checkEngine() -> String? {
        guard engineEnded == nil else { return nil }
        for (pid, status) in Spawner.reapEnded() where pid == engine {
            engineEnded = status
            return "The demo engine ended (\(status)); its log: \(logPath)"
        }
        return nil
    }

    private func waitForEngine(seconds: Int) -> Bool {
        let deadline = MonotonicInstant.now() + .seconds(seconds)
        while MonotonicInstant.now() < deadline {
            _ = checkEngine()
            if engineEnded != nil { return true }
            MonotonicInstant.sleep(.milliseconds(20))
        }
        return false
    }

    /// Where the package installs the demo.
    static let installedDemoFolder = "/usr/share/psaver/demo"

    /// conf/demo with its pfile template: $PSVIEW_DEMO_DIR, or found walking up from the
    /// current folder and from this binary (so `swift run psview --demo` works in a clone),
    /// or the installed copy in /usr/share/psaver/demo.
    static func findDemoFolder() throws(DemoError) -> String {
        if let folder = Identity.environment("PSVIEW_DEMO_DIR") {
            guard FileSystem.exists(folder + "/pfile.in") else {
                throw DemoError(.usage, "PSVIEW_DEMO_DIR=\(folder) has no pfile.in")
            }
            return folder
        }
        let binary = FileSystem.directoryName(of: (try? FileSystem.readLink("/proc/self/exe")) ?? "/")
        for start in [FileSystem.currentDirectory(), binary] {
            var folder = start
            while true {
                if FileSystem.exists(folder + "/conf/demo/pfile.in") { return folder + "/conf/demo" }
                let parent = FileSystem.directoryName(of: folder)
                if parent == folder { break }
                folder = parent
            }
        }
        if FileSystem.exists(installedDemoFolder + "/pfile.in") { return installedDemoFolder }
        throw DemoError(.usage, "cannot find conf/demo/pfile.in nor \(installedDemoFolder)/pfile.in; "
                        + "run psview --demo inside the psaver clone, install the psaver package, "
                        + "or set PSVIEW_DEMO_DIR")
    }

    /// Copies the restart scripts (`*.sh`), mode 0755.
    private static func installScripts(from source: String, into folder: String) throws(DemoError) {
        do {
            for name in try FileSystem.contents(ofDirectory: source) where name.hasSuffix(".sh") {
                try FileSystem.replaceAtomically(
                    "\(folder)/\(name)", with: try FileSystem.readBytes("\(source)/\(name)"), permissions: 0o755)
            }
        } catch {
            throw DemoError(.fault, "cannot copy the demo scripts from \(source): \(error)")
        }
    }

    /// Writes the pfile (0644) with this folder and a random key, and a copy of sleep at
    /// every pname (0755, in folders of 0755).
    private static func writePFile(from source: String, into folder: String) throws(DemoError) -> PFile {
        let path = "\(folder)/pfile"
        do {
            let key = "0x" + String(UInt32.random(in: 0x5056_0000...0x5056_ffff), radix: 16)
            let text = try FileSystem.readText("\(source)/pfile.in")
                .replacing("@DEMO_DIR@", with: folder).replacing("@IPCKEY@", with: key)
            try FileSystem.replaceAtomically(path, with: Array(text.utf8), permissions: 0o644)
            let pfile = try PFileParser.parse(text, path: path)
            let sleep = try FileSystem.readBytes(FileSystem.exists("/bin/sleep") ? "/bin/sleep" : "/usr/bin/sleep")
            for entry in pfile.entries where !FileSystem.exists(entry.pname) {
                let parent = FileSystem.directoryName(of: entry.pname)
                try FileSystem.makeDirectory(parent, permissions: 0o755)
                try FileSystem.setPermissions(parent, 0o755)
                try FileSystem.replaceAtomically(entry.pname, with: sleep, permissions: 0o755)
            }
            return pfile
        } catch {
            throw DemoError(.fault, "cannot write the demo pfile \(path): \(error)")
        }
    }

    /// Starts pcheck and waits for its state file; nil when its key was taken (exit 3)
    /// and another may be tried.
    private static func launch(_ pcheck: String, pfile: PFile, folder: String, lastAttempt: Bool)
        throws(DemoError) -> DemoSession?
    {
        let logPath = "\(folder)/pcheck.log"
        let engine: ProcessID
        do {
            let log = try FileDescriptor.openForAppending(logPath)
            defer { log.close() }
            engine = try Spawner.spawn(
                pcheck, arguments: ["-f", pfile.path, "--log", logPath],
                environment: Identity.environmentStrings(), output: log)
        } catch {
            throw DemoError(.fault, "cannot start \(pcheck): \(error)")
        }
        let session = DemoSession(folder: folder, pfile: pfile, logPath: logPath, engine: engine)
        let deadline = MonotonicInstant.now() + .seconds(10)
        while MonotonicInstant.now() < deadline {
            if FileSystem.exists(session.stateFile) { return session }
            _ = session.checkEngine()
            if let status = session.engineEnded {
                if status == .exited(3) && !lastAttempt { return nil }
                let log = (try? FileSystem.readText(logPath)) ?? ""
                let tail = log.split(separator: "\n").suffix(5).joined(separator: "\n")
                throw DemoError(.fault, "the demo engine ended at once (\(status)):\n\(tail)")
            }
            MonotonicInstant.sleep(.milliseconds(20))
        }
        session.stop()
        throw DemoError(.fault, "the demo engine wrote no state file within 10 s (see \(logPath))")
    }
}

/// Why the demo could not start, with the exit code to leave with.
struct DemoError: Error, CustomStringConvertible {
    var exitCode: PsviewExitCode
    var message: String
    init(_ exitCode: PsviewExitCode, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }
    var description: String { message }
}
