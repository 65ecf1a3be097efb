public import PsaverConfig
public import PsaverSystem

/// The host's processes as `/proc` shows them: finds each entry's process in one
/// pass, and re-checks one process by identity.
///
/// Reads a proc root folder, `/proc` unless told otherwise, so that tests hand it a
/// fixture tree. Holds no state between calls: every answer is read afresh.
/// Processes come and go while a pass reads them; one whose files vanish
/// (ENOENT, ESRCH) is skipped, and an executable link the caller may not read
/// (EACCES on another user's process) only means it can't match by executable.
public struct ProcessTable: Sendable {
    /// The folder read, `/proc` by default.
    public let root: String
    /// The engine's own pid; it and its children never match an entry.
    public let selfPID: ProcessID

    public init(root: String = "/proc", selfPID: ProcessID = Identity.processID) {
        self.root = root
        self.selfPID = selfPID
    }

    /// A matcher for `entry`, with its pname resolved once here (`realpath`), so a
    /// pass compares each executable with a ready string.
    public func matcher(for entry: Entry) -> ProcessMatcher {
        ProcessMatcher(entry: entry, resolvedPname: try? FileSystem.resolve(entry.pname), selfPID: selfPID)
    }

    /// The oldest live matching process of each entry, found in ONE pass over the
    /// table for all entries together.
    ///
    /// Oldest means the earliest start time, then the smallest pid. An entry with
    /// no match is absent from the result, and so is every entry when the root
    /// can't be listed at all. Resolves each pname once per call; an engine that
    /// scans often can build `matcher(for:)` once and call `findMatches(using:)`.
    public func findMatches(for entries: [Entry]) -> [PentID: ProcessIdentity] {
        findMatches(using: entries.map { matcher(for: $0) })
    }

    /// The oldest live matching process of each matcher's entry, in one pass.
    public func findMatches(using matchers: [ProcessMatcher]) -> [PentID: ProcessIdentity] {
        var found: [PentID: ProcessIdentity] = [:]
        if matchers.isEmpty { return found }
        guard let names = try? FileSystem.contents(ofDirectory: root) else { return found }
        var reader = ProcFileReader()
        for name in names {
            guard let number = Int32(name), number > 0 else { continue }
            let directory = root + "/" + name
            guard let stat = reader.stat(directory),
                !stat.state.hasExited, !stat.isKernelThread,
                stat.identity.pid != selfPID, stat.parentPID != selfPID,
                let command = reader.commandLine(directory), !command.isEmpty
            else { continue }
            let record = ProcessRecord(stat: stat, trimmedCommandLine: command)
            // Read at most once per process, whichever entries ask.
            var executable: String??
            var user: UserID??
            for matcher in matchers {
                if let best = found[matcher.entry.id], best.isOlder(than: record.identity) { continue }
                let matched = matcher.matches(
                    record,
                    executable: {
                        if let cached = executable { return cached }
                        let target = self.executable(in: directory)
                        executable = .some(target)
                        return target
                    },
                    realUser: {
                        if let cached = user { return cached }
                        let uid = self.realUser(in: directory)
                        user = .some(uid)
                        return uid
                    })
                if matched { found[matcher.entry.id] = record.identity }
            }
        }
        return found
    }

    /// Everything one pass reads of `pid`, or nil when it is gone or unreadable.
    /// Zombies are returned (with their state), for callers who show them.
    public func record(of pid: ProcessID) -> ProcessRecord? {
        var reader = ProcFileReader()
        let directory = root + "/" + pid.description
        guard let stat = reader.stat(directory), stat.identity.pid == pid,
            let command = reader.commandLine(directory)
        else { return nil }
        return ProcessRecord(stat: stat, trimmedCommandLine: command)
    }

    /// The identity of the live process `pid`, re-read now; nil if it is gone or
    /// has exited (zombie, dead).
    public func identity(of pid: ProcessID) -> ProcessIdentity? {
        var reader = ProcFileReader()
        guard let stat = reader.stat(root + "/" + pid.description), stat.identity.pid == pid,
            !stat.state.hasExited
        else { return nil }
        return stat.identity
    }

    /// Whether `identity` still runs: the same pid, started at the same time, and
    /// not exited. False for a process that died and left its pid to another.
    public func isAlive(_ identity: ProcessIdentity) -> Bool {
        self.identity(of: identity.pid) == identity
    }

    /// The target of `pid`'s executable link, " (deleted)" and all; nil when the
    /// process is gone or the caller may not read it.
    public func executable(of pid: ProcessID) -> String? {
        executable(in: root + "/" + pid.description)
    }

    /// The real user id of `pid`, from the `Uid:` line of its status file.
    public func realUser(of pid: ProcessID) -> UserID? {
        realUser(in: root + "/" + pid.description)
    }

    private func executable(in directory: String) -> String? {
        try? FileSystem.readLink(directory + "/exe")
    }

    private func realUser(in directory: String) -> UserID? {
        guard let status = try? FileSystem.readBytes(directory + "/status", limit: 64 << 10) else {
            return nil
        }
        return ProcFiles.parseRealUser(status: status)
    }
}
