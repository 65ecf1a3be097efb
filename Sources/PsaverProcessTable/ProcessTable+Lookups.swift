public import PsaverConfig
public import PsaverSystem

extension ProcessTable {
    /// What a look at one process can say: it runs, it is gone, or the look itself
    /// failed (out of descriptors, no memory, no permission), which says nothing.
    public enum Liveness: Sendable, Equatable {
        case alive
        case gone
        case unknown(SystemError)
    }

    /// Whether `identity` still runs. Only evidence counts as gone: the pid's files
    /// vanished (ENOENT, ESRCH), another process holds the pid (a different start
    /// time), or it has exited (zombie, dead). A read that fails for any other
    /// reason is `unknown`, never a death (DESIGN §2).
    public func liveness(of identity: ProcessIdentity) -> Liveness {
        var buffer: [UInt8] = []
        let count: Int
        do {
            count = try FileSystem.read(root + "/" + identity.pid.description + "/stat", into: &buffer, limit: 64 << 10)
        } catch let error as SystemError {
            if error.code == SystemError.noSuchFile || error.code == SystemError.noSuchProcess { return .gone }
            return .unknown(error)
        } catch {
            return .unknown(SystemError("read", "/proc/\(identity.pid)/stat", code: SystemError.permissionDenied))
        }
        let stat = buffer.withUnsafeBufferPointer { ProcFiles.parseStat(UnsafeBufferPointer(rebasing: $0[..<count])) }
        guard let stat, stat.identity == identity, !stat.state.hasExited else { return .gone }
        return .alive
    }

    /// The scheduler state of `identity`, nil when it is gone or can't be read.
    public func state(of identity: ProcessIdentity) -> ProcessRecord.State? {
        guard let record = record(of: identity.pid), record.identity == identity else { return nil }
        return record.state
    }
}


extension ProcessTable {
    /// The entries the live process `pid` matches, with its identity; nil when it is
    /// gone, matches none, or is the engine or its child. For a process the kernel
    /// just reported exec'ing: one process checked against its candidates only.
    public func matches(of pid: ProcessID, using index: MatcherIndex) -> (ProcessIdentity, [PentID])? {
        guard let record = record(of: pid), !record.state.hasExited, !record.isKernelThread else { return nil }
        let command = record.commandLineBytes
        var executable: String??
        let readExecutable = { () -> String? in
            if let cached = executable { return cached }
            let target = self.executable(of: pid)
            executable = .some(target)
            return target
        }
        let argumentZero = command[..<(command.firstIndex(of: 0) ?? command.count)]
        let ids = index.candidates(argumentZero: argumentZero, executable: readExecutable).compactMap { position in
            let matcher = index.matchers[position]
            return matcher.matches(record, executable: readExecutable, realUser: { self.realUser(of: pid) })
                ? matcher.entry.id : nil
        }
        return ids.isEmpty ? nil : (record.identity, ids)
    }
}
