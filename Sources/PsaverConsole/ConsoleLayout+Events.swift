public import PsaverState
public import PsaverSystem

extension ConsoleLayout {
    /// The recent events of all engines, newest at the bottom, one line each: an engine
    /// is named by its IPCKEY, and a line too long loses its middle, never its verb
    /// (`Down`, `monitoring off`). `e` shows them whole.
    static func drawEvents(_ model: ConsoleModel, now: WallTime, into grid: inout ScreenGrid) {
        let geometry = model.geometry
        guard geometry.eventLines > 0 else { return }
        grid.clear(row: geometry.eventsTitleRow, style: .title)
        grid.put("Recent events (e: all, whole lines)", row: geometry.eventsTitleRow, col: 0, style: .title)
        for (offset, event) in model.eventLog.suffix(geometry.eventLines).enumerated() {
            let head = "\(TimeText.event(event.record.time, now: now)) \(event.engine)"
                + (event.record.pentId.map { "[\($0)]" } ?? "") + " "
            let text = TextFitting.truncateMiddle(event.record.text, to: grid.cols - 1 - displayWidth(of: head))
            grid.put(head + text, row: geometry.eventsTitleRow + 1 + offset, col: 1,
                     style: event.style)
        }
    }

    static func eventStyle(_ text: String) -> CellStyle {
        if text.contains("FATAL") || text.contains("RETRY_OVER") { return .fatal }
        if text.contains("] Down") { return .bad }
        return .normal
    }
}
/// An event as the console lists it: with its engine's IPCKEY and short pfile path, its
/// time parsed once, and the lowercased text the event log's filter searches.
public struct ShownEvent: Equatable, Sendable {
    public var id: EngineID
    public var engine: String
    public var pfile: String
    public var record: EventRecord
    public var time: WallTime?
    /// How its line is drawn (`ConsoleLayout.eventStyle`), worked out once: the pane under
    /// the list draws the last events at every paint.
    let style: CellStyle
    /// `0x20000001 bin/pfile_tomcat [2] process [/usr/sbin/httpd …] down`, lowercased.
    let search: String

    init(id: EngineID, engine: String, pfile: String, record: EventRecord) {
        self.id = id
        self.engine = engine
        self.pfile = pfile
        self.record = record
        time = WallTime(iso8601: record.time)
        style = ConsoleLayout.eventStyle(record.text)
        search = "\(engine) \(pfile)\(record.pentId.map { " [\($0)]" } ?? "") \(record.text)".lowercased()
    }

    /// The event log's line: `2026/11/25 10:49:57 0x20000001 bin/pfile_tomcat [2] …`.
    var line: String {
        "\(time?.display ?? record.time) \(engine) \(pfile)\(record.pentId.map { " [\($0)]" } ?? "") \(record.text)"
    }
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
