import CNcursesw
public import PsaverConsole

extension Terminal {
    /// Draws `grid` and shows it (one `mvaddnwstr` per run of equally styled cells, then
    /// `refresh`; curses sends only what changed).
    ///
    /// With `previous`, the grid painted last, only the rows that differ are redrawn, so
    /// that a once-a-second clock costs one row rather than the screen. Pass nil after a
    /// resize or Ctrl-L. Render the grid at `size` (the model follows `.resize` keys); a
    /// grid of another size is clipped to the screen.
    public func paint(_ grid: ScreenGrid, over previous: ScreenGrid? = nil) {
        let screen = psaver_stdscr()
        let rows = min(grid.rows, size.rows), cols = min(grid.cols, size.cols)
        let same = previous.map { $0.rows == grid.rows && $0.cols == grid.cols } ?? false
        if !same { werase(screen) }
        for row in 0..<rows {
            if same, let previous, Self.row(row, of: grid, equals: previous) { continue }
            if same {
                wattrset(screen, 0)
                wmove(screen, Int32(row), 0)
                wclrtoeol(screen)
            }
            paintRow(row, of: grid, cols: cols)
        }
        wattrset(screen, 0)
        wrefresh(screen)
    }

    private static func row(_ row: Int, of grid: ScreenGrid, equals other: ScreenGrid) -> Bool {
        let start = row * grid.cols
        return grid.cells[start..<(start + grid.cols)] == other.cells[start..<(start + grid.cols)]
    }

    private func paintRow(_ row: Int, of grid: ScreenGrid, cols: Int) {
        let screen = psaver_stdscr()
        var col = 0
        while col < cols {
            let style = grid[row, col].style
            let start = col
            var text: [wchar_t] = []
            text.reserveCapacity(cols - col)
            while col < cols, grid[row, col].style == style {
                let cell = grid[row, col]
                if !cell.isContinuation {
                    // A wide character cut by the right edge would wrap; show a space.
                    if col + 1 >= cols, displayWidth(of: cell.character) == 2 {
                        text.append(wchar_t(bitPattern: UInt32(UInt8(ascii: " "))))
                    } else {
                        // Appended one by one: an array per cell was most of a row's cost.
                        for scalar in cell.character.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
                    }
                }
                col += 1
            }
            wattrset(screen, Palette.attributes(for: style, color: usesColor))
            text.withUnsafeBufferPointer { buffer in
                _ = mvwaddnwstr(screen, Int32(row), Int32(start), buffer.baseAddress, Int32(buffer.count))
            }
        }
    }
}
