import PsaverState
import PsaverSystem

/// The engine's side of systemd's notification protocol (`Type=notify`, ServiceNotifier):
/// ready once every entry has been looked at and the state file shows it, a watchdog
/// fed by the loop itself (so a loop that stops turning is restarted by systemd), and
/// a word when it stops. Without `$NOTIFY_SOCKET` all of this does nothing.
extension Engine {
    /// After the first look at every entry and the state file write that shows it.
    func notifyReady(at now: MonotonicInstant) {
        guard let notifier else { return }
        var fields = ["READY=1", "MAINPID=\(Identity.processID)", "STATUS=\(statusLine)"]
        if let interval = notifier.watchdogInterval {
            fields.append("WATCHDOG=1")
            nextWatchdog = now + interval
        }
        notifier.send(fields)
        sayNotificationFailure()
    }

    /// From every loop turn: `WATCHDOG=1` once half of `WATCHDOG_USEC` has passed since the last.
    func feedWatchdog(at now: MonotonicInstant) {
        guard let notifier, let due = nextWatchdog, now >= due, let interval = notifier.watchdogInterval else { return }
        notifier.send(["WATCHDOG=1", "STATUS=\(statusLine)"])
        nextWatchdog = now + interval
        sayNotificationFailure()
    }

    /// When the loop has ended, before the engine exits.
    func notifyStopping() {
        guard let notifier else { return }
        let why = finished == .retryOver ? "retry over" : "stopped"
        notifier.send(["STOPPING=1", "STATUS=\(why)"])
    }

    /// `watching 3 entries: 2 AVAIL, 1 DOWN`, for `systemctl status`.
    private var statusLine: String {
        var counts: [ProcStatus: Int] = [:]
        for tracker in supervisor.trackers { counts[tracker.procStatus, default: 0] += 1 }
        let parts = ProcStatus.allCases.compactMap { status in counts[status].map { "\($0) \(status.rawValue)" } }
        return "watching \(EnglishCount.of(supervisor.trackers.count, "entry", "entries"))"
            + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }

    private func sayNotificationFailure() {
        guard let failure = notifier?.takeFailure() else { return }
        record(LogRecord(.warning, "cannot notify the service manager at \(notifier?.address ?? "?"): \(failure); "
                         + "systemd will see no readiness or watchdog from this engine"))
    }
}
