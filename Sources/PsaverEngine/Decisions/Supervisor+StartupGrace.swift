import PsaverConfig
import PsaverProcessTable
import PsaverSystem

/// The start-up grace (`pcheck --startup-grace SECONDS`): at boot the application's
/// own unit may still be starting when the engine first looks. An entry whose process
/// is missing then waits (WAITING) up to the grace for it to appear, and is restarted,
/// as at start-up, only if it has not: no retry is spent on a service that was coming.
extension Supervisor {
    /// The attempt number a start-up grace waits under: no script ran, none is counted.
    static let startupGraceAttempt = 0

    /// Start-up found no process for the entry: wait for it until `grace` has passed.
    mutating func awaitAtStartUp(_ index: Int, grace: Duration, at now: Moment) -> [EngineAction] {
        let entry = trackers[index].entry
        trackers[index].phase = .waiting(attempt: Self.startupGraceAttempt, deadline: now.monotonic + grace)
        return [.log(LogRecord(.notice, "(\(entry.pname)) waiting up to \(Self.seconds(grace)) s (start-up grace) "
                               + "for it to appear before restarting it", pentID: entry.id))]
    }

    /// The grace is over: the process the runtime found is the entry's, or it is down
    /// and restarted as at start-up (monitoring off: left down).
    mutating func startupGraceEnded(_ index: Int, found: ProcessIdentity?, at now: Moment) -> [EngineAction] {
        if let found { return becomeAvailable(index, found, at: now) }
        let entry = trackers[index].entry
        return [.log(LogRecord(.notice, "(\(entry.pname)) did not appear within the start-up grace",
                               pentID: entry.id))]
            + handleDown(index, at: now)
    }
}
