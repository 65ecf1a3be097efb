public import PsaverConfig

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
