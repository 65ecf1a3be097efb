import PsaverSystem

/// The PARAM keys psaver knows, with what each one expects.
enum ParamKey: String, CaseIterable {
    case ipcKey = "IPCKEY"
    case messageCheckInterval = "MSG_CHECK_INTERVAL"
    case monitorInterval = "MONITOR_INTERVAL"
    case stateFile = "SHM_DUMP_FILE"
    case restartTimeout = "RESTART_TIMEOUT"

    /// A line to copy, for messages.
    var example: String {
        switch self {
        case .ipcKey: "IPCKEY 0x20000001"
        case .messageCheckInterval: "MSG_CHECK_INTERVAL 5"
        case .monitorInterval: "MONITOR_INTERVAL 10"
        case .stateFile: "SHM_DUMP_FILE /var/opt/HA/PS/dump/pfile_tomcat"
        case .restartTimeout: "RESTART_TIMEOUT 60"
        }
    }
}

extension PFileParser {
    /// Reads `KEY value` lines; nil when a required key is missing or the section is.
    mutating func parseParams(_ section: SectionLines?) -> Params? {
        guard let section else { return nil }
        var firstLine: [ParamKey: Int] = [:]
        var ipcKey: IPCKey?
        var stateFile: String?
        var seconds: [ParamKey: UInt32] = [:]
        for line in section.lines {
            let content = line.text.trimmed
            let word = content.prefix { !$0.isWhitespace }
            let value = content[word.endIndex...].trimmed
            guard let key = paramKey(word, on: line) else { continue }
            if let first = firstLine[key] {
                error(line, column: line.column(of: word.startIndex), """
                    \(key.rawValue) is set twice; the first is at line \(first). Keep one of them
                    """)
                continue
            }
            firstLine[key] = line.number
            guard !value.isEmpty else {
                error(line, column: line.endColumn, """
                    \(key.rawValue) needs a value after white space, such as "\(key.example)"
                    """)
                continue
            }
            switch key {
            case .ipcKey:
                ipcKey = parseIPCKey(value, on: line)
            case .stateFile:
                stateFile = Self.normalized(
                    FileSystem.absolute(String(value), relativeTo: FileSystem.directoryName(of: path)))
            case .messageCheckInterval, .monitorInterval, .restartTimeout:
                seconds[key] = wholeNumber(
                    value, on: line, name: key.rawValue, unit: "seconds", minimum: 1,
                    hint: " (such as \(key.example.split(separator: " ").last ?? ""))")
            }
        }
        for key in [ParamKey.ipcKey, .stateFile] where firstLine[key] == nil {
            error(section.header, column: 0, """
                the PARAM section has no \(key.rawValue); add a line such as "\(key.example)"
                """)
        }
        guard let ipcKey, let stateFile else { return nil }
        var params = Params(ipcKey: ipcKey, stateFile: stateFile)
        if let value = seconds[.messageCheckInterval] { params.messageCheckInterval = .seconds(value) }
        if let value = seconds[.monitorInterval] { params.monitorInterval = .seconds(value) }
        if let value = seconds[.restartTimeout] { params.restartTimeout = .seconds(value) }
        return params
    }

    /// The key a line's first word names; warns about unknown keys, which real
    /// pfiles carry for ProcessSaver features psaver does not have.
    private mutating func paramKey(_ word: Substring, on line: SourceLine) -> ParamKey? {
        if let key = ParamKey(rawValue: String(word)) { return key }
        if let equals = word.firstIndex(of: "="), let key = ParamKey(rawValue: String(word[..<equals])) {
            error(line, column: line.column(of: equals), """
                separate \(key.rawValue) from its value with spaces or tabs, not "=": "\(key.example)"
                """)
            return nil
        }
        var message = "unknown PARAM key \(Self.quote(word)) is ignored"
        if let key = ParamKey(rawValue: word.uppercased()) {
            message += "; did you mean \(key.rawValue)? Keys are upper case"
        } else {
            message += "; psaver knows " + ParamKey.allCases.map(\.rawValue).joined(separator: ", ")
        }
        warning(line, column: line.column(of: word.startIndex), message)
        return nil
    }

    /// `0x…` hex or decimal, fitting in 32 bits.
    private mutating func parseIPCKey(_ value: Substring, on line: SourceLine) -> IPCKey? {
        let hex = value.hasPrefix("0x") || value.hasPrefix("0X")
        let digits = hex ? value.dropFirst(2) : value
        let valid = !digits.isEmpty && digits.allSatisfy { $0.isASCII && (hex ? $0.isHexDigit : $0.isNumber) }
        if valid, let number = UInt32(digits, radix: hex ? 16 : 10) { return IPCKey(number) }
        let problem = valid ? "is too large: it must fit in 32 bits (at most 0xffffffff)" : """
            must be a number, hex (such as 0x20000001) or decimal
            """
        error(line, column: line.column(of: value.startIndex), "IPCKEY \(problem), got \(Self.quote(value))")
        return nil
    }

    /// A whole number from `minimum` up to 2³²−1, reported as `name` when it is not one.
    ///
    /// The upper bound keeps any count of seconds convertible to nanoseconds in
    /// 64 bits, so no timer arithmetic in the engine can overflow.
    mutating func wholeNumber(
        _ value: Substring, on line: SourceLine, name: String, unit: String, minimum: UInt32, hint: String
    ) -> UInt32? {
        func column() -> Int { line.column(of: value.startIndex) }
        let negative = value.hasPrefix("-")
        let digits = negative ? value.dropFirst() : value
        let notWhole = "\(name) must be a whole number of \(unit)\(hint), got \(Self.quote(value))"
        let tooSmall = minimum == 0 ? notWhole : """
            \(name) must be at least \(minimum) \(minimum == 1 ? String(unit.dropLast()) : unit), \
            got \(Self.quote(value))
            """
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            error(line, column: column(), notWhole)
            return nil
        }
        guard !negative else {
            error(line, column: column(), tooSmall)
            return nil
        }
        guard let number = UInt32(digits) else {
            error(line, column: column(), "\(name) is too large: at most \(UInt32.max) \(unit), got \(Self.quote(value))")
            return nil
        }
        guard number >= minimum else {
            error(line, column: column(), tooSmall)
            return nil
        }
        return number
    }

    /// `path` without `.` components and repeated slashes; `..` stays, since only
    /// the file system knows where it leads through links.
    static func normalized(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }
}
