public import PsaverState
public import PsaverSystem

/// Everything psview shows, as a value: the engines and their entries, selection,
/// scrolling, filter, sort, mode and the status line.
///
/// Pure: it reads no clock, file or terminal. Keys go in through `handle(_:)`, which
/// returns what the app must do; everything else (state files read, time, answers to
/// control requests) goes in through `apply(_:)`. After either, the app renders the model
/// with `ConsoleLayout.render` and paints the grid.
public struct ConsoleModel: Equatable, Sendable {
    /// The engines, sorted by id, each with its last document.
    public internal(set) var engines: [ConsoleEngine] = [] {
        didSet { engineIndex = Dictionary(uniqueKeysWithValues: engines.enumerated().map { ($1.id, $0) }) }
    }
    /// Position of each engine in `engines`, for lookups per row.
    private var engineIndex: [EngineID: Int] = [:]
    /// The list as shown: per engine its group line, then its entries that pass the
    /// filter, in `sortKey` order. Rebuilt after every change.
    public internal(set) var lines: [ConsoleLine] = [] {
        didSet {
            visibleEntries = lines.compactMap { line in
                if case .entry(let key) = line { return key }
                return nil
            }
        }
    }
    /// The listed entries, in list order: `lines` without group lines and banners, kept
    /// with them rather than gathered again from thousands of lines at each paint.
    public private(set) var visibleEntries: [EntryKey] = []
    /// The selected entry, nil only when no entry is listed.
    public internal(set) var selection: EntryKey?
    /// The first list line on screen.
    public internal(set) var scrollOffset = 0
    /// Case-insensitive text an entry's pname, include_strings or exclude_strings must contain.
    public internal(set) var filter = ""
    public internal(set) var sortKey = SortKey.pentID
    public internal(set) var mode = ConsoleMode.normal
    /// The status line's message; stays until another replaces it or Esc clears it.
    /// Every message also goes into `messages`, so a long one can be read whole (`M`).
    public internal(set) var statusMessage: String? {
        didSet {
            guard let statusMessage, statusMessage != oldValue else { return }
            messages.append(statusMessage)
            if messages.count > Self.messageLimit { messages.removeFirst(messages.count - Self.messageLimit) }
        }
    }
    /// The last status messages, oldest first.
    public internal(set) var messages: [String] = []
    static let messageLimit = 100
    /// Who runs this console: the engines of other users are read-only unless it is root.
    public let viewer: UserID
    /// Changes sent and not yet confirmed by the state file, per entry.
    public internal(set) var pending: [EntryKey: PendingChange] = [:]
    /// Each engine's events as psview has seen them, oldest first: more than the state
    /// file's ring holds, so that a busy engine does not push a retry over out of reach.
    public internal(set) var history: [EngineID: [EventRecord]] = [:]
    static let historyLimit = 5000
    /// Every engine's events as psview has seen them, merged by time, oldest first: the
    /// event log and the pane under the list. Kept in order as events arrive, not
    /// sorted at each paint.
    public internal(set) var eventLog: [ShownEvent] = []
    static let eventLogLimit = 20_000
    /// The restart script output last read for the details view, and whose it is.
    public internal(set) var scriptOutput: ScriptOutput?
    public internal(set) var scriptOutputEntry: EntryKey?
    /// The kept final state of the engine before each engine, when it ended at retry over.
    public internal(set) var previousEngines: [EngineID: StateDocument] = [:]
    /// The restart history kept beside each engine's state file, as last read (ConsoleModel+History).
    public internal(set) var entryHistories: [EngineID: HistoryDocument] = [:]
    /// The first line shown by a text view (details, event log, messages, help);
    /// `Int.max` keeps the view on its last line as lines arrive.
    public internal(set) var textScroll = 0
    /// Case-insensitive text every line of the event log must contain.
    public internal(set) var logFilter = ""
    /// Whether the operator has moved the selection; until then it stays on the top row.
    var userMoved = false
    /// The terminal's size, from `init` and `.resize` keys.
    public internal(set) var terminalRows: Int
    public internal(set) var terminalCols: Int
    /// Each engine's `EngineHealth.rank` when `lines` were last built (they order the groups).
    var listedRanks: [Int] = []
    /// The wall clock at the last `.tick`, nil before the first.
    public internal(set) var now: WallTime?

    /// An empty console for a terminal of `rows` × `cols`, used by `viewer`.
    public init(rows: Int = 24, cols: Int = 80, viewer: UserID = .root) {
        terminalRows = rows
        terminalCols = cols
        self.viewer = viewer
    }

    /// Pane positions for the current terminal size.
    public var geometry: ConsoleGeometry { ConsoleGeometry(rows: terminalRows, cols: terminalCols) }

    /// The engine with this id.
    public func engine(_ id: EngineID) -> ConsoleEngine? {
        engineIndex[id].map { engines[$0] }
    }

    /// How the engine shows now (see `ConsoleEngine.health(at:)`).
    public func health(of id: EngineID) -> EngineHealth {
        engine(id)?.health(at: now) ?? .gone
    }

    /// Whether this console may not change the engine: it runs as another user and the
    /// viewer is not root (the engine's socket would refuse; say so before asking).
    public func isReadOnly(_ id: EngineID) -> Bool {
        guard viewer != .root, let document = engine(id)?.document else { return false }
        return document.uid != viewer
    }

    /// The entry's problem rank (see `ProblemRank`).
    public func problemRank(_ key: EntryKey) -> ProblemRank {
        guard let record = record(key) else { return .none }
        return ProblemRank(record, engineLive: health(of: key.engine).isLive)
    }

    /// The entry's last known record, from its engine's last document.
    public func record(_ key: EntryKey) -> EntryRecord? {
        engine(key.engine)?.entry(key.pentID)
    }

    /// The selected entry's position in `visibleEntries`.
    public var selectedIndex: Int? {
        guard let selection else { return nil }
        return visibleEntries.firstIndex(of: selection)
    }
}
