/// How the console shows an engine: what the app reported, the engine's own last word
/// (`engine_sts`) and the heartbeat's age, folded into one state.
///
/// Only `.running` lets the console send control requests.
public enum EngineHealth: Equatable, Sendable {
    case running
    /// The heartbeat is older than two MONITOR_INTERVALs, or the app reported it stale.
    case stale
    /// The engine wrote `engine_sts: stopped` (a clean stop).
    case stopped
    /// The engine wrote `engine_sts: retry_over` and exited for failover.
    case retryOver
    /// The engine's pid is gone without a last word.
    case gone
    /// The state file could not be read.
    case unreadable(String)

    /// The word shown on the engine's group line (NO_COLOR loses nothing).
    public var word: String {
        switch self {
        case .running: "running"
        case .stale: "STALE"
        case .stopped: "stopped"
        case .retryOver: "retry over"
        case .gone: "gone"
        case .unreadable(let reason): "unreadable: \(reason)"
        }
    }

    /// The state as a stable machine word, for `--once --json` and scripts.
    public var machineWord: String {
        switch self {
        case .running: "running"
        case .stale: "stale"
        case .stopped: "stopped"
        case .retryOver: "retry_over"
        case .gone: "gone"
        case .unreadable: "unreadable"
        }
    }

    /// How bad it is, worst first: retry over, gone, unreadable, stale, stopped, running.
    /// Engines are listed, and counted in the header, in this order.
    public var rank: Int {
        switch self {
        case .retryOver: 0
        case .gone: 1
        case .unreadable: 2
        case .stale: 3
        case .stopped: 4
        case .running: 5
        }
    }

    /// The header's word for a count of engines in this state (no reason for unreadable).
    public var countWord: String {
        if case .unreadable = self { return "unreadable" }
        return word
    }

    /// Whether control requests may be sent to this engine.
    public var acceptsCommands: Bool { self == .running }

    /// Whether the engine may still be watching its entries: running, or late with its
    /// heartbeat. The rows of any other engine are its last word, not live, and are
    /// left out of the header's counts.
    public var isLive: Bool { self == .running || self == .stale }
}
