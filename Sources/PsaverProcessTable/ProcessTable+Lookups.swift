public import PsaverConfig
public import PsaverSystem

extension ProcessTable {
    /// The scheduler state of `identity`, nil when it is gone or can't be read.
    public func state(of identity: ProcessIdentity) -> ProcessRecord.State? {
        guard let record = record(of: identity.pid), record.identity == identity else { return nil }
        return record.state
    }

    /// The entries the live process `pid` matches, with its identity; nil when it is
    /// gone, matches none, or is the engine or its child. For a process the kernel
    /// just reported exec'ing: one process checked against its candidates only.
    public func matches(of pid: ProcessID, using index: MatcherIndex) -> (ProcessIdentity, [PentID])? {
        // Cheapest first: most processes a busy host execs match no entry's argv[0] or
        // executable, and are dropped before their stat file is read.
        var reader = ProcFileReader()
        let directory = root + "/" + pid.description
        var executable: String??
        let readExecutable = { () -> String? in
            if let cached = executable { return cached }
            let target = self.executable(of: pid)
            executable = .some(target)
            return target
        }
        var user: UserID??
        let readUser = { () -> UserID? in
            if let cached = user { return cached }
            let uid = self.realUser(of: pid)
            user = .some(uid)
            return uid
        }
        guard let command = commandLine(in: directory, reader: &reader, index: index, executable: readExecutable)
        else { return nil }
        let argumentZero = command[..<(command.firstIndex(of: 0) ?? command.count)]
        let candidates = index.candidates(
            argumentZero: argumentZero, commandLine: command, executable: readExecutable, realUser: readUser)
        guard !candidates.isEmpty, let stat = reader.stat(directory), stat.identity.pid == pid,
            !stat.state.hasExited
        else { return nil }
        let record = ProcessRecord(stat: stat, trimmedCommandLine: command)
        let ids = candidates.compactMap { position in
            let matcher = index.matchers[position]
            return matcher.matches(record, executable: readExecutable, realUser: readUser) ? matcher.id : nil
        }
        return ids.isEmpty ? nil : (record.identity, ids)
    }
}
