public import PsaverSystem

/// Whether the engine behind a state file is running, judged as DESIGN §5 says.
public enum StateFreshness: Equatable, Sendable {
    case running
    /// The heartbeat is older than two MONITOR_INTERVALs, or the engine pid is gone,
    /// while the file still says running: the engine was killed or hangs.
    case stale(lastHeartbeat: String)
    /// The engine wrote its final state and stopped (cleanly or at retry over).
    case stopped(EngineStatus, at: String)

    public var isRunning: Bool { self == .running }

    /// Judges a document read at `now`; `processExists` says whether the engine pid
    /// still runs (`StateFreshness.processExists` on the real system).
    public static func judge(
        _ document: StateDocument, now: WallTime, processExists: Bool
    ) -> StateFreshness {
        guard document.engineSts == .running else {
            return .stopped(document.engineSts, at: document.heartbeatAt)
        }
        guard processExists, !heartbeatIsOld(document, at: now) else {
            return .stale(lastHeartbeat: document.heartbeatAt)
        }
        return .running
    }

    /// Whether the heartbeat is older than two MONITOR_INTERVALs at `now` (or unreadable).
    public static func heartbeatIsOld(_ document: StateDocument, at now: WallTime) -> Bool {
        guard let heartbeat = WallTime(iso8601: document.heartbeatAt) else { return true }
        let limit = Double(2 * max(1, document.params.monitorInterval))
        return now.seconds(since: heartbeat) > limit
    }

    /// Whether a process with this pid exists (kill with signal 0; EPERM counts as existing).
    public static func processExists(_ pid: ProcessID) -> Bool {
        ProcessSignals.exists(pid)
    }
}
