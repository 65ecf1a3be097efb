import PsaverState
public import PsaverSystem

extension ConsoleLayout {
    /// Column titles (with how many lines are above and below the screen), then the
    /// visible slice of group lines, banners and entry rows.
    static func drawList(_ model: ConsoleModel, now: WallTime, into grid: inout ScreenGrid) {
        let geometry = model.geometry
        let columns = entryColumns(model)
        grid.clear(row: geometry.titleRow, style: .title)
        grid.put(columns.titles().joined(separator: " "), row: geometry.titleRow, col: 0, style: .title)
        if model.engines.isEmpty {
            grid.put("No engines found. Start one with pcheck -f PFILE, or name a state file.",
                     row: geometry.listTop, col: 1)
            return
        }
        let visible = model.lines.dropFirst(model.scrollOffset).prefix(geometry.listHeight)
        // Below the list (the events pane's title), else on the column titles.
        let marksRow = geometry.eventLines > 0 ? geometry.eventsTitleRow : geometry.titleRow
        defer {
            drawScrollMarks(above: model.scrollOffset,
                            below: max(model.lines.count - model.scrollOffset - geometry.listHeight, 0),
                            noun: "rows", row: marksRow, into: &grid)
        }
        for (offset, line) in visible.enumerated() {
            let row = geometry.listTop + offset
            switch line {
            case .engine(let id):
                drawGroup(id, model: model, now: now, row: row, into: &grid)
            case .lastRows(let id):
                drawLastRows(id, model: model, now: now, row: row, into: &grid)
            case .banner(let id):
                drawBanner(id, model: model, now: now, row: row, into: &grid)
            case .entry(let key):
                drawEntry(key, model: model, columns: columns, now: now,
                          lastEvent: columns.lastEvent > 0 ? lastEventText(key, model) : "", row: row, into: &grid)
            }
        }
        if model.visibleEntries.isEmpty, !model.filter.isEmpty, visible.count < geometry.listHeight {
            grid.put("No entry matches \"\(model.filter)\" (Esc clears the filter).",
                     row: geometry.listTop + visible.count, col: 1)
        }
    }

    /// The columns for what is listed: RETRY as wide as its widest value, the engine
    /// column in the problems view, pname no wider than the widest name when the screen
    /// is wide (the rest goes to the last event).
    static func entryColumns(_ model: ConsoleModel) -> EntryColumns {
        var retryWidth = 5, longest = 0, engineWidth = 0, idWidth = EntryColumns.id
        for engine in model.engines {
            if model.sortKey.isFlat { engineWidth = max(engineWidth, engine.document.map { $0.ipckey.count } ?? 0) }
            retryWidth = max(retryWidth, engine.summary.retryWidth + 1)
            longest = max(longest, engine.summary.nameWidth)
            idWidth = max(idWidth, engine.summary.idWidth)
        }
        return EntryColumns(cols: model.terminalCols, retryWidth: min(retryWidth, 23),
                            engineWidth: min(engineWidth, 12), longestName: longest, idWidth: min(idWidth, 10))
    }

    /// `↑ 12 more rows  ↓ 340 more rows` at the right end of `row`: what is off screen.
    static func drawScrollMarks(above: Int, below: Int, noun: String = "lines", row: Int,
                                into grid: inout ScreenGrid)
    {
        guard above > 0 || below > 0 else { return }
        var marks: [String] = []
        if above > 0 { marks.append("↑ \(above) more \(noun)") }
        if below > 0 { marks.append("↓ \(below) more \(noun)") }
        let text = " " + marks.joined(separator: "  ") + " "
        grid.put(text, row: row, col: max(grid.cols - displayWidth(of: text), 0), style: .key)
    }

    /// The entry's newest event text, for the wide screen's last column (looked up for the
    /// rows on screen only: the ring is short, the list may be long).
    static func lastEventText(_ key: EntryKey, _ model: ConsoleModel) -> String {
        model.engine(key.engine)?.document?.events.last { $0.pentId == key.pentID }?.text ?? ""
    }

    /// `== /path/pfile  IPCKEY 0x…  pid 123  running  read-only`: the pfile's head is cut
    /// first. An engine that is not live says since when its rows are its last word.
    static func drawGroup(_ id: EngineID, model: ConsoleModel, now: WallTime, row: Int,
                          into grid: inout ScreenGrid)
    {
        let health = model.health(of: id)
        var word = health.word
        guard let document = model.engine(id)?.document else {
            grid.clear(row: row, style: .group)
            let col = grid.put("== \(id)  ", row: row, col: 0, style: .group)
            grid.put(word, row: row, col: col, style: style(of: health))
            return
        }
        if health == .stale, WallTime(iso8601: document.heartbeatAt) != nil {
            word += " since \(TimeText.event(document.heartbeatAt, now: now))"
        }
        var tail = ""
        if !health.isLive { tail += "  rows as of \(TimeText.event(document.heartbeatAt, now: now))" }
        if model.isReadOnly(id) { tail += "  read-only (\(document.uid == .root ? "root" : "uid \(document.uid.rawValue)"))" }
        let cluster = document.cluster.map { "\($0.manager.rawValue) \($0.resource)  " } ?? ""
        let facts = "  IPCKEY \(document.ipckey)  pid \(document.pid)  \(cluster)"
        let room = grid.cols - 3 - displayWidth(of: facts) - displayWidth(of: word) - displayWidth(of: tail)
        let pfile = TextFitting.truncateHead(document.pfile, to: max(room, 8))
        grid.clear(row: row, style: .group)
        var col = grid.put("== \(pfile)\(facts)", row: row, col: 0, style: .group)
        col = grid.put(word, row: row, col: col, style: style(of: health))
        grid.put(tail, row: row, col: col, style: .group)
    }

    /// `-- pfile_mail (0x20000003) retry over: its other rows, as of 10:50:02`: the heading
    /// of a stopped engine's rows that are not problems, under the running engines.
    static func drawLastRows(_ id: EngineID, model: ConsoleModel, now: WallTime, row: Int,
                             into grid: inout ScreenGrid)
    {
        let health = model.health(of: id)
        let asOf = model.engine(id)?.document.map { ", as of \(TimeText.event($0.heartbeatAt, now: now))" } ?? ""
        grid.clear(row: row, style: .group)
        let col = grid.put("-- \(model.engineName(id)) ", row: row, col: 0, style: .group)
        let end = grid.put(health.word, row: row, col: col, style: style(of: health))
        grid.put(": its other rows\(asOf)", row: row, col: end, style: .group)
    }

    /// The banner of an engine that exited at retry over or died: which entry, when, and
    /// what that means for the cluster; `x` dismisses it.
    static func drawBanner(_ id: EngineID, model: ConsoleModel, now: WallTime, row: Int,
                           into grid: inout ScreenGrid)
    {
        grid.clear(row: row, style: .fatal)
        grid.put(bannerText(id, model: model, now: now), row: row, col: 0, style: .fatal)
    }

    /// The banner's words (also printed by `--once`).
    public static func bannerText(_ id: EngineID, model: ConsoleModel, now: WallTime) -> String {
        guard let document = model.engine(id)?.document else { return "" }
        let name = "\(document.ipckey) (\(FileName.short(document.pfile)))"
        if model.health(of: id) == .retryOver {
            let event = document.events.last { $0.text.contains("RETRY_OVER") }
            let time = TimeText.event(event?.time ?? document.heartbeatAt, now: now)
            let fatal = document.entries.filter { $0.procSts == .fatal }
                .map { "pent \($0.pentId) \($0.pname)" }.joined(separator: ", ")
            // Only a cluster fails over; without one, nothing watches these entries now.
            let meaning = document.cluster.map { "\($0.manager.rawValue) should have failed resource \($0.resource) over" }
                ?? "nothing watches its entries now"
            return " !! RETRY OVER \(time): \(fatal.isEmpty ? "an entry" : fatal) FATAL. Engine \(name) exited; "
                + "\(meaning). Rows: last state. x dismisses."
        }
        return " !! ENGINE GONE after \(TimeText.event(document.heartbeatAt, now: now)): \(name) pid \(document.pid) "
            + "died without a last word; nothing watches its entries. x dismisses."
    }

    /// One entry row: dimmed when its engine is not live, reversed when selected, its
    /// state cells in their state's style either way (the cursor never hides a FATAL).
    static func drawEntry(_ key: EntryKey, model: ConsoleModel, columns: EntryColumns, now: WallTime,
                          lastEvent: String, row: Int, into grid: inout ScreenGrid)
    {
        guard let record = model.record(key) else { return }
        let selected = model.selection == key
        let live = model.health(of: key.engine).isLive
        let base: CellStyle = selected ? .selected : (live ? .normal : .dim)
        if selected { grid.clear(row: row, style: .selected) }
        let pending = model.pending[key]
        let label = model.engine(key.engine)?.document?.ipckey ?? ""
        var col = 0
        for (index, cell) in columns.cells(for: record, selected: selected, now: now, engineLabel: label,
                                           pending: pending, lastEvent: lastEvent).enumerated()
        {
            if index > 1 { col = grid.put(" ", row: row, col: col, style: base) }
            var style = base
            if live || selected {
                if index == columns.procStsIndex {
                    style = EntryColumns.showsFlapping(record) ? .bad : Self.style(of: record.procSts)
                }
                if index == columns.monitorIndex, record.monitorSts == .off || pending?.pendingMonitor != nil {
                    style = .warn
                }
                if index == columns.retryIndex, pending != nil, pending?.pendingMonitor == nil { style = .warn }
            } else if index == columns.procStsIndex, record.procSts == .fatal {
                style = .fatal
            }
            col = grid.put(cell, row: row, col: col, style: style)
        }
    }
}
