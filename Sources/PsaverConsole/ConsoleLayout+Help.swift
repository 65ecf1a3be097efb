extension ConsoleLayout {
    /// Every key, and what the state words mean.
    static let helpLines: [(key: String, text: String)] = [
        ("↑ ↓  j k", "move the selection"),
        ("PgUp PgDn", "move by a page"),
        ("Home End", "first / last entry"),
        ("m", "switch monitoring of the selected entry (turning it off asks y/n)"),
        ("r", "reset its retry_count (asks y/n)"),
        ("Enter", "the entry's configuration and its own events"),
        ("/", "filter on pname, include/exclude strings; Enter keeps, Esc clears"),
        ("s", "sort: pent_id, proc_sts (worst first), pname, restart_count"),
        ("?", "this help"),
        ("Esc", "cancel a prompt, close a view, clear the filter"),
        ("q", "quit (closes this view or the details)"),
        ("", ""),
        ("AVAIL", "running   DOWN: no process   RESTARTING: script running"),
        ("WAITING", "script ended, waiting for the process   FATAL: retry over"),
        ("STALE", "no heartbeat for 2 x MONITOR_INTERVAL   gone: engine pid gone"),
    ]

    /// The help view, between the header and the status line.
    static func drawHelp(into grid: inout ScreenGrid) {
        let top = 1
        grid.clear(row: top, style: .title)
        grid.put("Help: psview keys", row: top, col: 0, style: .title)
        for (offset, line) in helpLines.enumerated() where top + 1 + offset < grid.rows - 2 {
            let row = top + 1 + offset
            let col = grid.put("  " + TextFitting.left(line.key, 10), row: row, col: 0, style: .key)
            grid.put(" " + line.text, row: row, col: col)
        }
    }
}
