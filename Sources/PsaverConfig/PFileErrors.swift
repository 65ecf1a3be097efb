/// Everything wrong with a pfile: every error found, and the warnings that came with them.
///
/// Thrown by `PFileParser.parse` and `PFileLoader.load` only when at least one
/// diagnostic is an error; `pcheck --check` prints `description` and exits with
/// the configuration-error code.
public struct PFileErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// Errors and warnings, in the order a reader meets them: findings about the
    /// whole file first, then by line and column.
    public var diagnostics: [PFileDiagnostic]

    public init(_ diagnostics: [PFileDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// The diagnostics of severity `.error`.
    public var errors: [PFileDiagnostic] { diagnostics.filter { $0.severity == .error } }

    /// The diagnostics of severity `.warning`.
    public var warnings: [PFileDiagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// Every diagnostic compiler-style, then a count such as `2 errors, 1 warning`.
    public var description: String {
        var lines = diagnostics.map(\.description)
        lines.append(Self.count(errors.count, "error") + ", " + Self.count(warnings.count, "warning"))
        return lines.joined(separator: "\n")
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)" + (number == 1 ? "" : "s")
    }
}
