public import PsaverProcessTable
public import PsaverSystem

/// One restart attempt of one entry: which one it is, its script and its deadline.
///
/// The number is the entry's restart_count when the attempt began, so it is unique
/// per entry for the engine's life. Every event about a script carries it, and an
/// event for another number (an earlier attempt's script, reaped late) is stale and
/// changes nothing.
public struct Attempt: Sendable, Equatable {
    public let number: Int
    /// The script's process, once the runtime has reported it started.
    public internal(set) var script: ProcessIdentity?
    /// RESTART_TIMEOUT; after a kill, the time by which the script must have been reaped.
    public internal(set) var deadline: MonotonicInstant
    /// Killed at RESTART_TIMEOUT; waiting for it to be reaped.
    public internal(set) var killed = false
    /// The process this attempt brought up has died while the script still ran;
    /// that death is handled when the script ends.
    public internal(set) var processDied = false

    init(number: Int, script: ProcessIdentity? = nil, deadline: MonotonicInstant) {
        self.number = number
        self.script = script
        self.deadline = deadline
    }
}
