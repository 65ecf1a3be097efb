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
    /// scans often can build a `MatcherIndex` once and call `findMatches(using:)`.
    public func findMatches(for entries: [Entry]) -> [PentID: ProcessIdentity] {
        findMatches(using: MatcherIndex(entries.map { matcher(for: $0) }))
    }

    /// The oldest live matching process of each matcher's entry, in one pass.
    public func findMatches(using matchers: [ProcessMatcher]) -> [PentID: ProcessIdentity] {
        findMatches(using: MatcherIndex(matchers))
    }

    /// The oldest live matching process of each indexed entry, in one pass that
    /// costs O(processes + entries) (see `MatcherIndex`).
    public func findMatches(using index: MatcherIndex) -> [PentID: ProcessIdentity] {
        var found: [PentID: ProcessIdentity] = [:]
        pass(index) { id, identity, matches in
            if let best = found[id], best.isOlder(than: identity) { return }
            if matches() { found[id] = identity }
        }
        return found
    }

    /// Every live matching process of each entry, oldest first, in one pass: what
    /// an engine needs to follow a successor when the oldest dies, without
    /// another pass. An entry with no match is absent.
    public func findAllMatches(for entries: [Entry]) -> [PentID: [ProcessIdentity]] {
        findAllMatches(using: MatcherIndex(entries.map { matcher(for: $0) }))
    }

    /// Every live matching process of each indexed entry, oldest first, in one pass.
    public func findAllMatches(using index: MatcherIndex) -> [PentID: [ProcessIdentity]] {
        var found: [PentID: [ProcessIdentity]] = [:]
        pass(index) { id, identity, matches in
            if matches() { found[id, default: []].append(identity) }
        }
        for id in found.keys { found[id]!.sort { $0.isOlder(than: $1) } }
        return found
    }

    /// The pass itself: every live user process once, each offered only to the
    /// entries `index` names as its candidates. `visit` gets the entry, the
    /// process, and the full match rule to ask (it may skip asking); the
    /// executable link and the user are read at most once per process.
    ///
    /// Reads the least first: the first bytes of the command line
    /// (`MatcherIndex.leadingBytes`) and, when some entry matches by executable,
    /// the `exe` link; a process whose argv[0] and executable no entry is filed
    /// under is passed by there. Only the others have the rest of their command
    /// line read, up to `commandLineLimit`, and their stat file.
    private func pass(
        _ index: MatcherIndex,
        _ visit: (PentID, ProcessIdentity, () -> Bool) -> Void
    ) {
        if index.matchers.isEmpty { return }
        guard let names = try? FileSystem.contents(ofDirectory: root) else { return }
        var reader = ProcFileReader()
        for name in names {
            guard let number = Int32(name), number > 0 else { continue }
            let directory = root + "/" + name
            var executable: String??
            let readExecutable = { () -> String? in
                if let cached = executable { return cached }
                let target = self.executable(in: directory)
                executable = .some(target)
                return target
            }
            var user: UserID??
            let readUser = { () -> UserID? in
                if let cached = user { return cached }
                let uid = self.realUser(in: directory)
                user = .some(uid)
                return uid
            }
            guard let command = commandLine(in: directory, reader: &reader, index: index, executable: readExecutable)
            else { continue }
            let argumentZero = command[..<(command.firstIndex(of: 0) ?? command.count)]
            let candidates = index.candidates(
                argumentZero: argumentZero, commandLine: command, executable: readExecutable, realUser: readUser)
            if candidates.isEmpty { continue }
            // The stat file only for candidates: kernel threads and exiting
            // processes have an empty command line and were passed by above.
            guard let stat = reader.stat(directory),
                !stat.state.hasExited, !stat.isKernelThread,
                stat.identity.pid != selfPID, stat.parentPID != selfPID
            else { continue }
            let record = ProcessRecord(stat: stat, trimmedCommandLine: command)
            for position in candidates {
                let matcher = index.matchers[position]
                visit(matcher.id, record.identity) {
                    matcher.matches(record, executable: readExecutable, realUser: readUser)
                }
            }
        }
    }

    /// The longest command line read: past it, the rest of a candidate's command
    /// line is not read, and include or exclude strings that lie only beyond it
    /// are not seen. Linux allows longer argument lists, but no service's argv[0]
    /// and the strings that tell it apart lie a megabyte in.
    public static let commandLineLimit = 1 << 20

    /// A process's command line (trailing NULs removed), read in two steps: its
    /// first bytes, then, only when no entry is ruled out by them and more
    /// follows, the whole up to `commandLineLimit`. Nil when the process is gone,
    /// is a kernel thread, or no entry is filed under its argv[0] or executable.
    func commandLine(
        in directory: String, reader: inout ProcFileReader, index: MatcherIndex, executable: () -> String?
    ) -> [UInt8]? {
        guard let lead = reader.leadingCommandLine(directory, count: index.leadingBytes), !lead.bytes.isEmpty
        else { return nil }
        let argumentZero = lead.bytes[..<(lead.bytes.firstIndex(of: 0) ?? lead.bytes.count)]
        if index.candidates(argumentZero: argumentZero, executable: executable).isEmpty { return nil }
        if lead.whole { return lead.bytes }
        guard let command = reader.commandLine(directory), !command.isEmpty else { return nil }
        return command
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

    /// Whether `identity` may still run: false only on evidence that it is gone
    /// (its /proc folder is gone, it exited, or its pid now names a process
    /// started at another time). A look that fails for another reason (out of
    /// descriptors, no permission) is not evidence: DESIGN §2 forbids taking it
    /// for a death, so it answers true; `liveness(of:)` tells the cases apart.
    public func isAlive(_ identity: ProcessIdentity) -> Bool {
        liveness(of: identity) != .gone
    }

    /// What a fresh look at one process shows.
    public enum Liveness: Sendable, Equatable {
        /// The same process (pid and start time) runs and has not exited.
        case alive
        /// Evidence that it ended: no such pid, a zombie, or a new process on the pid.
        case gone
        /// The look failed (EMFILE, EACCES, an unreadable stat line): nothing is known.
        case unknown(reason: String)
    }

    /// Reads `identity`'s stat file now and says whether it runs, ended, or can't be told.
    public func liveness(of identity: ProcessIdentity) -> Liveness {
        let path = root + "/" + identity.pid.description + "/stat"
        var buffer: [UInt8] = []
        let count: Int
        do {
            count = try FileSystem.read(path, into: &buffer, limit: 64 << 10)
        } catch let error as SystemError
            where error.code == SystemError.noSuchFile || error.code == SystemError.noSuchProcess
        {
            return .gone
        } catch {
            return .unknown(reason: "\(error)")
        }
        let stat = buffer.withUnsafeBufferPointer { ProcFiles.parseStat(UnsafeBufferPointer(rebasing: $0[..<count])) }
        guard let stat else { return .unknown(reason: "\(path): not a stat line") }
        if stat.identity != identity || stat.state.hasExited { return .gone }
        return .alive
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
