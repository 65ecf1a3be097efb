import PsaverSystem

/// The peer benchmark's table: one row per size and supervisor, its rounds
/// pooled (latencies) or shown as a range (the rest), with each latency's
/// ratio to the floor's in the same run.
struct PeerReport {
    var trials: [PeerBench.Trial]
    var title: String

    func render() -> String {
        var lines = [
            title,
            "",
            "| entries | supervisor | kill → script p50 | p99 | max | burst: all started | idle CPU | private mem | start-up (all watched) | missed | load (1 min) |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        struct Row: Equatable { var shape: PeerHost.Shape; var size: Int }
        let rows = trials.map { Row(shape: $0.shape, size: $0.size) }
            .reduce(into: [Row]()) { if !$0.contains($1) { $0.append($1) } }
        for row in rows {
            let size = row.size
            let atSize = trials.filter { $0.size == size && $0.shape == row.shape }
            let floor = atSize.filter { $0.tool == .floor }.flatMap(\.latencies)
            let floorSummary = floor.isEmpty ? nil : Summary(floor)
            for tool in PeerTool.allCases {
                let runs = atSize.filter { $0.tool == tool }
                if runs.isEmpty { continue }
                let latencies = runs.flatMap(\.latencies)
                var cells = ["\(Self.grouped(size)) \(row.shape.label)", tool.rawValue]
                if latencies.isEmpty {
                    cells += ["—", "—", "—"]
                } else {
                    let summary = Summary(latencies)
                    for p in [50.0, 99.0] {
                        let value = summary.percentile(p)
                        let ratio = floorSummary.map { " (\(Self.ratio(value, $0.percentile(p))))" } ?? ""
                        cells.append(Self.milliseconds(value) + ratio)
                    }
                    cells.append(Self.milliseconds(summary.sorted.last ?? 0))
                }
                let bursts = runs.compactMap(\.burst)
                let burstSize = runs.map(\.burstSize).max() ?? 0
                cells.append(bursts.isEmpty ? "—" : "\(Self.range(bursts, Self.milliseconds)) (\(burstSize))")
                cells.append(Self.range(runs.compactMap(\.idleCPU)) { Summary.format($0) + " %" })
                let all = runs.compactMap(\.privateKB).map { Double($0) / 1024 }
                let dirty = runs.compactMap(\.privateDirtyKB).map { Double($0) / 1024 }
                cells.append(all.isEmpty ? "—"
                    : Self.range(all) { Summary.format($0) } + " MB (\(Self.range(dirty) { Summary.format($0) }) dirty)")
                let startups = Self.range(runs.compactMap(\.startup)) { Summary.format($0) + " s" }
                let gaveUp = runs.filter { $0.startup == nil }.count
                cells.append(gaveUp == 0 ? startups : "\(startups); \(gaveUp) round(s) > \(Int(PeerBench.readyTimeout)) s")
                cells.append("\(runs.map(\.missed).reduce(0, +)) of \(runs.map(\.deaths).reduce(0, +))")
                cells.append(Self.range(runs.flatMap(\.loads)) { Summary.format($0) })
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        lines.append("")
        lines.append("Latencies in ms, pooled over rounds; (n×) is the ratio to the floor's figure in the same run.")
        lines.append("Other cells are the range over rounds. Idle CPU is % of one core over the idle window;")
        lines.append("Private mem is Private_Clean + Private_Dirty of the supervisor process, and the dirty part:")
        lines.append("the clean part is mostly the program's own pages, shared once a second copy runs.")
        return lines.joined(separator: "\n")
    }

    static func milliseconds(_ value: Double) -> String {
        value >= 1000 ? Summary.format(value / 1000) + " s" : Summary.format(value) + " ms"
    }

    static func ratio(_ value: Double, _ floor: Double) -> String {
        guard floor > 0 else { return "—" }
        let times = value / floor
        return (times >= 10 ? String(Int(times.rounded())) : Summary.format(times)) + "×"
    }

    /// "a" or "a–b" over the values, "—" when there are none.
    static func range(_ values: [Double], _ format: (Double) -> String) -> String {
        guard let low = values.min(), let high = values.max() else { return "—" }
        let a = format(low)
        let b = format(high)
        return a == b ? a : "\(a)–\(b)"
    }

    static func grouped(_ value: Int) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }
}
