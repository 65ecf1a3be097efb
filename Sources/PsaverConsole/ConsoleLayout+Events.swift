import PsaverState
import PsaverSystem

extension ConsoleLayout {
    /// The recent events of all engines, newest at the bottom.
    static func drawEvents(_ model: ConsoleModel, now: WallTime, into grid: inout ScreenGrid) {
        let geometry = model.geometry
        guard geometry.eventLines > 0 else { return }
        grid.clear(row: geometry.eventsTitleRow, style: .title)
        grid.put("Recent events", row: geometry.eventsTitleRow, col: 0, style: .title)
        var events: [(time: WallTime?, line: String, text: String)] = []
        for engine in model.engines {
            guard let document = engine.document else { continue }
            let name = FileName.base(document.pfile)
            for event in document.events {
                let pent = event.pentId.map { "[\($0)]" } ?? ""
                let line = "\(TimeText.event(event.time, now: now)) \(name)\(pent) \(event.text)"
                events.append((WallTime(iso8601: event.time), line, event.text))
            }
        }
        // Stable merge by time: each engine's ring is already oldest first.
        let ordered = events.enumerated().sorted { a, b in
            let (ta, tb) = (a.element.time ?? WallTime(secondsSinceEpoch: 0),
                            b.element.time ?? WallTime(secondsSinceEpoch: 0))
            return ta != tb ? ta < tb : a.offset < b.offset
        }.map(\.element)
        drawEventLines(ordered.suffix(geometry.eventLines).map { ($0.line, $0.text) },
                       top: geometry.eventsTitleRow + 1, into: &grid)
    }

    /// Event lines from `top` down; deaths and retry over stand out.
    static func drawEventLines(_ lines: some Collection<(line: String, text: String)>, top: Int,
                               into grid: inout ScreenGrid)
    {
        for (offset, event) in lines.enumerated() {
            grid.put(TextFitting.truncate(event.line, to: grid.cols - 1), row: top + offset, col: 1,
                     style: eventStyle(event.text))
        }
    }

    private static func eventStyle(_ text: String) -> CellStyle {
        if text.contains("FATAL") || text.contains("RETRY_OVER") || text.contains("] Down") { return .bad }
        return .normal
    }
}

/// The last component of a path, for naming an engine by its pfile.
enum FileName {
    static func base(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
