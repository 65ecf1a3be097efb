public import PsaverSystem

/// A parsed pfile: the PARAM section and the PENT entries, ready for the engine.
///
/// Built by `PFileParser` from text (pure) or `PFileLoader` from disk (which also
/// checks ownership, permissions and restart scripts).
public struct PFile: Sendable, Equatable {
    /// The pfile's absolute path; relative SHM_DUMP_FILE values resolve against its folder.
    public var path: String
    public var params: Params
    /// The entries in file order; `entries[i].id` is `i + 1`.
    public var entries: [Entry]
    /// Non-fatal findings, such as unknown PARAM keys, for the log.
    public var warnings: [PFileDiagnostic]

    public init(path: String, params: Params, entries: [Entry], warnings: [PFileDiagnostic] = []) {
        self.path = path
        self.params = params
        self.entries = entries
        self.warnings = warnings
    }
}

/// The engine's identity on the host, as written in the pfile (hex `0x…` or decimal).
public struct IPCKey: Hashable, Sendable, CustomStringConvertible {
    public var value: UInt32
    public init(_ value: UInt32) { self.value = value }
    /// `0x20000001`: eight hex digits, lower case, the way pfiles write it.
    public var description: String {
        let hex = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }
}

/// The PARAM section.
public struct Params: Sendable, Equatable {
    public var ipcKey: IPCKey
    /// Longest an admin request may wait (MSG_CHECK_INTERVAL), default 5 s.
    public var messageCheckInterval: Duration
    /// The rescan and heartbeat cycle (MONITOR_INTERVAL), default 10 s.
    public var monitorInterval: Duration
    /// The state file, absolute (resolved against the pfile's folder when written relative).
    public var stateFile: String
    /// How long a restart script may run (RESTART_TIMEOUT), default 60 s.
    public var restartTimeout: Duration

    public init(
        ipcKey: IPCKey, stateFile: String, messageCheckInterval: Duration = .seconds(5),
        monitorInterval: Duration = .seconds(10), restartTimeout: Duration = .seconds(60)
    ) {
        self.ipcKey = ipcKey
        self.stateFile = stateFile
        self.messageCheckInterval = messageCheckInterval
        self.monitorInterval = monitorInterval
        self.restartTimeout = restartTimeout
    }
}

/// An entry's position in the PENT section, from 1.
public struct PentID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
    public static func < (lhs: PentID, rhs: PentID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What happens when a death finds retry_count already at `retry`.
public enum RetryOverAction: Sendable, Equatable, CustomStringConvertible {
    /// Log RETRY_OVER:EXIT and FATAL, write the final state, exit non-zero.
    case exit
    /// The entry goes FATAL; the engine keeps watching the others.
    case stop
    /// Run the script once, then as `stop`.
    case exec(String)

    /// The pfile spelling: `exit`, `stop`, `exec=/path`.
    public var description: String {
        switch self {
        case .exit: "exit"
        case .stop: "stop"
        case .exec(let path): "exec=\(path)"
        }
    }
}

/// One PENT line: what to watch and how to bring it back.
public struct Entry: Sendable, Equatable, Identifiable {
    public var id: PentID
    /// The program's absolute path, as argv[0] shows it.
    public var pname: String
    public var restartScript: String
    /// Up this long since the last restart resets retry_count; nil (written 0) means never.
    public var grace: Duration?
    /// Restarts allowed before retry over.
    public var retry: Int
    public var retryOverAction: RetryOverAction
    /// Every string must appear in the command line (`include_strings=a&b`).
    public var includeStrings: [String]
    /// A command line holding any of these does not match (`exclude_strings=a&b`).
    public var excludeStrings: [String]
    /// Only processes of this user (`user=NAME`), as written and as resolved.
    public var user: String?
    public var userID: UserID?
    /// How long after a restart script ends the process may take to appear;
    /// nil means MONITOR_INTERVAL.
    public var startWait: Duration?
    /// A process stopped (state T) or in uninterruptible sleep (D) this long is hung:
    /// killed and handled as a death (`stall=SECONDS`); nil means never.
    public var stall: Duration?
    /// The longest wait between consecutive failed restart attempts (`backoff=SECONDS`);
    /// the wait starts at 1 s and doubles up to this. Zero means no wait.
    public var backoffLimit: Duration = .seconds(10)
    /// Whether what a dead process leaves behind (its children, session and process
    /// group) is ended before the restart script runs (`cleanup=on|off`, default on).
    public var cleanup = true
    /// How long leftovers may take to end after SIGTERM before SIGKILL (`cleanup_wait=SECONDS`).
    public var cleanupWait: Duration = .seconds(5)
    /// 1-based line number in the pfile, for messages.
    public var line: Int

    public init(
        id: PentID, pname: String, restartScript: String, grace: Duration?, retry: Int,
        retryOverAction: RetryOverAction, includeStrings: [String] = [], excludeStrings: [String] = [],
        user: String? = nil, userID: UserID? = nil, startWait: Duration? = nil, line: Int = 0
    ) {
        self.id = id
        self.pname = pname
        self.restartScript = restartScript
        self.grace = grace
        self.retry = retry
        self.retryOverAction = retryOverAction
        self.includeStrings = includeStrings
        self.excludeStrings = excludeStrings
        self.user = user
        self.userID = userID
        self.startWait = startWait
        self.line = line
    }

    /// `apache&tomcat`, as `show pent` prints it; empty when none.
    public var includeStringsText: String { includeStrings.joined(separator: "&") }
}
