import PsaverState
import PsaverSystem

extension ConsoleLayout {
    /// Column titles, then the visible slice of group lines and entry rows.
    static func drawList(_ model: ConsoleModel, now: WallTime, into grid: inout ScreenGrid) {
        let geometry = model.geometry
        let columns = EntryColumns(cols: geometry.cols)
        grid.clear(row: geometry.titleRow, style: .title)
        grid.put(columns.titles().joined(separator: " "), row: geometry.titleRow, col: 0,
                 style: .title)
        if model.engines.isEmpty {
            grid.put("No engines found. Start one with pcheck -f PFILE, or name a state file.",
                     row: geometry.listTop, col: 1)
            return
        }
        let visible = model.lines.dropFirst(model.scrollOffset).prefix(geometry.listHeight)
        for (offset, line) in visible.enumerated() {
            let row = geometry.listTop + offset
            switch line {
            case .engine(let id):
                drawGroup(id, model: model, now: now, row: row, into: &grid)
            case .entry(let key):
                drawEntry(key, model: model, columns: columns, now: now, row: row, into: &grid)
            }
        }
        if model.visibleEntries.isEmpty, !model.filter.isEmpty, visible.count < geometry.listHeight {
            grid.put("No entry matches \"\(model.filter)\" (Esc clears the filter).",
                     row: geometry.listTop + visible.count, col: 1)
        }
    }

    /// `== /path/pfile  IPCKEY 0x…  pid 123  running`: the pfile's head is cut first.
    static func drawGroup(_ id: EngineID, model: ConsoleModel, now: WallTime, row: Int,
                          into grid: inout ScreenGrid)
    {
        let health = model.health(of: id)
        var word = health.word
        guard let document = model.engine(id)?.document else {
            let col = grid.put("== \(id)  ", row: row, col: 0, style: .group)
            grid.put(word, row: row, col: col, style: style(of: health))
            return
        }
        if health == .stale, WallTime(iso8601: document.heartbeatAt) != nil {
            word += " since \(TimeText.event(document.heartbeatAt, now: now))"
        }
        let facts = "  IPCKEY \(document.ipckey)  pid \(document.pid)  "
        let room = grid.cols - 3 - displayWidth(of: facts) - displayWidth(of: word)
        let pfile = TextFitting.truncateHead(document.pfile, to: max(room, 8))
        var col = grid.put("== \(pfile)\(facts)", row: row, col: 0, style: .group)
        col = grid.put(word, row: row, col: col, style: style(of: health))
        if col < grid.cols {
            grid.put(String(repeating: " ", count: grid.cols - col), row: row, col: col, style: .group)
        }
    }

    /// One entry row; dimmed when its engine is not running, reversed when selected.
    static func drawEntry(_ key: EntryKey, model: ConsoleModel, columns: EntryColumns, now: WallTime, row: Int,
                          into grid: inout ScreenGrid)
    {
        guard let record = model.record(key) else { return }
        let selected = model.selection == key
        let running = model.health(of: key.engine).acceptsCommands
        let base: CellStyle = selected ? .selected : (running ? .normal : .dim)
        if selected { grid.clear(row: row, style: .selected) }
        var col = 0
        for (index, cell) in columns.cells(for: record, selected: selected, now: now).enumerated() {
            if index > 1 { col = grid.put(" ", row: row, col: col, style: base) }
            var style = base
            if base == .normal, index == EntryColumns.procStsIndex { style = Self.style(of: record.procSts) }
            if base == .normal, index == EntryColumns.monitorIndex, record.monitorSts == .off { style = .warn }
            col = grid.put(cell, row: row, col: col, style: style)
        }
    }
}
