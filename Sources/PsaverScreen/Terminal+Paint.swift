import CNcursesw
public import PsaverConsole

extension Terminal {
    /// Draws `grid` and shows it (`erase`, one `mvaddnwstr` per run of equally styled
    /// cells, `refresh`; curses sends only what changed).
    ///
    /// Render the grid at `size` (the model follows `.resize` keys); a grid of another
    /// size is clipped to the screen.
    public func paint(_ grid: ScreenGrid) {
        let screen = psaver_stdscr()
        werase(screen)
        let rows = min(grid.rows, size.rows), cols = min(grid.cols, size.cols)
        for row in 0..<rows {
            var col = 0
            while col < cols {
                let style = grid[row, col].style
                let start = col
                var text: [wchar_t] = []
                while col < cols, grid[row, col].style == style {
                    let cell = grid[row, col]
                    if !cell.isContinuation {
                        // A wide character cut by the right edge would wrap; show a space.
                        let wide = displayWidth(of: cell.character) == 2
                        let scalars = wide && col + 1 >= cols ? [" "] : Array(cell.character.unicodeScalars)
                        text += scalars.map { wchar_t(bitPattern: $0.value) }
                    }
                    col += 1
                }
                wattrset(screen, Palette.attributes(for: style, color: usesColor))
                text.withUnsafeBufferPointer { buffer in
                    _ = mvwaddnwstr(screen, Int32(row), Int32(start), buffer.baseAddress, Int32(buffer.count))
                }
            }
        }
        wattrset(screen, 0)
        wrefresh(screen)
    }
}
