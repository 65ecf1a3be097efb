#if canImport(Glibc)
import Glibc
#endif
import PsaverSystem

/// What the peer benchmark needs before it starts: monit (installed with apt-get
/// when missing), the C floor (compiled from scripts/bench/floor.c) and the
/// restart script (compiled from scripts/bench/peer-restart.c, beside it).
enum PeerSetup {
    static let monitPath = "/usr/bin/monit"

    /// Which program the restart scripts are.
    enum Script: String {
        /// A small static C program: the stamp is the supervisor plus one exec.
        case c
        /// This 24 MB Swift binary (PeerScript): about 1.5 ms more per script.
        case swift
    }

    static func binaries(pcheck: String?, floorSource: String?, needMonit: Bool, script: Script = .c) throws
        -> PeerBinaries
    {
        if needMonit && !FileSystem.isExecutable(monitPath) {
            FileHandleOut.note("monit is missing: apt-get install -y monit")
            let status = try run("/usr/bin/apt-get", ["-o", "DPkg::Lock::Timeout=300", "install", "-y", "monit"],
                                 environment: ["DEBIAN_FRONTEND=noninteractive", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
            guard status == .exited(0), FileSystem.isExecutable(monitPath) else {
                throw BenchError("could not install monit (apt-get ended \(status)); install it or leave it out with --tools")
            }
        }
        let source = try floorSource ?? findFloorSource()
        let floor = "/tmp/psaver-floor-\(getpid())"
        try compile(source, to: floor, what: "the floor")
        var scriptPath = try FileSystem.readLink("/proc/self/exe")
        if script == .c {
            scriptPath = "/tmp/psaver-peer-restart-\(getpid())"
            let scriptSource = FileSystem.directoryName(of: source) + "/peer-restart.c"
            try compile(scriptSource, to: scriptPath, what: "the restart script", flags: ["-static"])
        }
        return PeerBinaries(pcheck: try pcheck ?? BenchSandbox.pcheck(), floor: floor, monit: monitPath,
                            script: scriptPath, scriptIsBuilt: script == .c)
    }

    /// cc -O2 `flags` -o `binary` `source`.
    private static func compile(_ source: String, to binary: String, what: String, flags: [String] = []) throws {
        let status = try run("/usr/bin/cc", ["-O2"] + flags + ["-o", binary, source], environment: ["PATH=/usr/bin:/bin"])
        guard status == .exited(0) else { throw BenchError("cc could not build \(what) from \(source) (\(status))") }
    }

    /// Removes what `binaries` built for this run.
    static func removeBuilt(_ binaries: PeerBinaries) {
        try? FileSystem.remove(binaries.floor)
        if binaries.scriptIsBuilt { try? FileSystem.remove(binaries.script) }
    }

    /// scripts/bench/floor.c in the first folder above this binary that has it.
    static func findFloorSource() throws -> String {
        var folder = BenchSandbox.binaryFolder
        while folder != "/" && !folder.isEmpty {
            let candidate = folder + "/scripts/bench/floor.c"
            if FileSystem.exists(candidate) { return candidate }
            folder = FileSystem.directoryName(of: folder)
        }
        throw BenchError("no scripts/bench/floor.c above \(BenchSandbox.binaryFolder); pass --floor-source PATH")
    }

    /// Runs a program to its end, its output onto stderr; returns how it ended.
    static func run(_ path: String, _ arguments: [String], environment: [String]) throws -> ChildStatus {
        let child = try Spawner.spawn(path, arguments: arguments, environment: environment, output: .standardError)
        while true {
            if let ended = Spawner.reapEnded().first(where: { $0.0 == child }) { return ended.1 }
            BenchClock.nap(milliseconds: 20)
        }
    }
}
