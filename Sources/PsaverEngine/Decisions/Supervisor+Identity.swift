import PsaverConfig
import PsaverProcessTable
import PsaverState

extension Supervisor {
    /// Whether two entries watch the same processes with the same script, whatever
    /// their limits (retry, grace, start_wait, retry_over_act): the identity a restart
    /// attempt belongs to across a reload.
    static func sameIdentity(_ a: Entry, _ b: Entry) -> Bool {
        a.pname == b.pname && a.restartScript == b.restartScript && a.includeStrings == b.includeStrings
            && a.excludeStrings == b.excludeStrings && a.user == b.user
    }
}

extension EntryTracker {
    /// Whether a restart attempt of this entry is under way: its script runs, or it
    /// ended and the process is awaited.
    var attemptInFlight: Bool {
        if case .waiting = phase { return true }
        return runningAttempt != nil
    }
}

extension Supervisor {
    /// How many removed entries with a script still running are remembered.
    static let departedLimit = 64

    /// Remembers the entries a reload removed while their restart attempt was in
    /// flight, so that a later reload that adds them back (an edit in two steps, a
    /// line commented out and in again) gives them back their attempt instead of
    /// starting a second script.
    mutating func depart(_ removed: [EntryTracker]) {
        departed += removed.filter { tracker in
            if case .restarting(let attempt) = tracker.phase { return attempt.script != nil }
            if case .waiting = tracker.phase { return true }
            return false
        }
        if departed.count > Self.departedLimit { departed.removeFirst(departed.count - Self.departedLimit) }
    }

    /// The departed tracker that watches what `entry` watches, back under `entry`,
    /// and the actions that follow its script again; nil when there is none.
    mutating func revive(_ entry: Entry) -> (tracker: EntryTracker, actions: [EngineAction])? {
        guard let index = departed.lastIndex(where: { Self.sameIdentity($0.entry, entry) }) else { return nil }
        var tracker = departed.remove(at: index)
        tracker.entry = entry
        guard case .restarting(let attempt) = tracker.phase, let script = attempt.script else {
            return (tracker, [])
        }
        return (tracker, [
            .log(LogRecord(.notice, "(\(entry.pname)) added back while its restart script pid=\(script.pid) still "
                           + "runs; waiting for it instead of starting another", pentID: entry.id)),
            .watchAdoptedScript(entry.id, attempt: attempt.number, script: script),
        ])
    }
}
