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
    /// The offending line as written, for quoting.
    public var text: String
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
        self.text = text
        self.message = message
    }

    /// `file:line:col: error: message`, then the quoted line and a caret, like a compiler.
    public var description: String {
        var location = file
        if line > 0 { location += ":\(line)" }
        if column > 0 { location += ":\(column)" }
        let kind = severity == .error ? "error" : "warning"
        var result = "\(location): \(kind): \(message)"
        if line > 0 {
            result += "\n    \(text)"
            if column > 0 {
                // Tabs stay tabs under the quote, so the caret lines up however wide they show.
                let padding = text.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
                result += "\n    " + padding + String(repeating: " ", count: max(0, column - 1 - text.count)) + "^"
            }
        }
        return result
    }
}
