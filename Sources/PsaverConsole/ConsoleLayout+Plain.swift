public import PsaverSystem

extension ConsoleLayout {
    /// The entry list as plain lines for `psview --once`: the header, the column titles,
    /// then every group line, banner and entry row, `cols` cells wide, trailing spaces
    /// trimmed, no selection.
    public static func plainLines(_ model: ConsoleModel, now: WallTime, host: String) -> [String] {
        var model = model
        model.selection = nil
        let cols = model.terminalCols
        let columns = entryColumns(model)
        var header = ScreenGrid(rows: 1, cols: cols)
        drawHeader(model, now: now, host: host, into: &header)
        var titles = columns.titles().joined(separator: " ")
        while titles.last == " " { titles.removeLast() }
        var lines = [header.line(0), titles]
        if model.engines.isEmpty { return lines + [" No engines found."] }
        for line in model.lines {
            var grid = ScreenGrid(rows: 1, cols: cols)
            switch line {
            case .engine(let id): drawGroup(id, model: model, now: now, row: 0, into: &grid)
            case .lastRows(let id): drawLastRows(id, model: model, now: now, row: 0, into: &grid)
            case .banner(let id):
                lines.append(bannerText(id, model: model, now: now))  // whole: nothing to scroll to
                continue
            case .entry(let key):
                drawEntry(key, model: model, columns: columns, now: now, lastEvent: columns.lastEvent > 0 ? lastEventText(key, model) : "", row: 0,
                          into: &grid)
            }
            lines.append(grid.line(0))
        }
        return lines
    }
}
