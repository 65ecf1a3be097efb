public import PsaverSystem

/// What one pass over the process table reads of one process: who it is, its
/// parent, its state and its arguments.
///
/// The executable link and the user are not here: they cost a system call each and
/// most entries never need them, so `ProcessTable` reads them only when a
/// `ProcessMatcher` asks.
public struct ProcessRecord: Sendable, Equatable {
    public var identity: ProcessIdentity
    /// The parent's pid (`/proc/PID/stat` field 4).
    public var parentPID: ProcessID
    public var state: State
    /// `/proc/PID/cmdline` as read: arguments separated by NUL, trailing NULs removed.
    /// Empty for kernel threads and for processes that are exiting.
    public var commandLineBytes: [UInt8]

    public init(
        identity: ProcessIdentity, parentPID: ProcessID, state: State, commandLineBytes: [UInt8]
    ) {
        let stat = ProcFiles.Stat(
            identity: identity, state: state, parentPID: parentPID, isKernelThread: false)
        self.init(stat: stat, trimmedCommandLine: Self.trimmingTrailingNULs(commandLineBytes))
    }

    /// A record from a parsed stat line and a command line already without
    /// trailing NULs, as a pass reads them (no second copy).
    init(stat: ProcFiles.Stat, trimmedCommandLine: [UInt8]) {
        identity = stat.identity
        parentPID = stat.parentPID
        state = stat.state
        commandLineBytes = trimmedCommandLine
    }

    /// A record whose command line holds `arguments`, for tests and fixtures.
    public init(
        identity: ProcessIdentity, parentPID: ProcessID, state: State = .running, arguments: [String]
    ) {
        var bytes: [UInt8] = []
        for argument in arguments {
            bytes.append(contentsOf: argument.utf8)
            bytes.append(0)
        }
        self.init(identity: identity, parentPID: parentPID, state: state, commandLineBytes: bytes)
    }

    public var pid: ProcessID { identity.pid }

    /// The arguments, argv[0] first; empty for a kernel thread.
    public var arguments: [String] {
        if commandLineBytes.isEmpty { return [] }
        return commandLineBytes.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// The arguments joined with single spaces, as `ps -ef` shows them and as
    /// include and exclude strings are searched.
    public var commandLine: String {
        String(decoding: commandLineBytes.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
    }

    /// A kernel thread has no user memory, so its command line reads empty; no
    /// entry ever names one.
    public var isKernelThread: Bool { commandLineBytes.isEmpty }

    /// The byte count of argv[0], the command line up to its first NUL.
    var argumentZeroLength: Int { commandLineBytes.firstIndex(of: 0) ?? commandLineBytes.count }

    static func trimmingTrailingNULs(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.last == 0 else { return bytes }
        var end = bytes.count
        while end > 0 && bytes[end - 1] == 0 { end -= 1 }
        return Array(bytes[..<end])
    }
}

extension ProcessRecord {
    /// The scheduler state letter of `/proc/PID/stat` field 3 (`R`, `S`, `D`, `Z`, …).
    public struct State: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The letter as an ASCII byte.
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let running = State(rawValue: UInt8(ascii: "R"))
        public static let sleeping = State(rawValue: UInt8(ascii: "S"))
        public static let zombie = State(rawValue: UInt8(ascii: "Z"))
        public static let dead = State(rawValue: UInt8(ascii: "X"))

        /// A zombie has exited and only waits for its parent to reap it; a dead
        /// process is on its way out. Neither is running the program any more.
        /// (Kernels 2.6.33 to 3.13 also wrote dead as `x`.)
        public var hasExited: Bool { self == .zombie || self == .dead || rawValue == UInt8(ascii: "x") }

        public var description: String { String(UnicodeScalar(rawValue)) }
    }
}
