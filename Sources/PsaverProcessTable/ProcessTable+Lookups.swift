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
    /// Every live process that matches `entry`, oldest first: the candidates to
    /// follow when its tracked process dies.
    public func findAllMatches(for entry: Entry) -> [ProcessIdentity] {
        let matcher = matcher(for: entry)
        guard let names = try? FileSystem.contents(ofDirectory: root) else { return [] }
        var reader = ProcFileReader()
        var matches: [ProcessIdentity] = []
        for name in names {
            guard let number = Int32(name), number > 0 else { continue }
            let directory = root + "/" + name
            guard let stat = reader.stat(directory), !stat.state.hasExited, !stat.isKernelThread,
                let command = reader.commandLine(directory), !command.isEmpty
            else { continue }
            let record = ProcessRecord(stat: stat, trimmedCommandLine: command)
            let pid = ProcessID(number)
            if matcher.matches(record, executable: { self.executable(of: pid) }, realUser: { self.realUser(of: pid) }) {
                matches.append(record.identity)
            }
        }
        return matches.sorted { $0.isOlder(than: $1) }
    }
}
