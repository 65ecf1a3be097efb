import PsaverState

extension ConsoleModel {
    /// Handles one key and returns what the app must do (send a control request, quit).
    ///
    /// Never draws and never fails: a refused action (engine not running, entry gone)
    /// becomes the status message. An empty result still means "render again".
    public mutating func handle(_ key: ConsoleKey) -> [ConsoleEffect] {
        if case .resize(let rows, let cols) = key {
            terminalRows = rows
            terminalCols = cols
            scrollSelectionIntoView()
            return []
        }
        switch mode {
        case .help:
            if key == .escape || key == .character("q") || key == .character("?") { mode = .normal }
            return []
        case .details:
            if key == .escape || key == .character("q") || key == .enter { mode = .normal }
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
        case .enter:
            if let selection { mode = .details(selection) }
        case .character("/"):
            mode = .filtering
        case .character("s"):
            sortKey = sortKey.next
            statusMessage = "Sorted by \(sortKey.label)."
            rebuildLines()
        case .character("?"):
            mode = .help
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
        case .enter:
            mode = .normal
        case .escape:
            filter = ""
            mode = .normal
        default:
            move(key)
            return
        }
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
            case .reset(let entry):
                return send(.reset(pentID: entry.pentID), to: entry, saying: "Resetting retry_count of")
            }
        case .character("n"), .character("N"), .character("q"), .escape:
            mode = .normal
            statusMessage = "Cancelled."
        default:
            break
        }
        return []
    }

    /// Monitoring off asks first (it stops restarts); on takes effect at once.
    private mutating func toggleMonitoring() -> [ConsoleEffect] {
        guard let entry = selection, let record = record(entry), refuseUnlessRunning(entry) else {
            return []
        }
        if record.monitorSts == .on {
            mode = .confirming(.monitorOff(entry))
            return []
        }
        return send(.monitor(on: true, pentID: entry.pentID), to: entry, saying: "Turning monitoring ON for")
    }

    private mutating func askReset() {
        guard let entry = selection, record(entry) != nil, refuseUnlessRunning(entry) else { return }
        mode = .confirming(.reset(entry))
    }

    /// Returns the send effect, or refuses with a status message when the engine stopped
    /// running since the question was asked.
    private mutating func send(_ command: ControlCommand, to entry: EntryKey, saying verb: String)
        -> [ConsoleEffect]
    {
        guard refuseUnlessRunning(entry), let document = engine(entry.engine)?.document else { return [] }
        statusMessage = "\(verb) \(describe(entry))…"
        return [.send(command, socketPath: document.controlSocket, engine: entry.engine)]
    }

    /// True when the entry's engine accepts commands; otherwise sets the status message.
    private mutating func refuseUnlessRunning(_ entry: EntryKey) -> Bool {
        let health = health(of: entry.engine)
        if health.acceptsCommands { return true }
        statusMessage = "Engine of \(describe(entry)) is \(health.word): nothing sent."
        return false
    }

    /// `pent 2 (/usr/bin/java)`, as prompts and messages name an entry.
    public func describe(_ entry: EntryKey) -> String {
        guard let record = record(entry) else { return "pent \(entry.pentID)" }
        return "pent \(entry.pentID) (\(record.pname))"
    }

    /// The question the confirmation prompt asks, ending in `y/n`.
    public func question(for action: PendingAction) -> String {
        switch action {
        case .monitorOff(let entry): "Turn monitoring OFF for \(describe(entry))? y/n"
        case .reset(let entry): "Reset retry_count of \(describe(entry))? y/n"
        }
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
        case .home: target = 0
        case .end: target = entries.count - 1
        default: return
        }
        selection = entries[max(0, min(target, entries.count - 1))]
        if key == .home { scrollOffset = 0 }
        scrollSelectionIntoView()
    }
}
