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

