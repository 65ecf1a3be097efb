public import PsaverState

/// Why an entry's restart script was started: kept per entry and written to the state
/// file (`last_restart_reason`, `last_restart_text`) so that consoles show the reason
/// instead of guessing it from events.
public enum RestartCause: Sendable, Equatable {
    /// The watched process ended (or was a zombie).
    case died
    /// It was stopped or in uninterruptible sleep past its `stall=` limit, and killed.
    case hung(seconds: Int)
    /// Not running when the engine started.
    case missingAtStart
    /// The last attempt's restart script exited non-zero or could not start.
    case scriptFailed
    /// The last attempt's restart script ran past RESTART_TIMEOUT and was killed.
    case scriptTimedOut
    /// The last attempt's script ended well, but no process appeared within start_wait.
    case noProcess
    /// An operator turned monitoring on while the entry was down.
    case monitorOn
    /// An operator reset a FATAL entry (the one attempt a reset grants).
    case reset

    /// The reason as a stable machine word (the state file's `last_restart_reason`).
    public var word: RestartReason {
        switch self {
        case .died: .died
        case .hung: .hung
        case .missingAtStart: .missingAtStart
        case .scriptFailed: .scriptFailed
        case .scriptTimedOut: .scriptTimedOut
        case .noProcess: .noProcess
        case .monitorOn: .monitorOn
        case .reset: .reset
        }
    }

    /// The reason in words for people (`last_restart_text`).
    public var text: String {
        switch self {
        case .died: "died"
        case .hung(let seconds): "hung for \(seconds) s, killed"
        case .missingAtStart: "not running at start-up"
        case .scriptFailed: "restart script failed"
        case .scriptTimedOut: "restart script timed out"
        case .noProcess: "no process within start_wait"
        case .monitorOn: "down when monitoring was turned on"
        case .reset: "started by hand: retry_count reset"
        }
    }
}
