import PsaverState
import PsaverSystem

/// The reason for each restart and crash loops (DESIGN §2): kept per entry and written
/// to the state file, so that consoles show why an entry was restarted and that it keeps
/// being restarted. No log line: the log keeps ProcessSaver's lines.
extension Supervisor {
    /// Notes a restart attempt starting now: its cause, and whether the entry is now
    /// flapping (`RestartWindow.flapCount` attempts within `RestartWindow.seconds`).
    mutating func noteRestart(_ index: Int, at now: Moment) {
        trackers[index].lastCause = trackers[index].nextCause
        trackers[index].nextCause = .died
        var recent = trackers[index].recentRestarts + [now.monotonic]
        if recent.count > RestartWindow.flapCount { recent.removeFirst(recent.count - RestartWindow.flapCount) }
        trackers[index].recentRestarts = recent
        if recent.count == RestartWindow.flapCount, now.monotonic - recent[0] <= Self.flapWindow {
            trackers[index].flapping = true
        }
    }

    /// A flapping entry whose process has stayed up for the window is no longer flapping.
    mutating func steadyAgain(_ index: Int, upSince since: MonotonicInstant, at now: Moment) {
        if trackers[index].flapping, now.monotonic >= since + Self.flapWindow { trackers[index].flapping = false }
    }

    static var flapWindow: Duration { .seconds(RestartWindow.seconds) }
}
