public import PsaverConfig
public import PsaverProcessTable
public import PsaverState
public import PsaverSystem

/// One entry's life: where it is in DESIGN §2's state chart, and its counters.
///
/// A value type holding a private enum whose cases carry their data, so an
/// impossible combination (a pid while DOWN, a script deadline with no script, a
/// second script beside a first) cannot be written. `Supervisor` drives it;
/// nothing here reads a clock or does I/O.
public struct EntryTracker: Sendable, Equatable {
    /// A process that is up, and what is known about it.
    struct Up: Sendable, Equatable {
        var process: ProcessIdentity
        /// When it was seen up: the start of its grace period.
        var since: MonotonicInstant
        /// The script of the attempt that brought it up, while that script still runs.
        var script: Attempt?
        /// Since when it has been seen stopped or in uninterruptible sleep (stall=).
        var stalledSince: MonotonicInstant?
        /// Judged hung and killed; its death is awaited.
        var hung = false
    }

    enum Phase: Sendable, Equatable {
        case avail(Up)
        /// No process and no script. `retryAt` is when the next attempt starts after a
        /// failed one (back-off); nil when none is due (monitoring off).
        case down(retryAt: MonotonicInstant?)
        /// The restart script runs and no process is tracked.
        case restarting(Attempt)
        /// The attempt's script ended well; its process must appear by `deadline`.
        case waiting(attempt: Int, deadline: MonotonicInstant)
        /// Retry over. A process found later is still tracked, never restarted.
        case fatal(process: ProcessIdentity?)
    }

    public internal(set) var entry: Entry
    var phase: Phase
    public internal(set) var retryCount = 0
    public internal(set) var restartCount = 0
    public internal(set) var monitorOn = true
    /// Wall-clock time of the last restart attempt; nil before any.
    public internal(set) var rerunTime: WallTime?
    /// Failed attempts in a row, for the back-off; zero once a process is seen up.
    public internal(set) var failedAttempts = 0
    /// Why the next restart attempt will start, set where the cause is known.
    var nextCause = RestartCause.died
    /// Why the last attempt started; nil before any.
    public internal(set) var lastCause: RestartCause?
    /// When the last restart attempts started (at most `RestartWindow.flapCount`).
    var recentRestarts: [MonotonicInstant] = []
    /// Restarted `RestartWindow.flapCount` times within `RestartWindow.seconds`.
    public internal(set) var flapping = false

    init(entry: Entry) {
        self.entry = entry
        phase = .down(retryAt: nil)
    }

    /// The entry's `proc_sts`.
    public var procStatus: ProcStatus {
        switch phase {
        case .avail(let up): up.hung ? .hung : .avail
        case .down: .down
        case .restarting: .restarting
        case .waiting: .waiting
        case .fatal: .fatal
        }
    }

    /// The process being tracked, if any: the oldest match, for `pid`.
    public var process: ProcessIdentity? {
        switch phase {
        case .avail(let up): up.process
        case .fatal(let identity): identity
        default: nil
        }
    }

    /// When the tracked process was seen up, while it is.
    public var upSince: MonotonicInstant? {
        if case .avail(let up) = phase { up.since } else { nil }
    }

    /// The attempt whose restart script runs now, whatever the phase (a script may
    /// outlive the moment its process appeared).
    public var runningAttempt: Attempt? {
        switch phase {
        case .restarting(let attempt): attempt
        case .avail(let up): up.script
        default: nil
        }
    }

    /// Whether a restart script runs for this entry right now.
    public var scriptRunning: Bool { runningAttempt != nil }

    /// When the next attempt starts after a failed one, while backing off.
    public var retryAt: MonotonicInstant? {
        if case .down(let retryAt) = phase { retryAt } else { nil }
    }
}
