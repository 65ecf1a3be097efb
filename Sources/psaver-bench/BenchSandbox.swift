#if canImport(Glibc)
import Glibc
#endif
import PsaverState
import PsaverSystem

/// A private folder under /tmp for one bench run: a uniquely named service (a copy
/// of /bin/sleep), a pfile, a state file, a log, and the pcheck running on them.
/// `close()` ends every process the run started, by pid, and removes the folder.
final class BenchSandbox {
    let folder: String
    let ipcKey: String
    /// The service's path: argv[0] of every copy, so nothing else on the host matches.
    let service: String
    var pfile: String { folder + "/pfile" }
    var stateFile: String { folder + "/pfile.state" }
    var logFile: String { folder + "/pcheck.log" }
    private(set) var engine: ProcessID?

    init(_ name: String) throws {
        let random = UInt32.random(in: 0x1000_0000...0x7fff_ffff)
        let tag = String(random, radix: 36)
        folder = "/tmp/psaver-bench-\(name)-\(tag)"
        ipcKey = "0x" + String(random, radix: 16)
        service = "\(folder)/svc-bench-\(tag)"
        try FileSystem.makeDirectory(folder, permissions: 0o755)
        try FileSystem.setPermissions(folder, 0o755)
        try copy("/bin/sleep", to: service)
        BenchInterrupt.install()
    }

    /// The folder this binary lives in, where `swift build` also put pcheck.
    static var binaryFolder: String {
        FileSystem.directoryName(of: (try? FileSystem.readLink("/proc/self/exe")) ?? CommandLine.arguments[0])
    }

    static func pcheck() throws -> String {
        let path = binaryFolder + "/pcheck"
        guard FileSystem.isExecutable(path) else {
            throw BenchError("no pcheck beside this binary (\(path)); build it first: swift build -c release")
        }
        return path
    }

    func copy(_ source: String, to path: String, permissions: UInt32 = 0o755) throws {
        try FileSystem.replaceAtomically(path, with: FileSystem.readBytes(source, limit: 1 << 30),
                                         permissions: permissions)
    }

    func write(_ path: String, _ text: String, permissions: UInt32 = 0o644) throws {
        try FileSystem.replaceAtomically(path, with: Array(text.utf8), permissions: permissions)
    }

    /// Writes the pfile: the sample's PARAM values, and `entry` as the one PENT line.
    func writePfile(entry: String, monitorInterval: Int = 10) throws {
        try write(pfile, """
            ##### PARAM #####
            IPCKEY             \(ipcKey)
            MSG_CHECK_INTERVAL 5
            MONITOR_INTERVAL   \(monitorInterval)
            SHM_DUMP_FILE      \(stateFile)
            ##### PENT #####
            \(entry)

            """)
    }

    /// Starts one copy of the service by hand, detached; returns its pid.
    @discardableResult
    func startService() throws -> Int32 {
        let sink = try FileDescriptor.openForAppending("/dev/null")
        defer { sink.close() }
        let pid = try Spawner.spawn(service, arguments: ["3600"], environment: ["LANG=C"], output: sink)
        return pid.rawValue
    }

    /// Starts pcheck on the pfile, logging into `logFile`, with `environment` added to ours.
    func startEngine(environment: [String] = []) throws {
        let log = try FileDescriptor.openForAppending(logFile)
        defer { log.close() }
        engine = try Spawner.spawn(try Self.pcheck(), arguments: ["-f", pfile, "--log", logFile],
                                   environment: Identity.environmentStrings() + environment, output: log)
    }

    var state: StateDocument? { try? StateFileStore(path: stateFile).read() }

    /// Waits until the entry is AVAIL with a pid other than `previous`; returns that pid.
    func waitForUp(replacing previous: Int32? = nil, timeout: Double = 15, every: Int = 2) throws -> Int32 {
        try BenchClock.waitFor("the service to be up in \(stateFile)", timeout: timeout, every: every) {
            try checkEngine()
            guard let entry = state?.entries.first, entry.procSts == .avail, let pid = entry.pid, pid != previous
            else { return nil }
            return pid
        }
    }

    /// Throws when pcheck has ended, or the bench was interrupted.
    func checkEngine() throws {
        if BenchInterrupt.happened { throw BenchError("interrupted") }
        if let engine, !isAlive(engine.rawValue) {
            let log = (try? FileSystem.readText(logFile)) ?? ""
            throw BenchError("pcheck ended early; its log:\n\(log)")
        }
    }

    /// VmRSS and VmHWM of a process, in kB.
    func memory(of pid: ProcessID) throws -> (rss: Int, peak: Int) {
        let status = try FileSystem.readText("/proc/\(pid.rawValue)/status")
        func field(_ name: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "")
        }
        guard let rss = field("VmRSS"), let peak = field("VmHWM") else {
            throw BenchError("no VmRSS in /proc/\(pid.rawValue)/status")
        }
        return (rss, peak)
    }

    /// CPU time (user + system) a process has used, in clock ticks.
    func cpuTicks(of pid: ProcessID) throws -> Int {
        let stat = try FileSystem.readText("/proc/\(pid.rawValue)/stat")
        guard let close = stat.lastIndex(of: ")") else { throw BenchError("unreadable /proc/\(pid)/stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Fields 14 and 15 (utime, stime) are the 12th and 13th after the command.
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
            throw BenchError("unreadable /proc/\(pid)/stat")
        }
        return user + system
    }

    static var ticksPerSecond: Int { Int(sysconf(Int32(_SC_CLK_TCK))) }

    /// Live (non-zombie) processes whose argv[0] lies in this folder: the service copies
    /// and restart scripts. pcheck itself runs from the build folder and is ended apart.
    func processesFromFolder() -> [Int32] {
        let names = (try? FileSystem.contents(ofDirectory: "/proc")) ?? []
        return names.compactMap { name -> Int32? in
            guard let pid = Int32(name), pid != getpid(),
                let cmdline = try? FileSystem.readBytes("/proc/\(name)/cmdline")
            else { return nil }
            let argv0 = String(decoding: cmdline.prefix { $0 != 0 }, as: UTF8.self)
            return argv0.hasPrefix(folder + "/") && isAlive(pid) ? pid : nil
        }
    }

    func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? FileSystem.readText("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")"),
            stat.index(close, offsetBy: 2) < stat.endIndex
        else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    /// Stops pcheck (SIGTERM, then SIGKILL after 5 s), kills the services by pid,
    /// reaps what is ours and removes the folder.
    func close() {
        if let engine {
            try? ProcessSignals.send(ProcessSignals.terminate, to: engine)
            let ended = try? BenchClock.waitFor("pcheck to stop", timeout: 5, every: 10) { () -> Bool? in
                _ = Spawner.reapEnded()
                return isAlive(engine.rawValue) ? nil : true
            }
            if ended == nil { try? ProcessSignals.send(ProcessSignals.kill, to: engine) }
        }
        for pid in processesFromFolder() { try? ProcessSignals.send(ProcessSignals.kill, to: ProcessID(pid)) }
        BenchClock.nap(milliseconds: 50)
        _ = Spawner.reapEnded()
        for name in (try? FileSystem.contents(ofDirectory: folder)) ?? [] {
            try? FileSystem.remove("\(folder)/\(name)")
        }
        rmdir(folder)
    }
}

/// Ctrl-C or SIGTERM during a run: noted by the handler, acted on by the next wait,
/// so that `close()` still ends every process the run started.
enum BenchInterrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    static var happened: Bool { flag != 0 }

    static func install() {
        signal(SIGINT) { _ in BenchInterrupt.flag = 1 }
        signal(SIGTERM) { _ in BenchInterrupt.flag = 1 }
    }
}
