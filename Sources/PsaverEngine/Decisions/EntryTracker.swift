public import PsaverConfig
public import PsaverProcessTable
public import PsaverState
public import PsaverSystem

/// One entry's life: where it is in DESIGN §2's state chart, and its counters.
///
/// A value type holding a private enum whose cases carry their data, so an
/// impossible combination (a pid while DOWN, a deadline while AVAIL) cannot be
/// written. `Supervisor` drives it; nothing here reads a clock or does I/O.
public struct EntryTracker: Sendable, Equatable {
    enum Phase: Sendable, Equatable {
        /// Up; `since` is when it was seen up, the start of its grace period.
        case avail(ProcessIdentity, since: MonotonicInstant)
        case down
        /// The restart script runs (its timeout is `scriptDeadline`).
        case restarting
        /// The script ended well; the process must appear by `deadline` (start_wait).
        case waiting(deadline: MonotonicInstant)
        /// Retry over. A process found later is still tracked (`process`), never restarted.
        case fatal(process: ProcessIdentity?)
    }

    public internal(set) var entry: Entry
    var phase: Phase
    public internal(set) var retryCount = 0
    public internal(set) var restartCount = 0
    public internal(set) var monitorOn = true
    /// Wall-clock time of the last restart attempt; nil before any.
    public internal(set) var rerunTime: WallTime?
    /// Whether a restart script is running for this entry right now, whatever the phase
    /// (a script may outlive the moment its process appeared).
    public internal(set) var scriptRunning = false
    /// When the running restart script is killed (RESTART_TIMEOUT).
    var scriptDeadline: MonotonicInstant?

    init(entry: Entry) {
        self.entry = entry
        phase = .down
    }

    /// The entry's `proc_sts`.
    public var procStatus: ProcStatus {
        switch phase {
        case .avail: .avail
        case .down: .down
        case .restarting: .restarting
        case .waiting: .waiting
        case .fatal: .fatal
        }
    }

    /// The process being tracked, if any: the oldest match, for `pid`.
    public var process: ProcessIdentity? {
        switch phase {
        case .avail(let identity, _): identity
        case .fatal(let identity): identity
        default: nil
        }
    }
}
