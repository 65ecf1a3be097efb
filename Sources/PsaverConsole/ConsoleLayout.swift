public import PsaverSystem
import PsaverState

/// Turns a `ConsoleModel` into a `ScreenGrid`: the pure half of drawing.
///
/// The grid is exactly the model's terminal size. From the top: header, column titles,
/// the entry list (or a text view: details, event log, messages, help), the events pane,
/// the status line and the key footer (see `ConsoleGeometry`). Engine health comes from
/// the model's last tick; `now` only sets the clock and which times count as "today".
public enum ConsoleLayout {
    /// The whole screen for `model` at wall time `now` on host `host`.
    public static func render(_ model: ConsoleModel, now: WallTime, host: String) -> ScreenGrid {
        let geometry = model.geometry
        var grid = ScreenGrid(rows: geometry.rows, cols: geometry.cols)
        drawHeader(model, now: now, host: host, into: &grid)
        if model.mode.isTextView {
            drawTextView(model, now: now, into: &grid)
        } else {
            drawEvents(model, now: now, into: &grid)
            drawList(model, now: now, into: &grid)  // after: its scroll marks sit on the events' title
        }
        if geometry.rows >= 3 { drawStatus(model, into: &grid) }
        if geometry.rows >= 2 { drawFooter(model, into: &grid) }
        return grid
    }

    /// The status line: a prompt while confirming or filtering, else the message (cut
    /// with a pointer to `M` when longer than the line), else the sort and filter in force.
    static func drawStatus(_ model: ConsoleModel, into grid: inout ScreenGrid) {
        let row = model.geometry.statusRow
        switch model.mode {
        case .confirming(let action):
            // A long question takes the line above too, and always ends in its y/n.
            let lines = TextFitting.wrapQuestion(model.question(for: action), width: grid.cols)
            for (offset, text) in lines.enumerated() {
                let target = row - lines.count + 1 + offset
                guard target >= 1 else { continue }
                grid.clear(row: target, style: .prompt)
                grid.put(text, row: target, col: 0, style: .prompt)
            }
        case .filtering:
            grid.clear(row: row, style: .prompt)
            grid.put("Filter: \(model.filter)_", row: row, col: 0, style: .prompt)
        case .filteringLog:
            grid.clear(row: row, style: .prompt)
            grid.put("Filter events: \(model.logFilter)_", row: row, col: 0, style: .prompt)
        default:
            var text = "Sort: \(model.sortKey.label)"
            if !model.filter.isEmpty {
                let total = model.engines.reduce(0) { $0 + ($1.document?.entries.count ?? 0) }
                text += "  Filter: \"\(model.filter)\" (\(model.visibleEntries.count) of \(total))"
            }
            if !model.pending.isEmpty { text += "  \(model.pending.count) change(s) pending" }
            let message = model.statusMessage ?? text
            if displayWidth(of: message) <= grid.cols {
                grid.put(message, row: row, col: 0)
            } else {
                let hint = " [M: whole]"
                let col = grid.put(TextFitting.truncate(message, to: grid.cols - displayWidth(of: hint)),
                                   row: row, col: 0)
                grid.put(hint, row: row, col: col, style: .key)
            }
        }
    }

    /// The keys that work in the current mode, key names styled as keys. On another
    /// user's engine (read-only) the keys that would change it are not offered.
    static func drawFooter(_ model: ConsoleModel, into grid: inout ScreenGrid) {
        let mode = model.mode
        let hints: [(String, String)]
        switch mode {
        case .normal:
            // The most useful first; `?` and `q` always fit, the rest as the width allows.
            let readOnly = model.selection.map { model.isReadOnly($0.engine) } ?? false
            let changes: [(String, String)] = readOnly ? [("read-only", "")] : [("m", "Monitor"), ("r", "Reset")]
            hints = changes + [("Enter", "Details"), ("p", "Problems"), ("n/N", "Next"),
                               ("e", "Events"), ("/", "Filter"), ("s", "Sort")]
                + (readOnly ? [] : [("x", "Dismiss")]) + [("M", "Messages"), ("↑↓", "Move")]
        case .filtering, .filteringLog:
            hints = [("type", "to filter"), ("Enter", "Keep"), ("Esc", "Clear"), ("↑↓", "Move")]
        case .confirming:
            hints = [("y", "Yes"), ("n/Esc", "No")]
        case .details:
            hints = [("↑↓ PgUp PgDn Home End", "Scroll"), ("Esc/q/Enter", "Close")]
        case .eventLog:
            hints = [("↑↓ PgUp PgDn Home End", "Scroll"), ("/", "Filter"), ("Esc/q/e", "Close")]
        case .messages:
            hints = [("↑↓ PgUp PgDn", "Scroll"), ("Esc/q", "Close")]
        case .help:
            hints = [("↑↓ PgUp PgDn", "Scroll"), ("Esc/q/?", "Close")]
        }
        let tail: [(String, String)] = mode == .normal ? [("?", "Help"), ("q", "Quit")] : []
        let tailWidth = tail.reduce(0) { $0 + displayWidth(of: $1.0) + displayWidth(of: $1.1) + 3 }
        let row = grid.rows - 1
        var col = 0
        for (key, label) in hints {
            let width = displayWidth(of: key) + displayWidth(of: label) + 3
            if col + width + tailWidth > grid.cols { continue }
            col = grid.put(key, row: row, col: col, style: .key)
            col = grid.put(" \(label)  ", row: row, col: col)
        }
        for (key, label) in tail {
            col = grid.put(key, row: row, col: col, style: .key)
            col = grid.put(" \(label)  ", row: row, col: col)
        }
    }

    /// The style a proc_sts is shown in: FATAL unlike DOWN.
    static func style(of status: ProcStatus) -> CellStyle {
        switch status {
        case .avail: .ok
        case .restarting, .waiting: .warn
        case .down, .hung: .bad
        case .fatal: .fatal
        }
    }

    /// The style an engine's health word is shown in.
    static func style(of health: EngineHealth) -> CellStyle {
        switch health {
        case .running: .ok
        case .stale, .stopped: .warn
        case .gone, .unreadable: .bad
        case .retryOver: .fatal
        }
    }
}
