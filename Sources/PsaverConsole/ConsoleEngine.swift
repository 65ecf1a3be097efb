public import PsaverState
public import PsaverSystem

/// One engine as the console knows it: the last state document read and what the app
/// reported about it.
public struct ConsoleEngine: Equatable, Sendable {
    public var id: EngineID
    /// The last document read successfully; kept when later reads fail.
    public var document: StateDocument? {
        // A heartbeat keeps the entries (the same array when the reader reused the last
        // document): every engine writes one per MONITOR_INTERVAL.
        didSet { if document?.entries != oldValue?.entries { indexEntries() } }
    }
    /// Position of each pent_id in `document.entries`: rows look their record up once
    /// per paint, and a registry may hold thousands of entries.
    private var entryIndex: [Int: Int] = [:]
    /// Facts every paint needs about all entries, worked out once per document.
    public private(set) var summary = Summary()

    /// Per-document totals: entries per proc_sts, monitoring off, the widest
    /// `retry_count/retry` (in digits) and pname [include_strings] (in cells).
    public struct Summary: Equatable, Sendable {
        public var counts: [ProcStatus: Int] = [:]
        public var monitorOff = 0
        /// Entries the engine says are flapping.
        public var flapping = 0
        /// The widest pent_id, in digits.
        public var idWidth = 0
        public var retryWidth = 0
        public var nameWidth = 0
    }
    /// What the app reported at the last read.
    public var liveness: EngineLiveness

    public init(id: EngineID, document: StateDocument?, liveness: EngineLiveness) {
        self.id = id
        self.document = document
        self.liveness = liveness
        indexEntries()
    }

    private mutating func indexEntries() {
        entryIndex = [:]
        summary = Summary()
        func digits(_ value: Int) -> Int { value < 10 ? 1 : 1 + digits(value / 10) }
        for (index, entry) in (document?.entries ?? []).enumerated() {
            entryIndex[entry.pentId] = index
            summary.counts[entry.procSts, default: 0] += 1
            if entry.monitorSts == .off { summary.monitorOff += 1 }
            if entry.isFlapping { summary.flapping += 1 }
            summary.idWidth = max(summary.idWidth, digits(max(entry.pentId, 0)))
            summary.retryWidth = max(summary.retryWidth, digits(max(entry.retryCount, 0)) + digits(max(entry.retry, 0)) + 1)
            let strings = entry.includeStrings.isEmpty ? 0 : displayWidth(of: entry.includeStrings) + 3
            summary.nameWidth = max(summary.nameWidth, displayWidth(of: entry.pname) + strings)
        }
    }

    /// How to show the engine at `now` (DESIGN §5).
    ///
    /// Unreadable and the engine's own last word (`stopped`, `retry_over`) come first,
    /// then a vanished pid, then staleness: a heartbeat older than 2 × MONITOR_INTERVAL
    /// (or one that cannot be parsed). Without a clock yet (`now` nil) the heartbeat is
    /// trusted.
    public func health(at now: WallTime?) -> EngineHealth {
        if case .unreadable(let reason) = liveness { return .unreadable(reason) }
        guard let document else { return .unreadable("no state yet") }
        switch document.engineSts {
        case .stopped: return .stopped
        case .retryOver: return .retryOver
        case .running: break
        }
        if liveness == .gone { return .gone }
        if liveness == .stale { return .stale }
        if let now, Self.isStale(document, at: now) { return .stale }
        return .running
    }

    /// Whether `document`'s heartbeat is older than two MONITOR_INTERVALs at `now`.
    public static func isStale(_ document: StateDocument, at now: WallTime) -> Bool {
        StateFreshness.heartbeatIsOld(document, at: now)
    }

    /// The entry with this pent_id, if the last document has it.
    public func entry(_ pentID: Int) -> EntryRecord? {
        guard let document, let index = entryIndex[pentID] else { return nil }
        return document.entries[index]
    }
}
