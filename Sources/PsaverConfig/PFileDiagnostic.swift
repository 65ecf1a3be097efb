internal import PsaverSystem

/// A finding about a pfile, located by file, line and column, with the line quoted.
///
/// Errors stop the engine with the configuration-error code; warnings (unknown
/// PARAM keys) are logged and ignored.
public struct PFileDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: Sendable, Equatable { case error, warning }

    public var severity: Severity
    public var file: String
    /// 1-based; 0 when the finding is about the whole file (unreadable, missing section).
    public var line: Int
    /// 1-based; 0 when no column applies.
    public var column: Int
    /// The offending line, for quoting: as written when it is short; around
    /// `column`, with "…" where it was cut, when it is long. Control characters
    /// are shown as "\u{FFFD}" so that quoting a line never drives the terminal.
    public var text: String
    /// The column of the line that `text` starts with (1 unless it was cut).
    public var textStartColumn: Int
    /// What was wrong and what was expected.
    public var message: String

    public init(
        _ severity: Severity = .error, file: String, line: Int = 0, column: Int = 0, text: String = "",
        message: String
    ) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        (self.text, self.textStartColumn) = Self.excerpt(of: text, around: column)
        self.message = message
    }

    /// `file:line:col: error: message`, then the quoted line and a caret, like a compiler.
    public var description: String {
        var location = file
        if line > 0 { location += ":\(line)" }
        if column > 0 { location += ":\(column)" }
        let kind = severity == .error ? "error" : "warning"
        var result = "\(location): \(kind): \(message)"
        // A count of findings not shown ("… and 40 more on this line") quotes nothing.
        if line > 0 && (column > 0 || !text.isEmpty) {
            result += "\n    \(text)"
            if column > 0 {
                // Tabs stay tabs under the quote, so the caret lines up however wide they show.
                let offset = max(0, column - textStartColumn)
                let padding = text.prefix(offset).map { $0 == "\t" ? "\t" : " " }.joined()
                result += "\n    " + padding + String(repeating: " ", count: max(0, offset - text.count)) + "^"
            }
        }
        // Bytes of a pfile that are not UTF-8 (LosslessText) are shown as \xNN.
        return LosslessText.escaped(result)
    }
}

extension PFileDiagnostic {
    /// Characters of a long line quoted on each side of the column.
    static let quoteRadius = 60

    /// The part of `line` worth quoting around `column`, with the column its
    /// first character has in the line; cut lines get "…" at the cut ends.
    static func excerpt(of line: String, around column: Int) -> (String, Int) {
        let characters = line.prefix(4 * quoteRadius + 1).count
        guard characters > 2 * quoteRadius else { return (PFileParser.visible(line), 1) }
        let center = max(1, column)
        let first = max(1, center - quoteRadius)
        var window = line.dropFirst(first - 1).prefix(2 * quoteRadius)
        var text = ""
        if first > 1 {
            // The "…" takes the place of the window's first character.
            text = "…"
            window = window.dropFirst()
        }
        text += PFileParser.visible(window)
        if window.endIndex < line.endIndex { text += "…" }
        return (text, first)
    }
}
