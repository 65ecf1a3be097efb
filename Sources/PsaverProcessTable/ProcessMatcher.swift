public import PsaverConfig
public import PsaverSystem

/// The rule that says whether one process is one entry's process (DESIGN.md §1, §2).
///
/// A process matches when all of these hold:
/// - its argv[0] is exactly `pname`, or its executable is the file `pname`
///   resolves to (a process that names itself `java` but runs `/usr/bin/java`);
/// - every include string, and no exclude string, appears in its command line
///   (the arguments joined with single spaces);
/// - it belongs to the entry's user, when the entry names one;
/// - it has not exited (zombie or dead), it is not a kernel thread (empty
///   command line), and it is neither the engine nor one of its children.
///
/// Only argv[0] and the executable count, so `grep /usr/bin/java` or
/// `vi /usr/bin/java` never match `/usr/bin/java`. The checks run cheapest
/// first; the executable and the user are asked for, through the closures handed
/// to `matches`, only when everything else already holds. Pure: building and
/// asking a matcher reads nothing.
public struct ProcessMatcher: Sendable {
    /// The entry this matcher is for. Only what matching needs is kept, not the
    /// entry itself: an engine holds one matcher per entry beside its trackers.
    public let id: PentID
    /// The file `pname` resolves to (every link followed), or nil when it does not
    /// exist, in which case only argv[0] can match.
    public let resolvedPname: String?
    /// The engine's own pid: it and its children are never matched.
    public let selfPID: ProcessID

    /// pname's bytes: what argv[0] must be.
    public let pnameBytes: [UInt8]
    /// The include strings' bytes, empty ones dropped; `MatcherIndex` files the
    /// entry under one of them.
    let includes: [[UInt8]]
    private let excludes: [[UInt8]]
    /// The user whose processes alone match, when the entry names one.
    let userID: UserID?

    /// A matcher for `entry`, with `pname` already resolved by the caller
    /// (`ProcessTable.matcher(for:)` does it with `realpath`).
    public init(entry: Entry, resolvedPname: String?, selfPID: ProcessID) {
        id = entry.id
        userID = entry.userID
        self.resolvedPname = resolvedPname
        self.selfPID = selfPID
        // The bytes written in the pfile, whatever their encoding (LosslessText).
        pnameBytes = LosslessText.bytes(of: entry.pname)
        includes = entry.includeStrings.map { LosslessText.bytes(of: $0) }.filter { !$0.isEmpty }
        excludes = entry.excludeStrings.map { LosslessText.bytes(of: $0) }.filter { !$0.isEmpty }
    }

    /// Whether `record` is this entry's process.
    ///
    /// - Parameters:
    ///   - executable: the target of the process's `exe` link, or nil when it
    ///     can't be read (another user's process, a process gone); called at most
    ///     once, and only when argv[0] differs from pname and the strings pass.
    ///   - realUser: the process's real uid, or nil when unknown; called at most
    ///     once, and only when the entry has a user filter.
    public func matches(
        _ record: ProcessRecord, executable: () -> String?, realUser: () -> UserID?
    ) -> Bool {
        if record.state.hasExited || record.isKernelThread { return false }
        if record.pid == selfPID || record.parentPID == selfPID { return false }
        let command = record.commandLineBytes
        let argumentZeroMatches = command.withUnsafeBufferPointer { bytes in
            bytes.count >= pnameBytes.count
                && (bytes.count == pnameBytes.count || bytes[pnameBytes.count] == 0)
                && pnameBytes.withUnsafeBufferPointer { memoryEqual(bytes, $0) }
        }
        for include in includes where !Self.commandLine(command, contains: include) { return false }
        for exclude in excludes where Self.commandLine(command, contains: exclude) { return false }
        if !argumentZeroMatches {
            guard let resolvedPname, let target = executable(),
                Self.strippingDeleted(target) == resolvedPname
            else { return false }
        }
        if let wanted = userID {
            guard realUser() == wanted else { return false }
        }
        return true
    }

    /// The executable link of a process whose file was replaced or removed reads
    /// `/path (deleted)`; the process still runs the program at that path (a
    /// package upgrade must not make it look like a stranger).
    static func strippingDeleted(_ target: String) -> String {
        let suffix = " (deleted)"
        guard target.hasSuffix(suffix) else { return target }
        return String(target.dropLast(suffix.count))
    }

    /// Whether `needle` occurs in the command line, NULs between arguments read as
    /// spaces, without building the joined string.
    static func commandLine(_ haystack: [UInt8], contains needle: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                guard pin.count <= hay.count else { return false }
                let first = pin[0]
                var start = 0
                let lastStart = hay.count - pin.count
                while start <= lastStart {
                    if spaced(hay[start]) == first {
                        var offset = 1
                        while offset < pin.count && spaced(hay[start + offset]) == pin[offset] { offset += 1 }
                        if offset == pin.count { return true }
                    }
                    start += 1
                }
                return false
            }
        }
    }

    @inline(__always)
    private static func spaced(_ byte: UInt8) -> UInt8 { byte == 0 ? 0x20 : byte }
}

/// Whether `prefix` equals the first `prefix.count` bytes of `bytes`.
@inline(__always)
private func memoryEqual(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    while index < prefix.count {
        if bytes[index] != prefix[index] { return false }
        index += 1
    }
    return true
}
