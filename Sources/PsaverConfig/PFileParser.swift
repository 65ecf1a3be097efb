import PsaverSystem


/// Turns pfile text into a `PFile`, collecting every error rather than stopping at the first.
///
/// Pure: it reads no files and looks up no users. `PFileLoader` adds the checks
/// that need the system (ownership, restart scripts, `user=` names).
public struct PFileParser {
    /// The two sections of a pfile.
    enum Section: String { case param = "PARAM", pent = "PENT" }

    let path: String
    var diagnostics: [PFileDiagnostic] = []
    var budget = DiagnosticBudget()

    private init(path: String) {
        self.path = path
    }

    /// Parses pfile text written at `path`.
    ///
    /// `path` names the file in diagnostics and anchors a relative SHM_DUMP_FILE
    /// (pass it absolute to get an absolute state file). Warnings, such as unknown
    /// PARAM keys, land in `PFile.warnings`. Throws when the text holds any error,
    /// with every error and warning found.
    public static func parse(_ text: String, path: String) throws(PFileErrors) -> PFile {
        let parsed = parseCollecting(text, path: path)
        guard let pfile = parsed.pfile else { throw PFileErrors(parsed.diagnostics) }
        return pfile
    }

    /// The parse with everything the loader needs to keep pointing at the source.
    static func parseCollecting(_ text: String, path: String) -> ParsedPFile {
        var parser = PFileParser(path: path)
        let sections = parser.splitSections(Self.lines(of: text))
        let params = parser.parseParams(sections.param)
        let (entries, layouts) = parser.parseEntries(sections.pent)
        let diagnostics = parser.sortedDiagnostics()
        let hasErrors = diagnostics.contains { $0.severity == .error }
        guard !hasErrors, let params else {
            return ParsedPFile(pfile: nil, diagnostics: diagnostics, layouts: [])
        }
        let pfile = PFile(path: path, params: params, entries: entries, warnings: diagnostics)
        return ParsedPFile(pfile: pfile, diagnostics: diagnostics, layouts: layouts)
    }

    /// The lines that hold anything, numbered from 1; `\n` and `\r\n` both end a
    /// line, and trailing white space (a stray `\r` included) is dropped. Blank
    /// lines mean nothing and are not kept, so a file of a million line feeds
    /// costs no more memory than its text.
    static func lines(of text: String) -> [SourceLine] {
        var result: [SourceLine] = []
        var number = 0
        var rest = text[...]
        while !rest.isEmpty {
            number += 1
            // "\r\n" is one Character in Swift, so looking for "\n" alone would miss it.
            let end = rest.firstIndex { $0 == "\n" || $0 == "\r\n" } ?? rest.endIndex
            var line = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            while let last = line.last, last.isWhitespace { line.removeLast() }
            if !line.isEmpty { result.append(SourceLine(number: number, text: line)) }
        }
        return result
    }

    // MARK: - Sections

    /// The content lines of each section, and the header that opened it.
    struct SectionLines {
        var header: SourceLine
        var lines: [SourceLine] = []
    }

    /// Sorts content lines into their sections; reports text outside any section,
    /// repeated headers and missing sections.
    mutating func splitSections(_ lines: [SourceLine]) -> (param: SectionLines?, pent: SectionLines?) {
        var param: SectionLines?
        var pent: SectionLines?
        var current: Section?
        for line in lines {
            let content = line.text.trimmed
            if let section = Self.sectionHeader(content) {
                let first = section == .param ? param?.header : pent?.header
                if let first {
                    error(line, column: 1, """
                        a second \(section.rawValue) section header; the first is at line \(first.number). \
                        Keep one \(section.rawValue) section
                        """)
                } else if section == .param {
                    param = SectionLines(header: line)
                } else {
                    pent = SectionLines(header: line)
                }
                current = section
                continue
            }
            if content.isEmpty || content.hasPrefix("#") { continue }
            switch current {
            case .param?: param?.lines.append(line)
            case .pent?: pent?.lines.append(line)
            case nil:
                error(line, column: line.column(of: content.startIndex), """
                    text before the first section header; expected a comment (starting with #), \
                    a blank line, or the header "##### PARAM #####"
                    """)
            }
        }
        if param == nil {
            error(line: 0, """
                no PARAM section; add a line "##### PARAM #####" followed by the IPCKEY and \
                SHM_DUMP_FILE lines
                """)
        }
        if pent == nil {
            error(line: 0, """
                no PENT section; add a line "##### PENT #####" followed by one line per process: \
                pname:restart_script:grace:retry:retry_over_act[:options]
                """)
        }
        return (param, pent)
    }

    /// The section a header line opens: `#` signs around PARAM or PENT, with any
    /// spacing; any case when the `#` signs close the line (`## Pent ##`), capitals
    /// only when they don't (`#  PARAM`). Nil for any other line, so a comment such
    /// as `# pent` or `# param values below` stays a comment.
    static func sectionHeader(_ content: Substring) -> Section? {
        guard content.hasPrefix("#") else { return nil }
        let closed = content.count > 1 && content.hasSuffix("#")
        var word = content.drop { $0 == "#" }
        while let last = word.last, last == "#" { word.removeLast() }
        let text = String(word.trimmed)
        return Section(rawValue: closed ? text.uppercased() : text)
    }

    // MARK: - Diagnostics

    // Message and column are autoclosures: past the budget a finding costs a count,
    // not a walk along the line, so a line of 64,000 "&" stays linear.
    mutating func error(_ line: SourceLine, column: @autoclosure () -> Int, _ message: @autoclosure () -> String) {
        report(.error, line, column: column, message)
    }

    mutating func warning(
        _ line: SourceLine, column: @autoclosure () -> Int, _ message: @autoclosure () -> String
    ) {
        report(.warning, line, column: column, message)
    }

    /// A finding about the whole file, such as a missing section.
    mutating func error(line: Int, _ message: String) {
        diagnostics.append(PFileDiagnostic(.error, file: path, line: line, message: message))
    }

    private mutating func report(
        _ severity: PFileDiagnostic.Severity, _ line: SourceLine, column: () -> Int, _ message: () -> String
    ) {
        guard budget.admit(severity, line: line.number) else { return }
        diagnostics.append(
            PFileDiagnostic(
                severity, file: path, line: line.number, column: column(), text: String(line.text),
                message: message()))
    }

    /// By line and column, findings about the whole file (line 0) last, since they
    /// are about what the reader did not find by the end; a line's "… and N more"
    /// follows that line's findings.
    private func sortedDiagnostics() -> [PFileDiagnostic] {
        let summaryStart = diagnostics.count
        return (diagnostics + budget.summaries(file: path)).enumerated().sorted { lhs, rhs in
            func key(_ item: (offset: Int, element: PFileDiagnostic)) -> (Int, Int, Int, Int) {
                let line = item.element.line == 0 ? Int.max : item.element.line
                return (line, item.offset >= summaryStart ? 1 : 0, item.element.column, item.offset)
            }
            return key(lhs) < key(rhs)
        }.map(\.element)
    }
}

extension PFileParser {
    /// The longest piece of pfile text a message repeats.
    static let quoteLimit = 40

    /// `"value"` for a message, cut to `quoteLimit` characters with "…" and with
    /// control characters made visible: a message never carries megabytes of a
    /// hostile line, nor escape sequences to the operator's terminal.
    static func quote(_ value: some StringProtocol) -> String {
        let cut = value.prefix(quoteLimit + 1).count > quoteLimit
        return "\"" + visible(value.prefix(quoteLimit)) + (cut ? "…\"" : "\"")
    }

    /// `text` with control characters shown as U+FFFD (`TerminalText`).
    static func visible(_ text: some StringProtocol) -> String { TerminalText.visible(text) }
}
