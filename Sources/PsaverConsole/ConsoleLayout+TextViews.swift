import PsaverState
import PsaverSystem

/// One line of a text view, already fitted to the screen's width.
struct TextLine {
    var text: String
    var style: CellStyle = .normal
}

extension ConsoleLayout {
    /// Lines a text view shows at once: all between the title row and the status line.
    static func textViewHeight(_ model: ConsoleModel) -> Int {
        max(model.geometry.statusRow - model.geometry.titleRow - 1, 1)
    }

    /// The title and every line (wrapped to the width) of the current text view.
    static func textView(_ model: ConsoleModel, now: WallTime) -> (title: String, lines: [TextLine]) {
        let width = model.geometry.cols
        switch model.mode {
        case .details(let entry): return detailsView(entry, model: model, now: now, width: width)
        case .eventLog, .filteringLog:
            let page = eventLogPage(model, height: textViewHeight(model), width: width)
            return (page.title, page.lines)
        case .messages:
            let lines = model.messages.flatMap { TextFitting.wrap($0, to: width - 1, indent: 2) }
            return ("Messages, oldest first (\(model.messages.count))",
                    lines.isEmpty ? [TextLine(text: " (none yet)")] : lines.map { TextLine(text: " " + $0) })
        default:
            return ("Help: psview keys, columns and colours", helpView(width: width))
        }
    }

    /// The lines of the current text view (for scrolling).
    static func textViewLines(_ model: ConsoleModel, now: WallTime) -> [TextLine] {
        textView(model, now: now).lines
    }

    /// Draws the current text view from `textScroll` (clamped so the last page is full).
    /// The event log scrolls by events and lays out only the ones on screen.
    static func drawTextView(_ model: ConsoleModel, now: WallTime, into grid: inout ScreenGrid) {
        let geometry = model.geometry
        let height = textViewHeight(model)
        let title: String, shown: ArraySlice<TextLine>, above: Int, below: Int, noun: String
        if model.mode == .eventLog || model.mode == .filteringLog {
            let page = eventLogPage(model, height: height, width: geometry.cols)
            (title, shown, above, below, noun) = (page.title, page.lines[...], page.first, page.total - page.last, "events")
        } else {
            let view = textView(model, now: now)
            let top = min(model.textScroll, max(view.lines.count - height, 0))
            (title, shown, noun) = (view.title, view.lines.dropFirst(top).prefix(height), "lines")
            (above, below) = (top, max(view.lines.count - top - height, 0))
        }
        grid.clear(row: geometry.titleRow, style: .title)
        grid.put(title, row: geometry.titleRow, col: 0, style: .title)
        drawScrollMarks(above: above, below: below, noun: noun, row: geometry.titleRow, into: &grid)
        for (offset, line) in shown.enumerated() {
            grid.put(line.text, row: geometry.titleRow + 1 + offset, col: 0, style: line.style)
        }
    }

    /// One screen of the event log: events `first..<last` of the `total` that match the
    /// filter, wrapped. From `textScroll` on, or, when it is past the end (`Int.max`),
    /// the newest events ending the screen.
    struct EventLogPage {
        var title: String
        var lines: [TextLine]
        var first: Int
        var last: Int
        var total: Int
    }

    /// Every engine's events that psview has seen, oldest first, whole (wrapped), each
    /// naming its engine by IPCKEY and the pfile's last two path parts; `logFilter`
    /// keeps the events whose line contains it (an IPCKEY, `[3]` for an entry, a word).
    /// Only the events on screen are formatted and wrapped.
    static func eventLogPage(_ model: ConsoleModel, height: Int, width: Int) -> EventLogPage {
        let needle = model.logFilter.lowercased()
        let matching = needle.isEmpty ? model.eventLog : model.eventLog.filter { $0.search.contains(needle) }
        func wrapped(_ event: ShownEvent) -> [TextLine] {
            let style = event.style
            return TextFitting.wrap(event.line, to: width - 1, indent: 4).map { TextLine(text: " " + $0, style: style) }
        }
        var lines: [TextLine] = []
        var first: Int, last: Int
        if model.textScroll >= matching.count {
            var blocks: [[TextLine]] = []
            var count = 0
            first = matching.count
            while first > 0, count < height {
                first -= 1
                let block = wrapped(matching[first])
                blocks.append(block)
                count += block.count
            }
            lines = Array(blocks.reversed().joined().suffix(height))
            last = matching.count
        } else {
            first = max(model.textScroll, 0)
            last = first
            while last < matching.count, lines.count < height {
                lines += wrapped(matching[last])
                last += 1
            }
            lines = Array(lines.prefix(height))
        }
        let filter = model.logFilter.isEmpty ? "" : " matching \"\(model.logFilter)\""
        if matching.isEmpty { lines = [TextLine(text: " (no events\(filter))")] }
        return EventLogPage(title: "Event log: \(matching.count) events\(filter), every engine, oldest first",
                            lines: lines, first: first, last: last, total: matching.count)
    }

    /// One entry's configuration and state (padmin's names), where its engine logs, its
    /// own events whole, and the tail of its restart scripts' output.
    static func detailsView(_ entry: EntryKey, model: ConsoleModel, now: WallTime, width: Int)
        -> (title: String, lines: [TextLine])
    {
        let document = model.engine(entry.engine)?.document
        let pfile = document?.pfile ?? entry.engine.rawValue
        let health = model.health(of: entry.engine)
        let title = "Details of pent \(entry.pentID) in \(pfile) (engine \(health.word))"
        guard let record = model.record(entry) else {
            return (title, [TextLine(text: " Its engine no longer reports this entry.")])
        }
        var lines: [TextLine] = []
        func add(_ name: String, _ value: String, _ style: CellStyle = .normal) {
            let head = "  " + TextFitting.left(name, 15) + " = "
            for (index, part) in TextFitting.wrap(value, to: max(width - displayWidth(of: head), 8)).enumerated() {
                lines.append(TextLine(text: (index == 0 ? head : String(repeating: " ", count: head.count)) + part,
                                      style: style))
            }
        }
        for (name, value, style) in fields(of: record) { add(name, value, style) }
        if let pending = model.pending[entry] {
            add("pending", "\(ConsoleModel.confirmation(of: pending.command)), not yet in the state file", .warn)
        }
        if let document {
            add("engine", "IPCKEY \(document.ipckey), pid \(document.pid), \(health.word), "
                + "state as of \(TimeText.full(document.heartbeatAt))")
            if let cluster = document.cluster {
                add("cluster", "\(cluster.manager.rawValue) resource \(cluster.resource): \(cluster.stopAdvice)")
            }
            add("log", document.log.map { $0 == "syslog" ? "syslog (ident pcheck, pid \(document.pid))" : $0 }
                ?? "not recorded by this engine (syslog by default: ident pcheck)")
        }
        lines.append(TextLine(text: "Events of pent \(entry.pentID)", style: .title))
        let events = (model.history[entry.engine] ?? document?.events ?? []).filter { $0.pentId == entry.pentID }
        if events.isEmpty { lines.append(TextLine(text: " (none seen)")) }
        for event in events {
            let text = "\(TimeText.event(event.time, now: now)) \(event.text)"
            let style = eventStyle(event.text)
            lines += TextFitting.wrap(text, to: width - 1, indent: 4).map { TextLine(text: " " + $0, style: style) }
        }
        lines += historyLines(entry, model: model, now: now, width: width)
        lines += previousEngineLines(entry.engine, model: model, now: now, width: width)
        lines += scriptOutputLines(entry, model: model, width: width)
        return (title, lines)
    }

    /// The engine before this one, when it ended at retry over: which entries went
    /// FATAL and when, so a failback does not hide why the cluster failed over.
    private static func previousEngineLines(_ engine: EngineID, model: ConsoleModel, now: WallTime, width: Int)
        -> [TextLine]
    {
        guard let previous = model.previousEngines[engine] else { return [] }
        var lines = [TextLine(text: "Engine before this one", style: .title)]
        let summary = "pid \(previous.pid) ended at retry over, state as of \(TimeText.full(previous.heartbeatAt)); "
            + "padmin -c show pent --previous shows it all"
        lines += TextFitting.wrap(summary, to: width - 1, indent: 2).map { TextLine(text: " " + $0) }
        for entry in previous.entries where entry.procSts == .fatal {
            lines.append(TextLine(text: " pent \(entry.pentId) \(entry.pname) FATAL (retry_count \(entry.retryCount)/"
                                  + "\(entry.retry), restart_count \(entry.restartCount))", style: .fatal))
        }
        return lines
    }

    private static func scriptOutputLines(_ entry: EntryKey, model: ConsoleModel, width: Int) -> [TextLine] {
        guard model.scriptOutputEntry == entry, let output = model.scriptOutput else {
            return [TextLine(text: "Restart script output", style: .title), TextLine(text: " (reading…)")]
        }
        guard let path = output.path else {
            return [TextLine(text: "Restart script output", style: .title),
                    TextLine(text: " The engine does not say where its restart scripts write (an older engine, "
                             + "or --log stderr).")]
        }
        var lines = [TextLine(text: "Restart script output: the end of \(path) (every entry's scripts)",
                              style: .title)]
        switch output.lines {
        case .success(let text) where text.isEmpty:
            lines.append(TextLine(text: " (empty)"))
        case .success(let text):
            for line in text {
                lines += TextFitting.wrap(line, to: width - 1, indent: 2).map { TextLine(text: " " + $0) }
            }
        case .failure(let error):
            lines.append(TextLine(text: " cannot read it: \(error.reason)", style: .warn))
        }
        return lines
    }

    /// The details view's fields: configuration first, then state and counters.
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
            ("last_restart", record.lastRestartText.map { "\($0) (\(record.lastRestartReason?.rawValue ?? "?"))" }
                ?? "-----", record.lastRestartReason == .hung ? .bad : .normal),
            ("flapping", record.isFlapping
                ? "yes: \(RestartWindow.flapCount) restarts within \(RestartWindow.seconds) s, not up that long since"
                : "no", record.isFlapping ? .bad : .normal),
        ]
    }
}
