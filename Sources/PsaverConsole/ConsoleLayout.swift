public import PsaverSystem
import PsaverState

/// Turns a `ConsoleModel` into a `ScreenGrid`: the pure half of drawing.
///
/// The grid is exactly the model's terminal size. From the top: header, column titles,
/// the entry list (or the details or help view), the events pane, the status line and
/// the key footer (see `ConsoleGeometry`). Engine health comes from the model's last
/// tick; `now` only sets the clock and which times count as "today".
public enum ConsoleLayout {
    /// The whole screen for `model` at wall time `now` on host `host`.
    public static func render(_ model: ConsoleModel, now: WallTime, host: String) -> ScreenGrid {
        let geometry = model.geometry
        var grid = ScreenGrid(rows: geometry.rows, cols: geometry.cols)
        drawHeader(model, now: now, host: host, into: &grid)
        switch model.mode {
        case .details(let entry):
            drawDetails(entry, model: model, now: now, into: &grid)
        case .help:
            drawHelp(into: &grid)
        default:
            drawList(model, now: now, into: &grid)
            drawEvents(model, now: now, into: &grid)
        }
        if geometry.rows >= 3 { drawStatus(model, into: &grid) }
        if geometry.rows >= 2 { drawFooter(model.mode, into: &grid) }
        return grid
    }

    /// Host, clock, number of engines and entries per proc_sts (only the states present, so
    /// that all five still fit in 80 columns).
    static func drawHeader(_ model: ConsoleModel, now: WallTime, host: String, into grid: inout ScreenGrid) {
        var counts: [ProcStatus: Int] = [:]
        for engine in model.engines {
            for entry in engine.document?.entries ?? [] { counts[entry.procSts, default: 0] += 1 }
        }
        let states = ProcStatus.allCases.compactMap { status in counts[status].map { "\(status.rawValue) \($0)" } }
        let engines = model.engines.count == 1 ? "1 engine" : "\(model.engines.count) engines"
        let parts = ["psview", TextFitting.truncate(host, to: 16), now.clock, engines,
                     states.isEmpty ? "no entries" : states.joined(separator: " ")]
        grid.clear(row: 0, style: .header)
        grid.put(parts.joined(separator: "  "), row: 0, col: 0, style: .header)
    }

    /// The status line: a prompt while confirming or filtering, else the message, else
    /// the sort and filter in force.
    static func drawStatus(_ model: ConsoleModel, into grid: inout ScreenGrid) {
        let row = model.geometry.statusRow
        switch model.mode {
        case .confirming(let action):
            grid.clear(row: row, style: .prompt)
            grid.put(model.question(for: action), row: row, col: 0, style: .prompt)
        case .filtering:
            grid.clear(row: row, style: .prompt)
            grid.put("Filter: \(model.filter)_", row: row, col: 0, style: .prompt)
        default:
            var text = "Sort: \(model.sortKey.label)"
            if !model.filter.isEmpty {
                let total = model.engines.reduce(0) { $0 + ($1.document?.entries.count ?? 0) }
                text += "  Filter: \"\(model.filter)\" (\(model.visibleEntries.count) of \(total))"
            }
            grid.put(model.statusMessage ?? text, row: row, col: 0)
        }
    }

    /// The keys that work in the current mode, key names styled as keys.
    static func drawFooter(_ mode: ConsoleMode, into grid: inout ScreenGrid) {
        let hints: [(String, String)]
        switch mode {
        case .normal:
            hints = [("↑↓", "Move"), ("m", "Monitor"), ("r", "Reset"), ("Enter", "Details"), ("/", "Filter"),
                     ("s", "Sort"), ("?", "Help"), ("q", "Quit")]
        case .filtering:
            hints = [("type", "to filter"), ("Enter", "Keep"), ("Esc", "Clear"), ("↑↓", "Move")]
        case .confirming:
            hints = [("y", "Yes"), ("n/Esc", "No")]
        case .details:
            hints = [("Esc/q/Enter", "Close")]
        case .help:
            hints = [("Esc/q/?", "Close")]
        }
        let row = grid.rows - 1
        var col = 0
        for (key, label) in hints {
            col = grid.put(key, row: row, col: col, style: .key)
            col = grid.put(" \(label)  ", row: row, col: col)
        }
    }

    /// The style a proc_sts is shown in.
    static func style(of status: ProcStatus) -> CellStyle {
        switch status {
        case .avail: .ok
        case .restarting, .waiting: .warn
        case .down, .fatal, .hung: .bad
        }
    }

    /// The style an engine's health word is shown in.
    static func style(of health: EngineHealth) -> CellStyle {
        switch health {
        case .running: .ok
        case .stale, .gone, .stopped: .warn
        case .retryOver, .unreadable: .bad
        }
    }
}
