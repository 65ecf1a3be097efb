import PsaverState
import PsaverSystem

extension ConsoleModel {
    /// Handles one key and returns what the app must do (send a control request, quit).
    ///
    /// Never draws and never fails: a refused action (engine not running, entry gone,
    /// another user's engine) becomes the status message. An empty result still means
    /// "render again".
    public mutating func handle(_ key: ConsoleKey) -> [ConsoleEffect] {
        if case .resize(let rows, let cols) = key {
            terminalRows = rows
            terminalCols = cols
            scrollSelectionIntoView()
            return []
        }
        // F10 is q: it quits from the list, and closes a view or a question (as help says).
        if key == .function(10) {
            if mode == .normal { return [.quit] }
            return handle(mode == .filtering || mode == .filteringLog ? .escape : .character("q"))
        }
        switch mode {
        case .details, .eventLog, .messages, .help:
            return handleTextView(key)
        case .filteringLog:
            handleLogFilterTyping(key)
            return []
        case .confirming(let action):
            return handleConfirmation(key, action)
        case .filtering:
            handleFilterTyping(key)
            return []
        case .normal:
            return handleNormal(key)
        }
    }

    private mutating func handleNormal(_ key: ConsoleKey) -> [ConsoleEffect] {
        switch key {
        case .character("q"):
            return [.quit]
        case .character("m"):
            return toggleMonitoring()
        case .character("r"):
            askReset()
        case .character("x"):
            askDismiss()
        case .character("X"):
            askDismissAll()
        case .enter:
            guard let selection else { break }
            open(.details(selection), at: 0)
            return [.loadScriptOutput(selection)]
        case .character("/"):
            mode = .filtering
            statusMessage = nil  // the status line shows the filter's count instead (M keeps the message)
        case .character("s"):
            sortKey = sortKey.next
            statusMessage = "Sorted by \(sortKey.label)."
            rebuildLines()
        case .character("p"):
            sortKey = sortKey == .problems ? .pentID : .problems
            statusMessage = "Sorted by \(sortKey.label)."
            userMoved = false
            rebuildLines()
        case .character("n"), .character("N"):
            jumpToProblem(forward: key == .character("n"))
        case .character("e"):
            open(.eventLog, at: Int.max)
        case .character("E"):
            // The selected entry's own events: the log's filter set to how its lines begin.
            guard let selection, let document = engine(selection.engine)?.document else { break }
            logFilter = "\(document.ipckey) \(FileName.short(document.pfile)) [\(selection.pentID)]"
            open(.eventLog, at: Int.max)
        case .character("M"):
            open(.messages, at: Int.max)
        case .character("?"), .function(1):
            open(.help, at: 0)
        case .escape:
            statusMessage = nil
            if !filter.isEmpty {
                filter = ""
                rebuildLines()
            }
        default:
            move(key)
        }
        return []
    }

    private mutating func handleFilterTyping(_ key: ConsoleKey) {
        switch key {
        case .character(let character):
            filter.append(character)
        case .backspace:
            if !filter.isEmpty { filter.removeLast() }
        case .enter, .escape:
            // The row the operator filtered for stays selected, filter kept or cleared.
            if key == .escape { filter = "" }
            mode = .normal
            if selection != nil { userMoved = true }
            rebuildLines()
            return
        default:
            move(key)
            return
        }
        userMoved = false
        rebuildLines()
    }

    private mutating func handleConfirmation(_ key: ConsoleKey, _ action: PendingAction) -> [ConsoleEffect] {
        switch key {
        case .character("y"), .character("Y"):
            mode = .normal
            switch action {
            case .monitorOff(let entry):
                return send(.monitor(on: false, pentID: entry.pentID), to: entry,
                            saying: "Turning monitoring OFF for")
            case .monitorOn(let entry):
                return send(.monitor(on: true, pentID: entry.pentID), to: entry,
                            saying: "Turning monitoring ON for")
            case .reset(let entry):
                return send(.reset(pentID: entry.pentID), to: entry, saying: "Resetting retry_count of")
            case .dismiss(let id):
                guard engine(id) != nil, !health(of: id).isLive else {
                    statusMessage = "Engine \(id) is running again: not dismissed."
                    return []
                }
                return [.dismiss(id)]
            case .dismissAll(let ids):
                return ids.filter { engine($0) != nil && !health(of: $0).isLive }.map { .dismiss($0) }
            }
        case .character("n"), .character("N"), .character("q"), .escape:
            mode = .normal
            statusMessage = "Cancelled."
        default:
            break
        }
        return []
    }

    /// Monitoring off asks first (it stops restarts); on takes effect at once, unless
    /// it can end in retry over (`retryOverWarning`), which asks and says so.
    private mutating func toggleMonitoring() -> [ConsoleEffect] {
        guard let entry = selection, let record = record(entry), refuseUnlessWritable(entry) else {
            return []
        }
        if record.monitorSts == .on {
            mode = .confirming(.monitorOff(entry))
            return []
        }
        if retryOverWarning(entry) != nil {
            mode = .confirming(.monitorOn(entry))
            return []
        }
        return send(.monitor(on: true, pentID: entry.pentID), to: entry, saying: "Turning monitoring ON for")
    }

    private mutating func askReset() {
        guard let entry = selection, record(entry) != nil, refuseUnlessWritable(entry) else { return }
        mode = .confirming(.reset(entry))
    }

    /// `x`: forget the selected entry's engine, if it stopped or died, and the viewer may.
    private mutating func askDismiss() {
        guard let entry = selection else { return }
        let health = health(of: entry.engine)
        if health.isLive {
            statusMessage = "Engine \(engineName(entry.engine)) is \(health.word): only an engine that stopped or "
                + "died can be dismissed."
            return
        }
        if isReadOnly(entry.engine) {
            statusMessage = "Read-only: engine \(engineName(entry.engine)) ran as \(ownerName(entry.engine)); "
                + "only root or that user may dismiss it."
            return
        }
        mode = .confirming(.dismiss(entry.engine))
    }

    /// `X`: forget every engine that stopped, died or cannot be read (and is the viewer's
    /// to dismiss), including those without a row to select.
    private mutating func askDismissAll() {
        let dead = engines.filter { !$0.health(at: now).isLive }.map(\.id)
        let mine = dead.filter { !isReadOnly($0) }
        guard !mine.isEmpty else {
            statusMessage = dead.isEmpty ? "Every engine is running: nothing to dismiss."
                : "Read-only: the \(dead.count) engine(s) not running belong to other users."
            return
        }
        mode = .confirming(.dismissAll(mine))
    }

    /// Returns the send effect and marks the entry pending, or refuses with a status
    /// message when the engine stopped running since the question was asked.
    private mutating func send(_ command: ControlCommand, to entry: EntryKey, saying verb: String)
        -> [ConsoleEffect]
    {
        guard refuseUnlessWritable(entry), let document = engine(entry.engine)?.document else { return [] }
        statusMessage = "\(verb) \(describe(entry))…"
        pending[entry] = PendingChange(command: command, retryCountBefore: record(entry)?.retryCount ?? 0)
        return [.send(command, socketPath: document.controlSocket, engine: entry.engine)]
    }

    /// True when the entry's engine accepts commands from this viewer; otherwise sets
    /// the status message (before any question is asked).
    private mutating func refuseUnlessWritable(_ entry: EntryKey) -> Bool {
        let health = health(of: entry.engine)
        guard health.acceptsCommands else {
            statusMessage = "Engine of \(describe(entry)) is \(health.word): nothing sent."
            return false
        }
        if isReadOnly(entry.engine) {
            statusMessage = "Read-only: the engine of \(describe(entry)) runs as \(ownerName(entry.engine)); "
                + "only root or that user may change it."
            return false
        }
        if pending[entry] != nil {
            statusMessage = "\(describe(entry)): a change is still pending; wait for the state file."
            return false
        }
        return true
    }

    /// What turning monitoring on for the entry would risk (see `RetryOverWarning`), or nil.
    public func retryOverWarning(_ entry: EntryKey) -> String? {
        guard let record = record(entry) else { return nil }
        return RetryOverWarning.monitorOn(record, cluster: engine(entry.engine)?.document?.cluster)
    }

    /// `pent 2 (/usr/bin/java)`, as prompts and messages name an entry.
    public func describe(_ entry: EntryKey) -> String {
        guard let record = record(entry) else { return "pent \(entry.pentID)" }
        return "pent \(entry.pentID) (\(record.pname))"
    }

    /// `0x20000001 (pfile_tomcat)`: an engine as messages name it.
    public func engineName(_ id: EngineID) -> String {
        guard let document = engine(id)?.document else { return id.rawValue }
        return "\(document.ipckey) (\(FileName.base(document.pfile)))"
    }

    private func ownerName(_ id: EngineID) -> String {
        guard let uid = engine(id)?.document?.uid else { return "another user" }
        return uid == .root ? "root" : "uid \(uid.rawValue)"
    }

    /// The question the confirmation prompt asks, ending in `y/n`.
    public func question(for action: PendingAction) -> String {
        switch action {
        case .monitorOff(let entry): "Turn monitoring OFF for \(describe(entry))? y/n"
        case .monitorOn(let entry):
            "\(retryOverWarning(entry) ?? "Turn monitoring ON for \(describe(entry)).") Turn it ON anyway? y/n"
        case .reset(let entry): "Reset retry_count of \(describe(entry))? y/n"
        case .dismiss(let id):
            "Dismiss engine \(engineName(id)) (\(health(of: id).word))? Its registry link goes: it leaves every "
                + "user's psview on this host. y/n"
        case .dismissAll(let ids):
            "Dismiss the \(ids.count) engine(s) that are not running? Their registry links go: they leave every "
                + "user's psview on this host. y/n"
        }
    }

    /// `n` / `N`: the next (previous) problem, wrapping round: an entry with a problem of
    /// its own, or an engine that is not running (its first listed row), never every row
    /// of a stopped engine one by one.
    private mutating func jumpToProblem(forward: Bool) {
        let entries = visibleEntries
        guard !entries.isEmpty else { return }
        var stops = [Bool](repeating: false, count: entries.count)
        var enginesSeen = Set<EngineID>()
        for (index, key) in entries.enumerated() {
            let rank = problemRank(key)
            let firstOfItsEngine = enginesSeen.insert(key.engine).inserted
            stops[index] = rank == .deadEngine ? firstOfItsEngine : rank.isProblem
        }
        let start = selectedIndex ?? (forward ? entries.count - 1 : 0)
        for step in 1...entries.count {
            let index = ((start + (forward ? step : -step)) % entries.count + entries.count) % entries.count
            if stops[index] {
                select(entries[index])
                return
            }
        }
        statusMessage = "No problems: every listed entry is AVAIL and monitored."
    }

    private mutating func select(_ entry: EntryKey) {
        selection = entry
        userMoved = true
        scrollSelectionIntoView()
    }

    /// Moves the selection for navigation keys; other keys do nothing.
    private mutating func move(_ key: ConsoleKey) {
        let entries = visibleEntries
        guard !entries.isEmpty else { return }
        let current = selectedIndex ?? 0
        let page = max(geometry.listHeight - 1, 1)
        let target: Int
        switch key {
        case .up, .character("k"): target = current - 1
        case .down, .character("j"): target = current + 1
        case .pageUp: target = current - page
        case .pageDown: target = current + page
        case .home, .character("g"): target = 0
        case .end, .character("G"): target = entries.count - 1
        default: return
        }
        select(entries[max(0, min(target, entries.count - 1))])
        if target <= 0 { scrollOffset = 0 }
        scrollSelectionIntoView()
    }
}
