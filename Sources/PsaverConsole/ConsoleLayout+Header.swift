import PsaverState
import PsaverSystem

extension ConsoleLayout {
    /// One piece of the header: its text, style, and how long it stays as the width
    /// shrinks (higher stays longer).
    struct HeaderPart {
        var text: String
        var style: CellStyle
        var keep: Int
        /// Blanks before it (unless first): two between sections, one between counts.
        var gap = 1
    }

    /// Host, clock, then the engines by state and the live entries by state, worst first
    /// (`engines: retry over 1 gone 1 running 18  FATAL 1 DOWN 2 flapping 1 off 2 AVAIL 950`),
    /// each in its state's style. When the line is too narrow, healthy counts, the
    /// program's name, host and clock go before any failure does. The rows of engines
    /// that are not running are not counted among the entries: their engines are.
    static func drawHeader(_ model: ConsoleModel, now: WallTime, host: String, into grid: inout ScreenGrid) {
        grid.clear(row: 0, style: .header)
        var col = 0
        for (index, part) in fittedHeader(model, now: now, host: host, width: grid.cols).enumerated() {
            if index > 0 { col = grid.put(String(repeating: " ", count: part.gap), row: 0, col: col, style: .header) }
            col = grid.put(part.text, row: 0, col: col, style: part.style)
        }
    }

    /// The header's parts that fit in `width` cells, in their order on the line.
    static func fittedHeader(_ model: ConsoleModel, now: WallTime, host: String, width: Int) -> [HeaderPart] {
        var parts = headerParts(model, now: now, host: host)
        func total() -> Int { parts.reduce(-(parts.first?.gap ?? 0)) { $0 + $1.gap + displayWidth(of: $1.text) } }
        while total() > width, let drop = parts.indices.min(by: { parts[$0].keep < parts[$1].keep }) {
            parts.remove(at: drop)
        }
        return parts
    }

    static func headerParts(_ model: ConsoleModel, now: WallTime, host: String) -> [HeaderPart] {
        var byHealth: [Int: (EngineHealth, Int)] = [:]
        var counts: [ProcStatus: Int] = [:]
        var monitorOff = 0, flapping = 0
        for engine in model.engines {
            let health = engine.health(at: model.now)
            byHealth[health.rank, default: (health, 0)].1 += 1
            guard health.isLive else { continue }
            counts.merge(engine.summary.counts, uniquingKeysWith: +)
            monitorOff += engine.summary.monitorOff
            flapping += engine.summary.flapping
        }
        var parts = [HeaderPart(text: "psview", style: .header, keep: 0, gap: 2),
                     HeaderPart(text: TextFitting.truncate(host, to: 16), style: .header, keep: 2, gap: 2),
                     HeaderPart(text: now.clock, style: .header, keep: 3, gap: 2)]
        let engines = model.engines.count
        let label = engines == 1 ? "1 engine" : "\(engines) engines"
        // All running: the count says it; otherwise each state's count follows, worst first.
        let allRunning = byHealth.count == 1 && byHealth[EngineHealth.running.rank] != nil
        parts.append(HeaderPart(text: engines == 0 || allRunning ? label : label + ":", style: .header, keep: 4,
                                gap: 2))
        for rank in byHealth.keys.sorted() where !allRunning {
            guard let (health, count) = byHealth[rank] else { continue }
            let running = health == .running
            parts.append(HeaderPart(text: "\(health.countWord) \(count)", style: running ? .header : style(of: health),
                                    keep: running ? 1 : 20 - rank))
        }
        if model.engines.isEmpty { return parts + [HeaderPart(text: "no live entries", style: .header, keep: 1, gap: 2)] }
        let firstCount = parts.count
        let severe: [ProcStatus] = [.fatal, .hung, .down]
        for status in severe { if let count = counts[status] {
            parts.append(HeaderPart(text: "\(status.rawValue) \(count)", style: style(of: status), keep: 12))
        } }
        if flapping > 0 { parts.append(HeaderPart(text: "flapping \(flapping)", style: .bad, keep: 11)) }
        for status in [ProcStatus.restarting, .waiting] { if let count = counts[status] {
            parts.append(HeaderPart(text: "\(status.rawValue) \(count)", style: style(of: status), keep: 9))
        } }
        if monitorOff > 0 { parts.append(HeaderPart(text: "off \(monitorOff)", style: .warn, keep: 8)) }
        if let count = counts[.avail] { parts.append(HeaderPart(text: "AVAIL \(count)", style: .header, keep: 1)) }
        if counts.isEmpty { parts.append(HeaderPart(text: "no live entries", style: .header, keep: 1)) }
        if parts.count > firstCount { parts[firstCount].gap = 2 }
        return parts
    }
}
