public import PsaverConfig
public import PsaverSystem

/// Runs restart and retry-over scripts and remembers which child is which, so that
/// a reaped pid is routed back to its entry.
public struct ScriptRunner {
    public enum Kind: Sendable, Equatable { case restart, retryOver }

    struct Run {
        var pentID: PentID
        var kind: Kind
        /// Killed at RESTART_TIMEOUT: its end is logged, never reported as an attempt.
        var killed = false
    }

    private var runs: [ProcessID: Run] = [:]
    private let baseEnvironment: [String]

    public init(environment: [String] = Identity.environmentStrings()) {
        // LANG=C as DESIGN §3 asks; the locale variables would otherwise override it.
        baseEnvironment = environment.filter { !$0.hasPrefix("LANG=") && !$0.hasPrefix("LC_") && !$0.hasPrefix("PSAVER_") }
            + ["LANG=C"]
    }

    /// Starts `path` for `entry` and remembers it; `output` receives the script's
    /// stdout and stderr (/dev/null when nil).
    public mutating func start(
        _ path: String, for entry: Entry, kind: Kind, retryCount: Int, restartCount: Int, output: FileDescriptor?
    ) throws -> ProcessID {
        let environment = baseEnvironment + [
            "PSAVER_PENT_ID=\(entry.id)", "PSAVER_PNAME=\(entry.pname)",
            "PSAVER_RETRY_COUNT=\(retryCount)", "PSAVER_RESTART_COUNT=\(restartCount)",
        ]
        let sink = output ?? (try? FileDescriptor.openForAppending("/dev/null")) ?? .standardError
        defer { if output == nil && sink != .standardError { sink.close() } }
        let pid = try Spawner.spawn(path, arguments: [], environment: environment, output: sink)
        runs[pid] = Run(pentID: entry.id, kind: kind)
        return pid
    }

    /// The running restart script of an entry, if any.
    public func restartScript(of id: PentID) -> ProcessID? {
        runs.first { $0.value.pentID == id && $0.value.kind == .restart && !$0.value.killed }?.key
    }

    /// Kills the entry's restart script and everything in its process group (it is
    /// a session leader, so its group id is its pid).
    public mutating func killRestartScript(of id: PentID) {
        guard let pid = restartScript(of: id) else { return }
        runs[pid]?.killed = true
        try? ProcessSignals.sendToGroup(ProcessSignals.kill, group: pid)
    }

    /// Forgets a reaped child; returns what it was, or nil for a stranger.
    mutating func finish(_ pid: ProcessID) -> Run? { runs.removeValue(forKey: pid) }

    /// Moves runs to new pent ids after a reload; runs of dropped entries are kept
    /// but their ends will only be logged.
    mutating func renumber(_ mapping: [PentID: PentID]) {
        for (pid, run) in runs {
            if let newID = mapping[run.pentID] { runs[pid]?.pentID = newID } else { runs[pid]?.killed = true }
        }
    }
}
