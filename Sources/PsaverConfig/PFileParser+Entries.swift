/// The options a PENT line may carry after its fifth field.
enum PentOption: String, CaseIterable {
    case includeStrings = "include_strings"
    case excludeStrings = "exclude_strings"
    case user
    case startWait = "start_wait"
    case stall
    case backoff
    case cleanup
    case cleanupWait = "cleanup_wait"

    /// A `key=value` to copy, for messages.
    var example: String {
        switch self {
        case .includeStrings: "include_strings=apache&tomcat"
        case .excludeStrings: "exclude_strings=grep&tail"
        case .user: "user=tomcat"
        case .startWait: "start_wait=30"
        case .stall: "stall=60"
        case .backoff: "backoff=10"
        case .cleanup: "cleanup=off"
        case .cleanupWait: "cleanup_wait=5"
        }
    }
}

extension PFileParser {
    static let pentFormat = "pname:restart_script:grace:retry:retry_over_act[:options]"
    static let pentFieldNames = ["pname", "restart_script", "grace", "retry", "retry_over_act", "options"]

    /// Reads the PENT lines; entries are numbered by position, and a line with an
    /// error yields no entry (its number stays taken, so the others keep theirs).
    mutating func parseEntries(_ section: SectionLines?) -> ([Entry], [PentLayout]) {
        guard let section else { return ([], []) }
        if section.lines.isEmpty {
            error(section.header, column: 0, """
                the PENT section has no entries; add one line per process: \(Self.pentFormat)
                """)
        }
        var entries: [Entry] = []
        var layouts: [PentLayout] = []
        var firstWithMatch: [String: Entry] = [:]
        for (index, line) in section.lines.enumerated() {
            guard let (entry, layout) = parseEntry(line, id: PentID(index + 1)) else { continue }
            let match = entry.pname + "\u{0}" + entry.includeStrings.sorted().joined(separator: "\u{0}")
            if let first = firstWithMatch[match] {
                warning(line, column: 1, """
                    same pname and include_strings as pent_id \(first.id) at line \(first.line); both \
                    entries will watch the same processes. Remove one, or tell them apart with include_strings
                    """)
            } else {
                firstWithMatch[match] = entry
            }
            entries.append(entry)
            layouts.append(layout)
        }
        return (entries, layouts)
    }

    /// One `pname:restart_script:grace:retry:retry_over_act[:options]` line;
    /// nil when any field is wrong, after reporting every wrong field.
    private mutating func parseEntry(_ line: SourceLine, id: PentID) -> (Entry, PentLayout)? {
        let content = line.text.trimmed
        let rawFields = PentEscape.split(content, at: ":")
        guard rawFields.count >= 5 else {
            let missing = Self.pentFieldNames[rawFields.count]
            error(line, column: line.endColumn, """
                a PENT line needs at least 5 fields separated by ":", \(Self.pentFormat); this one has \
                \(rawFields.count), so \(missing) is missing
                """)
            return nil
        }
        guard rawFields.count <= 6 else {
            let extraColon = content.index(before: rawFields[6].startIndex)
            error(line, column: line.column(of: extraColon), """
                too many ":" fields: a PENT line has at most 6, \(Self.pentFormat); separate options \
                with ",", and write a ":" inside a value as "\\:" (such as include_strings=127.0.0.1\\:6390)
                """)
            return nil
        }
        let fields = rawFields.map(\.trimmed)
        let errorCount = diagnostics.count { $0.severity == .error }
        func column(_ field: Substring) -> Int { line.column(of: field.startIndex) }

        let pname = absolutePath(fields[0], on: line, name: "pname", example: "/usr/bin/java")
        let script = absolutePath(
            fields[1], on: line, name: "restart_script", example: "/var/opt/HA/PS/conf/bin/tomcat_start.sh")
        let grace = wholeNumber(
            fields[2], on: line, name: "grace", unit: "seconds", minimum: 0, hint: " (0 = never reset)")
        let retry = wholeNumber(
            fields[3], on: line, name: "retry", unit: "restarts", minimum: 0,
            hint: " (0 = retry over at the first death)")
        let (action, execColumn) = retryOverAction(fields[4], on: line)
        var entry = Entry(
            id: id, pname: pname ?? "", restartScript: script ?? "", grace: nil, retry: Int(retry ?? 0),
            retryOverAction: action ?? .exit, line: line.number)
        if let grace, grace > 0 { entry.grace = .seconds(grace) }
        var layout = PentLayout(line: line, restartScriptColumn: column(fields[1]), execColumn: execColumn)
        if fields.count == 6 { parseOptions(fields[5], on: line, into: &entry, layout: &layout) }
        guard diagnostics.count(where: { $0.severity == .error }) == errorCount else { return nil }
        return (entry, layout)
    }

    private mutating func absolutePath(
        _ field: Substring, on line: SourceLine, name: String, example: String
    ) -> String? {
        if field.hasPrefix("/") { return PentEscape.unescape(field) }
        error(line, column: line.column(of: field.startIndex), """
            \(name) must be an absolute path (starting with "/", such as \(example)), got \(Self.quote(field))
            """)
        return nil
    }

    /// `exit`, `stop` or `exec=/path`, with the column of the exec path.
    private mutating func retryOverAction(_ field: Substring, on line: SourceLine) -> (RetryOverAction?, Int?) {
        switch field {
        case "exit": return (.exit, nil)
        case "stop": return (.stop, nil)
        default: break
        }
        guard field.hasPrefix("exec=") else {
            error(line, column: line.column(of: field.startIndex), """
                retry_over_act must be exit, stop or exec=/path/to/script, got \(Self.quote(field))
                """)
            return (nil, nil)
        }
        let script = field.dropFirst("exec=".count).trimmed
        guard script.hasPrefix("/") else {
            error(line, column: line.column(of: script.startIndex), """
                exec= needs the absolute path of a script (such as exec=/opt/HA/PS/bin/notify.sh), \
                got \(Self.quote(script))
                """)
            return (nil, nil)
        }
        return (.exec(PentEscape.unescape(script)), line.column(of: script.startIndex))
    }

    /// Comma-separated `key=value` options; empty items (a trailing comma) are ignored.
    private mutating func parseOptions(
        _ field: Substring, on line: SourceLine, into entry: inout Entry, layout: inout PentLayout
    ) {
        var seen: Set<PentOption> = []
        for rawItem in PentEscape.split(field, at: ",") where !rawItem.isEmpty {
            let item = rawItem.trimmed
            guard !item.isEmpty else { continue }
            let equals = item.firstIndex(of: "=")
            let name = item[..<(equals ?? item.endIndex)].trimmed
            guard let option = PentOption(rawValue: String(name)) else {
                // A ProcessSaver option psaver lacks must not stop a pfile that runs there.
                let known = PentOption.allCases.map(\.rawValue).joined(separator: ", ")
                warning(line, column: line.column(of: item.startIndex),
                        "unknown option \(Self.quote(name)) is ignored; psaver's options are \(known)")
                continue
            }
            guard let equals else {
                error(line, column: line.column(of: item.endIndex), """
                    option \(option.rawValue) needs a value, such as \(option.example)
                    """)
                continue
            }
            guard seen.insert(option).inserted else {
                error(line, column: line.column(of: item.startIndex), """
                    option \(option.rawValue) is given twice; give it once, such as \(option.example)
                    """)
                continue
            }
            let value = item[item.index(after: equals)...].trimmed
            switch option {
            case .includeStrings:
                entry.includeStrings = strings(value, on: line, option: option)
            case .excludeStrings:
                entry.excludeStrings = strings(value, on: line, option: option)
            case .user:
                if value.isEmpty || value.contains(where: \.isWhitespace) {
                    error(line, column: line.column(of: value.startIndex), """
                        user must be a login name, such as \(option.example), got \(Self.quote(value))
                        """)
                } else {
                    entry.user = PentEscape.unescape(value)
                    layout.userColumn = line.column(of: value.startIndex)
                }
            case .startWait:
                let seconds = wholeNumber(
                    value, on: line, name: "start_wait", unit: "seconds", minimum: 1, hint: " (such as 30)")
                if let seconds { entry.startWait = .seconds(seconds) }
            case .stall:
                let seconds = wholeNumber(
                    value, on: line, name: "stall", unit: "seconds", minimum: 1,
                    hint: " (how long a process may stay stopped or in uninterruptible sleep, such as 60)")
                if let seconds { entry.stall = .seconds(seconds) }
            case .backoff:
                let seconds = wholeNumber(
                    value, on: line, name: "backoff", unit: "seconds", minimum: 0,
                    hint: " (the longest wait between failed restart attempts; 0 = none)")
                if let seconds { entry.backoffLimit = .seconds(seconds) }
            case .cleanup:
                switch value {
                case "on": entry.cleanup = true
                case "off": entry.cleanup = false
                default:
                    error(line, column: line.column(of: value.startIndex), """
                        cleanup must be on or off (off leaves a dead process's children running, for daemons \
                        whose children must outlive them), got \(Self.quote(value))
                        """)
                }
            case .cleanupWait:
                let seconds = wholeNumber(
                    value, on: line, name: "cleanup_wait", unit: "seconds", minimum: 0,
                    hint: " (how long a dead process's leftovers may take to end after SIGTERM, before SIGKILL)")
                if let seconds { entry.cleanupWait = .seconds(seconds) }
            }
        }
    }

    /// `a&b&c`, refusing empty strings (which would match every process).
    private mutating func strings(_ value: Substring, on line: SourceLine, option: PentOption) -> [String] {
        var result: [String] = []
        for part in PentEscape.split(value, at: "&") {
            guard !part.isEmpty else {
                error(line, column: line.column(of: part.startIndex), """
                    \(option.rawValue) has an empty string, which would match any process; remove the \
                    extra "&" or write a string, such as \(option.example)
                    """)
                continue
            }
            result.append(PentEscape.unescape(part))
        }
        return result
    }
}
