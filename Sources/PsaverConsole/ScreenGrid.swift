/// The console as text: `rows` × `cols` cells, each a character and a semantic style.
///
/// The layout fills it, the painter copies it to the terminal, and tests read it with
/// `text()`. Writing never goes outside the grid and never leaves half of a wide
/// character behind.
public struct ScreenGrid: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    /// Row-major cells; use `subscript(row:col:)`.
    public private(set) var cells: [ScreenCell]

    /// A blank grid (spaces in the normal style). Sizes below 1 become 1.
    public init(rows: Int, cols: Int) {
        self.rows = max(rows, 1)
        self.cols = max(cols, 1)
        cells = Array(repeating: ScreenCell(), count: self.rows * self.cols)
    }

    public subscript(row: Int, col: Int) -> ScreenCell {
        cells[row * cols + col]
    }

    /// The rows joined by `\n`, trailing spaces trimmed, continuation cells left out.
    public func text() -> String {
        (0..<rows).map(line).joined(separator: "\n")
    }

    /// One row as text, trailing spaces trimmed.
    public func line(_ row: Int) -> String {
        var text = ""
        for col in 0..<cols where !self[row, col].isContinuation {
            text.append(self[row, col].character)
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Writes `text` from (`row`, `col`) on, cut at `width` cells (default: to the
    /// right edge), and returns the column after the last cell written.
    ///
    /// Control characters show as `?`; zero-width ones are dropped; a wide character
    /// that would not fit whole is replaced by a space.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, row: Int, col: Int, style: CellStyle = .normal,
                             width: Int? = nil) -> Int
    {
        guard row >= 0, row < rows, col >= 0 else { return col }
        let end = min(cols, width.map { col + max($0, 0) } ?? cols)
        var x = col
        if asciiWidth(of: text) != nil {
            // One cell a byte, no grapheme breaking: most of what a paint writes.
            for byte in text.utf8 {
                if x >= end { return end }
                set(row, x, ScreenCell(asciiCharacters[Int(byte)], style: style))
                x += 1
            }
            return x
        }
        for character in text {
            var shown = character
            var cells = displayWidth(of: character)
            if cells == 0 {
                guard character.unicodeScalars.first.map({ $0.value < 0x20 || $0.value == 0x7F }) == true
                else { continue }
                (shown, cells) = ("?", 1)
            }
            if x + cells > end {
                if x < end { set(row, x, ScreenCell(" ", style: style)) }
                return end
            }
            set(row, x, ScreenCell(shown, style: style))
            if cells == 2 { set(row, x + 1, ScreenCell(" ", style: style, isContinuation: true)) }
            x += cells
        }
        return x
    }

    /// Fills a whole row with spaces in `style`.
    public mutating func clear(row: Int, style: CellStyle = .normal) {
        guard row >= 0, row < rows else { return }
        for x in 0..<cols { cells[row * cols + x] = ScreenCell(" ", style: style) }
    }

    /// Replaces one cell, first undoing any wide character it cuts in half.
    private mutating func set(_ row: Int, _ col: Int, _ cell: ScreenCell) {
        let index = row * cols + col
        if cells[index].isContinuation, !cell.isContinuation, col > 0 {
            cells[index - 1].character = " "
        }
        if !cell.isContinuation, col + 1 < cols, cells[index + 1].isContinuation {
            cells[index + 1] = ScreenCell(" ", style: cells[index + 1].style)
        }
        cells[index] = cell
    }
}

/// The ASCII characters by code, made once: a `Character` built from a byte costs a
/// string's construction, and a paint writes thousands of cells.
private let asciiCharacters: [Character] = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) }
