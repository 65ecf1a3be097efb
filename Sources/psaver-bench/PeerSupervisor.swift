#if canImport(Glibc)
import Glibc
#endif
import PsaverSystem

/// The supervisors the peer benchmark compares.
enum PeerTool: String, CaseIterable {
    case pcheck
    /// pidfd_open + epoll_wait + posix_spawn and nothing else (scripts/bench/floor.c).
    case floor
    /// monit 5.x, `set daemon 1`, each service by pid file, its HTTP interface on a
    /// Unix socket in the host folder only (no TCP port at all).
    case monit
}

/// The programs to run: pcheck under test, the floor built from source, monit.
struct PeerBinaries {
    var pcheck: String
    var floor: String
    var monit: String
    /// What every entry's restart script is a hard link of: the C script
    /// (scripts/bench/peer-restart.c, built here) or this bench binary (`--script swift`).
    var script: String
    /// Whether `script` was built for this run (and is removed after it).
    var scriptIsBuilt: Bool
}

/// One supervisor watching a `PeerHost`'s services: started with its own
/// configuration in the host folder, stopped by pid.
final class PeerSupervisor {
    let tool: PeerTool
    let host: PeerHost
    let binaries: PeerBinaries
    let process: ProcessID
    /// Entry j of the configuration restarts service `j % host.count` (several
    /// entries per service only when a scaling size exceeds the services).
    let entries: Int

    private var folder: String { host.layout.folder }
    private var stateFile: String { folder + "/pcheck.state" }
    private var readyFile: String { folder + "/floor.ready" }
    private var monitControl: String { folder + "/monitrc" }

    init(_ tool: PeerTool, host: PeerHost, binaries: PeerBinaries, entries: Int? = nil,
         monitorInterval: Int = 10) throws
    {
        self.tool = tool
        self.host = host
        self.binaries = binaries
        self.entries = entries ?? host.count
        let log = try FileDescriptor.openForAppending("\(host.layout.folder)/\(tool.rawValue).log")
        defer { log.close() }
        let layout = host.layout
        // The paths again as locals: `self` is not whole until `process` is set.
        let folder = layout.folder
        let stateFile = folder + "/pcheck.state"
        let readyFile = folder + "/floor.ready"
        let monitControl = folder + "/monitrc"
        let monitPassword = String(UInt64.random(in: 1...UInt64.max), radix: 36)
        switch tool {
        case .pcheck:
            try? FileSystem.remove(stateFile)
            var text = """
                ##### PARAM #####
                IPCKEY             0x\(String(UInt32.random(in: 0x1000_0000...0x7fff_ffff), radix: 16))
                MSG_CHECK_INTERVAL 5
                MONITOR_INTERVAL   \(monitorInterval)
                SHM_DUMP_FILE      \(stateFile)
                ##### PENT #####

                """
            for entry in 0..<self.entries {
                let service = entry % host.count
                // A second entry on one service names it by a string as well; in
                // the shared shape every entry names its service's argument.
                let options = layout.shape == .shared ? ":include_strings=\(layout.argument(service))"
                    : entry >= host.count ? ":include_strings=86400" : ""
                text += "\(layout.service(service)):\(layout.script(service)):0:1000000:exit\(options)\n"
            }
            try FileSystem.replaceAtomically(folder + "/pfile", with: Array(text.utf8), permissions: 0o644)
            process = try Spawner.spawn(binaries.pcheck, arguments: ["-f", folder + "/pfile", "--log", folder + "/pcheck.log"],
                                        environment: ["LANG=C", "PATH=/usr/bin:/bin"], output: log)
        case .floor:
            try? FileSystem.remove(readyFile)
            let list = (0..<host.count).map { "\(layout.pidFile($0)) \(layout.script($0))\n" }.joined()
            try FileSystem.replaceAtomically(folder + "/floor.list", with: Array(list.utf8))
            process = try Spawner.spawn(binaries.floor, arguments: [folder + "/floor.list", readyFile],
                                        environment: ["LANG=C"], output: log)
        case .monit:
            var text = """
                set daemon 1
                set logfile \(folder)/monit.log
                set pidfile \(folder)/monit.pid
                set idfile \(folder)/monit.id
                set statefile \(folder)/monit.state
                set httpd unixsocket \(folder)/monit.sock
                    allow bench:\(monitPassword)

                """
            for service in 0..<host.count {
                text += "check process p\(service) with pidfile \(layout.pidFile(service))\n"
                text += "    start program = \"\(layout.script(service))\"\n"
            }
            try? FileSystem.remove(folder + "/monit.state")
            try FileSystem.replaceAtomically(monitControl, with: Array(text.utf8), permissions: 0o600)
            process = try Spawner.spawn(binaries.monit, arguments: ["-I", "-c", monitControl],
                                        environment: ["LANG=C", "PATH=/usr/bin:/bin"], output: log)
        }
    }

    var isAlive: Bool { PeerMeasure.isAlive(process.rawValue) }

    /// Whether every entry is being watched: pcheck's state file shows each AVAIL,
    /// the floor made its ready file, monit's summary shows each service OK.
    func isReady() throws -> Bool {
        guard isAlive else {
            let log = (try? FileSystem.readText("\(folder)/\(tool.rawValue).log")) ?? ""
            throw BenchError("\(tool.rawValue) ended early; its log ends:\n\(log.suffix(2000))")
        }
        switch tool {
        case .pcheck:
            guard let bytes = try? FileSystem.readBytes(stateFile, limit: 1 << 30) else { return false }
            return Self.count(Array("\"AVAIL\"".utf8), in: bytes) == entries
        case .floor:
            return FileSystem.exists(readyFile)
        case .monit:
            let output = folder + "/monit.summary"
            try? FileSystem.remove(output)
            let sink = try FileDescriptor.openForAppending(output)
            let asker = try Spawner.spawn(binaries.monit, arguments: ["-c", monitControl, "summary"],
                                          environment: ["LANG=C"], output: sink)
            sink.close()
            _ = try? BenchClock.waitFor("monit summary", timeout: 30, every: 20) { () -> Bool? in
                PeerMeasure.isAlive(asker.rawValue) ? nil : true
            }
            let text = (try? FileSystem.readText(output, limit: 1 << 30)) ?? ""
            let ok = text.split(separator: "\n").filter { $0.hasPrefix(" p") && $0.contains(" OK") }.count
            return ok == host.count
        }
    }

    /// SIGTERM, then SIGKILL after 10 s; the services it restarted keep running.
    func stop() {
        try? ProcessSignals.send(ProcessSignals.terminate, to: process)
        let ended = try? BenchClock.waitFor("\(tool.rawValue) to stop", timeout: 10, every: 10) { () -> Bool? in
            isAlive ? nil : true
        }
        if ended == nil { try? ProcessSignals.send(ProcessSignals.kill, to: process) }
        BenchClock.nap(milliseconds: 200)
    }

    static func count(_ needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard !needle.isEmpty, haystack.count >= needle.count else { return 0 }
        var found = 0
        var index = 0
        let first = needle[0]
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                found += 1
                index += needle.count
            } else {
                index += 1
            }
        }
        return found
    }
}

/// Readings of one process from /proc.
enum PeerMeasure {
    /// Not gone and not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? FileSystem.readText("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")"),
            stat.index(close, offsetBy: 2) < stat.endIndex
        else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    /// CPU time of every thread, in nanoseconds (schedstat's first field), finer than clock ticks.
    static func cpuNanoseconds(_ pid: ProcessID) -> Int64 {
        let tasks = (try? FileSystem.contents(ofDirectory: "/proc/\(pid.rawValue)/task")) ?? []
        return tasks.reduce(0) { sum, task in
            let text = (try? FileSystem.readText("/proc/\(pid.rawValue)/task/\(task)/schedstat")) ?? ""
            return sum + (Int64(text.split(separator: " ").first ?? "") ?? 0)
        }
    }

    /// Private memory in kB, from smaps_rollup: all of it (clean + dirty), and the
    /// dirty part alone. Clean private pages are mostly the program's own file
    /// pages, private only while no other copy of the program runs; dirty pages
    /// are what each running copy costs.
    static func privateKilobytes(_ pid: ProcessID) -> (all: Int, dirty: Int) {
        let text = (try? FileSystem.readText("/proc/\(pid.rawValue)/smaps_rollup")) ?? ""
        func field(_ name: String) -> Int {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        let dirty = field("Private_Dirty:")
        return (field("Private_Clean:") + dirty, dirty)
    }

    /// The 1-minute load average.
    static func load() -> Double {
        Double(((try? FileSystem.readText("/proc/loadavg")) ?? "").split(separator: " ").first ?? "") ?? 0
    }
}
