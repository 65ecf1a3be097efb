public import PsaverConfig
public import PsaverProcessTable

extension Supervisor {
    /// SIGHUP with a valid new pfile: entries whose configuration is unchanged keep
    /// their state and counters (under their new pent_id); new or changed entries
    /// start as at start-up; removed entries are forgotten. An entry whose restart
    /// attempt is in flight keeps it (and its counters) through a change that leaves
    /// it watching the same processes (DESIGN §3: a reload keeps a running attempt
    /// with its entry), so a changed retry never starts a second script.
    ///
    /// Returns the actions and the mapping of old pent ids to new ones, so that the
    /// runtime can follow restart scripts still running.
    public mutating func reload(
        _ pfile: PFile, found: [PentID: ProcessIdentity], at now: Moment
    ) -> ([EngineAction], [PentID: PentID]) {
        guard outcome == nil else { return ([], [:]) }
        var unused = trackers
        var mapping: [PentID: PentID] = [:]
        var fresh: [EntryTracker] = []
        var newEntries: [Int] = []
        var revived: [EngineAction] = []
        for entry in pfile.entries {
            if let match = unused.firstIndex(where: { Self.sameConfiguration($0.entry, entry) })
                ?? unused.firstIndex(where: { $0.attemptInFlight && Self.sameIdentity($0.entry, entry) })
            {
                var kept = unused.remove(at: match)
                mapping[kept.entry.id] = entry.id
                kept.entry = entry
                fresh.append(kept)
            } else if let back = revive(entry) {
                fresh.append(back.tracker)
                revived += back.actions
            } else {
                newEntries.append(fresh.count)
                fresh.append(EntryTracker(entry: entry))
            }
        }
        trackers = fresh
        depart(unused)
        params = pfile.params
        var actions: [EngineAction] = [.log(LogRecord(
            .notice, "pfile reloaded: \(fresh.count - newEntries.count) entries kept, \(newEntries.count) new, "
                + "\(unused.count) removed"))]
        for tracker in trackers where !newEntries.contains(tracker.entry.id.rawValue - 1) {
            if let process = tracker.process { actions.append(.watch(tracker.entry.id, process)) }
        }
        actions += revived
        actions += startEntries(at: newEntries, found: found, now: now)
        return (actions + [.writeState], mapping)
    }

    /// Whether two entries watch the same thing the same way (position and line aside).
    static func sameConfiguration(_ a: Entry, _ b: Entry) -> Bool {
        var b = b
        b.id = a.id
        b.line = a.line
        return a == b
    }
}
