extension ConsoleLayout {
    /// Every key, every column and what the state words and colours mean.
    static let helpLines: [(key: String, text: String)] = [
        ("↑ ↓  j k", "move the selection (in a text view: scroll)"),
        ("PgUp PgDn", "move by a page"),
        ("Home End g G", "first / last entry"),
        ("m", "switch monitoring of the selected entry (turning it off asks y/n; turning it on asks too when "
            + "the entry is DOWN with its retries spent, and says what retry over will do)"),
        ("r", "reset its retry_count (asks y/n)"),
        ("", "a change shows as →off, →on or →0 until the state file confirms it"),
        ("Enter", "details: configuration, state, where the engine logs, the entry's events and "
            + "the end of its restart scripts' output"),
        ("p", "problems view: every engine's entries in one list, worst first"),
        ("n N", "next / previous problem (FATAL, DOWN, flapping, RESTARTING, WAITING, monitoring off), and "
            + "each engine that is not running once"),
        ("e", "event log: every engine's events, whole lines; / filters (an IPCKEY, [3], a word)"),
        ("E", "event log of the selected entry only"),
        ("/", "filter on pname, include/exclude strings, a state word (FATAL, off), IPCKEY or pfile"),
        ("s", "sort: pent_id, problems first, proc_sts (worst first), pname, restart_count"),
        ("x", "dismiss an engine that hit retry over, stopped or died (removes its registry link: it leaves "
            + "every user's psview)"),
        ("X", "dismiss every engine that is not running (unreadable ones too)"),
        ("M", "the last status messages, whole"),
        ("? F1", "this help"),
        ("Esc", "cancel a prompt, close a view, clear the filter"),
        ("q F10", "quit (in a view or a question: close it)"),
        ("", ""),
        ("ID", "pent_id, the entry's place in the pfile's PENT section"),
        ("RETRY", "retry_count/retry: restarts since the process was last stable for grace seconds"),
        ("RSTRT", "restart_count: every restart since the engine started"),
        ("MON", "monitor_sts: on, or off (no restarts, no counting)"),
        ("ACT", "retry_over_act: exit (the engine exits: failover), stop, exec=…"),
        ("RERUN", "rerun_time: time of the last restart (date when not today)"),
        ("", ""),
        ("AVAIL", "running (green)   RESTARTING: script running   WAITING: script ended, waiting for "
            + "the process (yellow)"),
        ("DOWN", "no process (red)   FATAL: retry over, no more restarts (white on red)"),
        ("FLAPPING", "the engine restarted it 3 times within 300 s and it has not stayed up that long since "
            + "(a crash loop; red, in place of AVAIL, RESTARTING or WAITING); details say why it was last "
            + "restarted"),
        ("off", "monitoring off (yellow)   dim rows: the last state of an engine that is not running"),
        ("STALE", "no heartbeat for 2 x MONITOR_INTERVAL   gone: engine pid vanished without a last word"),
        ("retry over", "the engine exited (under a cluster: for failover); its banner stays until dismissed "
            + "with x. Engines that are not running are listed first, their other rows last"),
        ("read-only", "another user's engine: you may watch it; only root or its user may change it"),
    ]

    /// The help lines, wrapped under their key column.
    static func helpView(width: Int) -> [TextLine] {
        var lines: [TextLine] = []
        for line in helpLines {
            let head = "  " + TextFitting.left(line.key, 12) + " "
            let parts = TextFitting.wrap(line.text, to: max(width - displayWidth(of: head), 10))
            for (index, part) in parts.enumerated() {
                lines.append(TextLine(text: (index == 0 ? head : String(repeating: " ", count: head.count)) + part,
                                      style: .normal))
            }
        }
        return lines
    }
}
