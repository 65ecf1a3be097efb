public import PsaverState
import PsaverSystem

extension ConsoleLayout {
    /// The recent events of all engines, newest at the bottom, one line each: an engine
    /// is named by its IPCKEY, and a line too long loses its middle, never its verb
    /// (`Down`, `monitoring off`). `e` shows them whole.
    static func drawEvents(_ model: ConsoleModel, now: WallTime, into grid: inout ScreenGrid) {
        let geometry = model.geometry
        guard geometry.eventLines > 0 else { return }
        grid.clear(row: geometry.eventsTitleRow, style: .title)
        grid.put("Recent events (e: all, whole lines)", row: geometry.eventsTitleRow, col: 0, style: .title)
        for (offset, event) in model.recentEvents.suffix(geometry.eventLines).enumerated() {
            let head = "\(TimeText.event(event.record.time, now: now)) \(event.engine)"
                + (event.record.pentId.map { "[\($0)]" } ?? "") + " "
            let text = TextFitting.truncateMiddle(event.record.text, to: grid.cols - 1 - displayWidth(of: head))
            grid.put(head + text, row: geometry.eventsTitleRow + 1 + offset, col: 1,
                     style: eventStyle(event.record.text))
        }
    }

    /// Every engine's last `lastPerEngine` remembered events, merged by time (stable:
    /// each engine's history is already oldest first), each with its engine's IPCKEY.
    static func mergedEvents(_ model: ConsoleModel, lastPerEngine: Int) -> [ShownEvent] {
        var events: [(time: WallTime?, engine: String, pfile: String, record: EventRecord)] = []
        for engine in model.engines {
            let name = engine.document?.ipckey ?? engine.id.rawValue
            let pfile = engine.document.map { FileName.short($0.pfile) } ?? ""
            let history = model.history[engine.id] ?? engine.document?.events ?? []
            for event in history.suffix(lastPerEngine) {
                events.append((WallTime(iso8601: event.time), name, pfile, event))
            }
        }
        let zero = WallTime(secondsSinceEpoch: 0)
        return events.enumerated().sorted { a, b in
            let (ta, tb) = (a.element.time ?? zero, b.element.time ?? zero)
            return ta != tb ? ta < tb : a.offset < b.offset
        }.map { ShownEvent(engine: $0.element.engine, pfile: $0.element.pfile, record: $0.element.record) }
    }

    static func eventStyle(_ text: String) -> CellStyle {
        if text.contains("FATAL") || text.contains("RETRY_OVER") { return .fatal }
        if text.contains("] Down") { return .bad }
        return .normal
    }
}
/// An event as the console lists it: with its engine's IPCKEY and short pfile path.
public struct ShownEvent: Equatable, Sendable {
    public var engine: String
    public var pfile: String
    public var record: EventRecord
}

/// Short forms of a pfile path, for naming an engine.
enum FileName {
    /// The last component: `pfile_tomcat`.
    static func base(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// The last two components: `bin/pfile_tomcat`, `app1/pfile` (five engines' `pfile`
    /// files are told apart by their folder).
    static func short(_ path: String) -> String {
        let parts = path.split(separator: "/")
        return parts.count >= 2 ? parts.suffix(2).joined(separator: "/") : path
    }
}
