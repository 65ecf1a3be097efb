import PsaverState
import PsaverSystem

extension ConsoleLayout {
    /// One entry's configuration and state as `name = value` lines (padmin's names), then
    /// as many of its own events as fit, newest at the bottom.
    static func drawDetails(_ entry: EntryKey, model: ConsoleModel, now: WallTime, into grid: inout ScreenGrid) {
        let geometry = model.geometry
        let bottom = geometry.statusRow
        let pfile = model.engine(entry.engine)?.document?.pfile ?? entry.engine.rawValue
        let health = model.health(of: entry.engine)
        grid.clear(row: geometry.titleRow, style: .title)
        grid.put("Details of pent \(entry.pentID) in \(pfile) (engine \(health.word))",
                 row: geometry.titleRow, col: 0, style: .title)
        guard let record = model.record(entry) else {
            grid.put("Its engine no longer reports this entry.", row: geometry.titleRow + 1, col: 1)
            return
        }
        var row = geometry.titleRow + 1
        for (name, value, style) in fields(of: record) where row < bottom {
            let col = grid.put("  " + TextFitting.left(name, 15) + " = ", row: row, col: 0)
            grid.put(value, row: row, col: col, style: style)
            row += 1
        }
        guard row + 1 < bottom else { return }
        grid.clear(row: row, style: .title)
        grid.put("Events of pent \(entry.pentID)", row: row, col: 0, style: .title)
        let events = (model.engine(entry.engine)?.document?.events ?? []).filter { $0.pentId == entry.pentID }
        let lines = events.suffix(bottom - row - 1).map { event in
            (line: "\(TimeText.event(event.time, now: now)) \(event.text)", text: event.text)
        }
        if lines.isEmpty {
            grid.put("(none in the engine's recent events)", row: row + 1, col: 1)
        }
        drawEventLines(lines, top: row + 1, into: &grid)
    }

    /// The details view's lines: configuration first, then state and counters.
    static func fields(of record: EntryRecord) -> [(String, String, CellStyle)] {
        func text(_ value: String) -> String { value.isEmpty ? "-----" : value }
        return [
            ("pname", record.pname, .normal),
            ("include_strings", text(record.includeStrings), .normal),
            ("exclude_strings", text(record.excludeStrings), .normal),
            ("restart_script", record.restartScript, .normal),
            ("grace", "\(record.grace)", .normal),
            ("retry", "\(record.retry)", .normal),
            ("retry_over_act", record.retryOverAct, .normal),
            ("start_wait", "\(record.startWait)", .normal),
            ("user", text(record.user ?? ""), .normal),
            ("monitor_sts", record.monitorSts.rawValue, record.monitorSts == .off ? .warn : .normal),
            ("pid", record.pid.map { String($0) } ?? "-----", .normal),
            ("proc_sts", record.procSts.rawValue + (record.scriptRunning ? " (restart script running)" : ""),
             style(of: record.procSts)),
            ("retry_count", "\(record.retryCount)", .normal),
            ("restart_count", "\(record.restartCount)", .normal),
            ("rerun_time", TimeText.full(record.rerunTime), .normal),
        ]
    }
}
