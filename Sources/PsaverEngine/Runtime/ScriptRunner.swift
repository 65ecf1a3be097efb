public import PsaverConfig
public import PsaverSystem

/// Runs restart and retry-over scripts and remembers which child is which, so that
/// a reaped pid is routed back to its entry and attempt.
public struct ScriptRunner {
    public enum Kind: Sendable, Equatable {
        case restart(attempt: Int)
        case retryOver
        /// A restart script that exec'd the program itself: now the entry's process,
        /// still our child. Its end is only logged (its pidfd reports the death).
        case service
        /// The script of an entry a reload removed: its end is only logged.
        case orphan
    }

    struct Run {
        var pentID: PentID
        var kind: Kind
    }

    private var runs: [ProcessID: Run] = [:]
    private let baseEnvironment: [String]

    /// `ipcKey`, when given, is handed to every script as `PSAVER_IPCKEY`: with
    /// `PSAVER_PENT_ID` and `PSAVER_ATTEMPT` it tells an engine started after this one
    /// whose attempt a script still running is (`PreviousEngine`).
    public init(environment: [String] = Identity.environmentStrings(), ipcKey: String? = nil) {
        // LANG=C as DESIGN §3 asks; the locale variables would otherwise override it.
        baseEnvironment = environment.filter { !$0.hasPrefix("LANG=") && !$0.hasPrefix("LC_") && !$0.hasPrefix("PSAVER_") }
            + ["LANG=C"] + (ipcKey.map { ["PSAVER_IPCKEY=\($0)"] } ?? [])
    }

    /// Starts `path` for `entry` and remembers it; `output` receives the script's
    /// stdout and stderr (/dev/null when nil).
    public mutating func start(
        _ path: String, for entry: Entry, kind: Kind, retryCount: Int, restartCount: Int, output: FileDescriptor?
    ) throws -> ProcessID {
        let environment = baseEnvironment + [
            "PSAVER_PENT_ID=\(entry.id)", "PSAVER_PNAME=\(entry.pname)",
            "PSAVER_RETRY_COUNT=\(retryCount)", "PSAVER_RESTART_COUNT=\(restartCount)",
        ] + (kind.attempt.map { ["PSAVER_ATTEMPT=\($0)"] } ?? [])
        let sink = output ?? (try? FileDescriptor.openForAppending("/dev/null")) ?? .standardError
        defer { if output == nil && sink != .standardError { sink.close() } }
        let pid = try Spawner.spawn(path, arguments: [], environment: environment, output: sink)
        runs[pid] = Run(pentID: entry.id, kind: kind)
        return pid
    }

    /// The running restart script of an attempt, if this engine started it.
    func script(of id: PentID, attempt: Int) -> ProcessID? {
        runs.first { $0.value.pentID == id && $0.value.kind == .restart(attempt: attempt) }?.key
    }

    /// The restart scripts this engine runs now, and their entries.
    var restartScripts: [(ProcessID, PentID, attempt: Int)] {
        runs.compactMap { pid, run in
            if case .restart(let attempt) = run.kind { (pid, run.pentID, attempt) } else { nil }
        }
    }

    /// A restart script became the entry's process (it exec'd the program).
    mutating func becameService(_ pid: ProcessID) { runs[pid]?.kind = .service }

    /// Forgets a reaped child; returns what it was, or nil for a stranger.
    mutating func finish(_ pid: ProcessID) -> Run? { runs.removeValue(forKey: pid) }

    /// Moves runs to new pent ids after a reload; runs of dropped entries become orphans.
    mutating func renumber(_ mapping: [PentID: PentID]) {
        for (pid, run) in runs {
            if let newID = mapping[run.pentID] { runs[pid]?.pentID = newID } else { runs[pid]?.kind = .orphan }
        }
    }
}

extension ScriptRunner.Kind {
    /// The attempt number of a restart script's run; nil for the other kinds.
    var attempt: Int? {
        if case .restart(let attempt) = self { attempt } else { nil }
    }
}
