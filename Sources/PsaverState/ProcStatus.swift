/// An entry's `proc_sts`, as `padmin -c show pent` prints it (DESIGN §2).
public enum ProcStatus: String, Sendable, Equatable, Codable, CaseIterable {
    /// A matching process is running; `pid` is the oldest match.
    case avail = "AVAIL"
    /// No matching process; a restart is due unless monitoring is off.
    case down = "DOWN"
    /// The restart script is running.
    case restarting = "RESTARTING"
    /// The script has ended; waiting up to start_wait for the process to appear.
    case waiting = "WAITING"
    /// Retry over; no more restarts.
    case fatal = "FATAL"
    /// The process stayed stopped or in uninterruptible sleep longer than its
    /// `stall=` option allows; it is being killed, then handled as a death.
    case hung = "HUNG"
}
