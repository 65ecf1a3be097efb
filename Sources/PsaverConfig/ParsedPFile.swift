/// A parse result with what the loader still needs to point at the source:
/// the lines as written and where each entry's paths sit on its line.
struct ParsedPFile: Sendable {
    /// The pfile, when the text held no errors.
    var pfile: PFile?
    /// Errors and warnings, sorted for reading.
    var diagnostics: [PFileDiagnostic]
    /// One per entry of `pfile`, in the same order.
    var layouts: [PentLayout]

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// One line of pfile text, numbered from 1, without its line ending or trailing white space.
struct SourceLine: Sendable {
    var number: Int
    var text: Substring

    /// The 1-based column of `index`, counted in characters.
    func column(of index: Substring.Index) -> Int {
        text.distance(from: text.startIndex, to: index) + 1
    }

    /// The column just past the last character, where something missing was expected.
    var endColumn: Int { text.count + 1 }
}

/// Where the fields of a PENT line that name other files sit, so that findings
/// about those files (missing, unsafe, unknown user) point at the right column.
struct PentLayout: Sendable {
    var line: SourceLine
    var restartScriptColumn: Int
    /// The column of the path after `exec=`, when the action is `exec`.
    var execColumn: Int?
    /// The column of the value after `user=`, when given.
    var userColumn: Int?
}

extension Substring {
    /// Without leading and trailing white space; indices stay those of the base string.
    var trimmed: Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}
