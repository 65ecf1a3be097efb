import PsaverConfig
import PsaverProcessTable
import PsaverSystem

/// The clean-up between a death and its restart script, as systemd's
/// `KillMode=control-group` does it: the dead process's leftovers get SIGTERM,
/// then SIGKILL after `cleanup_wait`; then the script waits until the dead process
/// and its leftovers are gone from the process table (a zombie still holds its pid,
/// and a lock file naming that pid still looks taken), for at most `reapWait`.
struct LeftoverCleanup {
    enum Stage: Equatable {
        /// The death is seen; no restart was asked for yet.
        case dead
        /// SIGTERM sent; SIGKILL at the deadline for what still runs.
        case ending(until: MonotonicInstant)
        /// SIGKILL sent; waiting for them to end.
        case killed(until: MonotonicInstant)
        /// All ended; waiting for their parents (PID 1) to reap them.
        case reaping(until: MonotonicInstant)
    }

    let entry: Entry
    let family: MainFamily
    var stage: Stage = .dead
    /// The attempt whose script waits for this clean-up.
    var attempt: Int?
    /// The leftovers found when the restart was asked for, and those not yet seen end.
    var leftovers: [ProcessIdentity] = []
    var running: [ProcessIdentity] = []

    /// How long SIGKILLed processes may take to end, and ended ones to be reaped.
    static let killWait: Duration = .seconds(5)
    static let reapWait: Duration = .seconds(5)
    /// How often the table is looked at while a clean-up is under way.
    static let pollInterval: Duration = .milliseconds(20)

    init(entry: Entry, family: MainFamily) {
        self.entry = entry
        self.family = family
    }

    var prefix: String { "(\(entry.pname) ,pid=\(family.identity.pid))" }
}
