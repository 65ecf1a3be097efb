import PsaverSystem

/// Keeps the history file's content up to date from the engine's state documents: a
/// pure value, fed each document the engine writes in full; `HistoryStore` does the I/O.
///
/// The lifetime count grows by how much each entry's `restart_count` grew since the
/// last document this engine wrote (this engine's counters start at 0), so nothing is
/// counted twice across engines or reloads. New events are those after the last one
/// seen in the document's ring.
public struct HistoryBook: Sendable {
    /// Events kept per entry.
    public static let eventsKept = 20
    /// Entries no longer in the pfile whose history is kept (most recently restarted first).
    public static let absentKept = 1_000

    public private(set) var document: HistoryDocument
    private var index: [HistoryKey: Int] = [:]
    /// Each entry's `restart_count` in the last document absorbed.
    private var seenRestarts: [HistoryKey: Int] = [:]
    private var lastEvent: EventRecord?
    private var seenTotal = 0
    private var seenCount = 0
    /// The entries' keys as last worked out, with the entries they were made from.
    private var keyCache: (entries: [EntryRecord], keys: [HistoryKey])?

    /// Starts from the history an engine before this one left (nil: none, or unreadable).
    public init(loaded: HistoryDocument?) {
        document = loaded ?? HistoryDocument()
        document.version = HistoryDocument.currentVersion
        reindex()
    }

    /// Takes in a state document; true when the history changed and should be written.
    public mutating func absorb(_ state: StateDocument) -> Bool {
        // Most writes change neither a restart count nor the events (a monitoring
        // switch, a heartbeat's content): a pass of additions tells, without hashing
        // every entry's key.
        let restarts = state.entries.reduce(0) { $0 + $1.restartCount }
        if restarts == seenTotal, state.entries.count == seenCount, state.events.last == lastEvent {
            return false
        }
        (seenTotal, seenCount) = (restarts, state.entries.count)
        var changed = false
        let keys = cachedKeys(of: state.entries)
        var keyOfPent: [Int: HistoryKey] = [:]
        for (entry, key) in zip(state.entries, keys) {
            keyOfPent[entry.pentId] = key
            let seen = seenRestarts[key] ?? 0
            seenRestarts[key] = entry.restartCount
            guard entry.restartCount > seen else { continue }
            update(key) {
                $0.restartsTotal += entry.restartCount - seen
                $0.lastRestart = entry.rerunTime ?? $0.lastRestart
                ($0.enginePID, $0.engineRestarts) = (state.pid.rawValue, entry.restartCount)
            }
            changed = true
        }
        for event in newEvents(in: state.events) {
            guard let pent = event.pentId, let key = keyOfPent[pent] else { continue }
            update(key) {
                $0.events.append(HistoryEvent(time: event.time, enginePID: state.pid.rawValue, text: event.text))
                if $0.events.count > Self.eventsKept { $0.events.removeFirst($0.events.count - Self.eventsKept) }
            }
            changed = true
        }
        if changed { dropOldAbsent(present: Set(keys)) }
        return changed
    }

    /// The keys of `entries`, worked out again only when an entry's identity changed
    /// (a reload): the same strings compare fast.
    private mutating func cachedKeys(of entries: [EntryRecord]) -> [HistoryKey] {
        if let cache = keyCache, cache.entries.count == entries.count,
            zip(cache.entries, entries).allSatisfy({ old, new in
                old.pentId == new.pentId && old.pname == new.pname && old.includeStrings == new.includeStrings
                    && old.excludeStrings == new.excludeStrings && old.user == new.user
            })
        {
            return cache.keys
        }
        let keys = HistoryKey.keys(of: entries)
        keyCache = (entries, keys)
        return keys
    }

    private mutating func newEvents(in events: [EventRecord]) -> ArraySlice<EventRecord> {
        defer { lastEvent = events.last ?? lastEvent }
        guard let lastEvent else { return events[...] }
        guard let at = events.lastIndex(of: lastEvent) else { return events[...] }
        return events[(at + 1)...]
    }

    private mutating func update(_ key: HistoryKey, _ change: (inout HistoryEntry) -> Void) {
        if let at = index[key] {
            change(&document.entries[at])
        } else {
            var entry = HistoryEntry(key: key)
            change(&entry)
            index[key] = document.entries.count
            document.entries.append(entry)
        }
    }

    private mutating func dropOldAbsent(present: Set<HistoryKey>) {
        let absent = document.entries.filter { !present.contains($0.key) }
        guard absent.count > Self.absentKept else { return }
        let dropped = Set(absent.sorted { ($0.lastRestart ?? "") > ($1.lastRestart ?? "") }
            .dropFirst(Self.absentKept).map(\.key))
        document.entries.removeAll { dropped.contains($0.key) }
        reindex()
    }

    private mutating func reindex() {
        index = [:]
        for (at, entry) in document.entries.enumerated() { index[entry.key] = at }
    }
}
