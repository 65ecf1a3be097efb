import PsaverSystem

/// The history file beside the state file (`SHM_DUMP_FILE.history`): per entry, the
/// restart attempts over its whole life and its last events, kept across engine
/// restarts. The state file's `restart_count` keeps ProcessSaver's meaning (since the
/// engine started); this is what outlives the engine.
///
/// Entries are keyed by what the PENT line matches on (`HistoryKey`), not by pent_id,
/// so reordering the pfile does not hand one entry's history to another.
public struct HistoryDocument: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public var version: Int
    public var entries: [HistoryEntry]

    public init(entries: [HistoryEntry] = [], version: Int = HistoryDocument.currentVersion) {
        self.version = version
        self.entries = entries
    }

    /// The entry's history, nil when it has none yet.
    public func entry(_ key: HistoryKey) -> HistoryEntry? { entries.first { $0.key == key } }

    /// Each entry's restart attempts over its life as of `state`: what the history holds,
    /// plus what the running engine counted since it last wrote the history (the history
    /// is written less often than the state file). In the order of `state.entries`.
    public func lifetimeRestarts(of state: StateDocument) -> [Int] {
        var byKey: [HistoryKey: HistoryEntry] = [:]
        for entry in entries { byKey[entry.key] = entry }
        return zip(state.entries, HistoryKey.keys(of: state.entries)).map { entry, key in
            guard let kept = byKey[key] else { return entry.restartCount }
            let counted = kept.enginePID == state.pid.rawValue ? kept.engineRestarts ?? 0 : 0
            return kept.restartsTotal + max(0, entry.restartCount - counted)
        }
    }
}

/// What identifies an entry across engines and pfile edits: pname, include_strings,
/// exclude_strings and user, and which of identical PENT lines it is (from 1).
public struct HistoryKey: Codable, Sendable, Hashable {
    public var pname: String
    public var includeStrings: String
    public var excludeStrings: String
    public var user: String?
    public var occurrence: Int

    public init(pname: String, includeStrings: String, excludeStrings: String, user: String?, occurrence: Int = 1) {
        self.pname = pname
        self.includeStrings = includeStrings
        self.excludeStrings = excludeStrings
        self.user = user
        self.occurrence = occurrence
    }

    /// The key of every entry of a state document, in its order (identical lines numbered).
    public static func keys(of entries: [EntryRecord]) -> [HistoryKey] {
        var seen: [HistoryKey: Int] = [:]
        return entries.map { entry in
            var key = HistoryKey(pname: entry.pname, includeStrings: entry.includeStrings,
                                 excludeStrings: entry.excludeStrings, user: entry.user)
            let count = (seen[key] ?? 0) + 1
            seen[key] = count
            key.occurrence = count
            return key
        }
    }

    enum CodingKeys: String, CodingKey {
        case pname
        case includeStrings = "include_strings"
        case excludeStrings = "exclude_strings"
        case user, occurrence
    }
}

/// One entry's history.
public struct HistoryEntry: Codable, Sendable, Equatable {
    public var key: HistoryKey
    /// Restart attempts over the entry's life, across engine restarts.
    public var restartsTotal: Int
    /// ISO 8601 time of the last restart attempt, nil before any.
    public var lastRestart: String?
    /// The entry's last events, oldest first, at most `HistoryBook.eventsKept`.
    public var events: [HistoryEvent]
    /// The engine that last counted into `restartsTotal`, and its `restart_count` then:
    /// what a reader adds for restarts that engine made since (`lifetimeRestarts`).
    public var enginePID: Int32?
    public var engineRestarts: Int?

    public init(key: HistoryKey, restartsTotal: Int = 0, lastRestart: String? = nil, events: [HistoryEvent] = [],
                enginePID: Int32? = nil, engineRestarts: Int? = nil)
    {
        self.key = key
        self.enginePID = enginePID
        self.engineRestarts = engineRestarts
        self.restartsTotal = restartsTotal
        self.lastRestart = lastRestart
        self.events = events
    }

    enum CodingKeys: String, CodingKey {
        case key
        case restartsTotal = "restarts_total"
        case lastRestart = "last_restart"
        case events
        case enginePID = "engine_pid"
        case engineRestarts = "engine_restart_count"
    }
}

/// One event of an entry's history: when, which engine (pid) saw it, and the log line.
public struct HistoryEvent: Codable, Sendable, Equatable {
    public var time: String
    public var enginePID: Int32
    public var text: String

    public init(time: String, enginePID: Int32, text: String) {
        self.time = time
        self.enginePID = enginePID
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case time
        case enginePID = "engine_pid"
        case text
    }
}
