public import PsaverConfig
public import PsaverState
public import PsaverSystem

/// One engine per IPCKEY, which no other user can take (DESIGN §3).
///
/// Two parts. The lock itself is an `flock` on `.ipckey-KEY.lock` in the engine's
/// registry folder (`/run/psaver` for root), which only the engine's user can
/// write: the kernel releases it when the holder dies, however it dies, and no
/// other user can create, replace or lock that file. Beside it, the engine holds
/// the abstract socket name `psaver/ipckey/KEY` (per network namespace) and
/// listens on it, so that an engine of another user with the same key is found
/// too: a holder of the name counts only when SO_PEERCRED shows it runs as root
/// or as this engine's user. A name held by anyone else (a squatter) is ignored.
public final class InstanceLock {
    private let lockFile: FileDescriptor
    private let lockFolder: TrustedDirectory
    private let lockName: String
    private let socket: FileDescriptor?
    /// Who held the abstract name without the right to, if anyone (for the log).
    public let squatter: UnixSocket.Peer?

    /// Takes the lock, or throws `InstanceLockError.held` when another engine has it.
    public init(ipcKey: IPCKey, folder: String = EngineRegistry.standard().folder) throws {
        let user = Identity.effectiveUser
        let trusted: TrustedDirectory
        do {
            trusted = try TrustedDirectory(folder, creatingWith: user == .root ? 0o755 : 0o700)
        } catch let refusal as PathRefusal {
            throw refusal.about("the folder of the IPCKEY lock and registry links")
        }
        let lockName = ".ipckey-\(ipcKey).lock"
        guard let lockFile = try Self.take(lockName, in: trusted) else {
            throw InstanceLockError.held(ipcKey)
        }
        let name = "psaver/ipckey/\(ipcKey)"
        do {
            let claim = try Self.claim(name, user: user)
            if case .heldBy(let peer) = claim, peer.user == .root || peer.user == user {
                throw InstanceLockError.held(ipcKey)
            }
            (socket, squatter) = switch claim {
            case .taken(let socket): (socket, nil)
            case .heldBy(let peer): (nil, peer)
            case .heldByNobodyListening: (nil, nil)
            }
        } catch {
            lockFile.close()
            throw error
        }
        self.lockFile = lockFile
        self.lockName = lockName
        lockFolder = trusted
        Self.sweep(trusted, keeping: lockName)
    }

    /// Takes the lock file, asking again a few times over 0.1 s: an engine starting
    /// at this moment may hold an unused lock file for the microseconds its sweep
    /// takes to remove it, which must not read as another engine with this key.
    static func take(_ name: String, in folder: TrustedDirectory) throws -> FileDescriptor? {
        for attempt in 0..<5 {
            if let file = try folder.lockFileInPlace(name) { return file }
            if attempt < 4 { MonotonicInstant.sleep(.milliseconds(25)) }
        }
        return nil
    }

    /// Removes the lock files of other keys that no engine holds (left by engines
    /// that were killed), each under its own lock so that one being taken right now
    /// is left alone: the folder holds one file per running engine, not one per key
    /// ever used.
    static func sweep(_ folder: TrustedDirectory, keeping own: String) {
        let names = (try? FileSystem.contents(ofDirectory: folder.path)) ?? []
        for name in names where name != own && name.hasPrefix(".ipckey-") && name.hasSuffix(".lock") {
            guard let file = try? folder.lockFileInPlace(name) else { continue }
            folder.removeLock(name, holding: file)
            file.close()
        }
    }

    deinit {
        socket?.close()
        // Removed while still locked, so lock files don't pile up in the folder; an
        // engine that opened this file meanwhile finds it gone and takes a fresh one.
        lockFolder.removeLock(lockName, holding: lockFile)
        lockFile.close()
    }

    private enum Claim {
        case taken(FileDescriptor)
        case heldBy(UnixSocket.Peer)
        /// Bound but not listening: not a psaver engine (ours always listen).
        case heldByNobodyListening
    }

    private static func claim(_ name: String, user: UserID) throws -> Claim {
        let socket = try UnixSocket.make()
        do {
            try UnixSocket.bindAbstract(socket, name: name)
            try UnixSocket.listen(socket, backlog: 1)
            return .taken(socket)
        } catch let error as SystemError where error.code == SystemError.addressInUse {
            socket.close()
        } catch {
            socket.close()
            throw error
        }
        let probe = try UnixSocket.make()
        defer { probe.close() }
        try probe.setNonBlocking()
        do {
            try UnixSocket.connectAbstract(probe, name: name)
        } catch let error as SystemError where error.code == SystemError.connectionRefused {
            return .heldByNobodyListening
        } catch let error as SystemError where error.code == SystemError.wouldBlock {
            // A full backlog: someone holds it on purpose; ask no further, trust nothing.
            return .heldByNobodyListening
        }
        return .heldBy(try UnixSocket.peer(of: probe))
    }
}

/// Another engine already runs with this IPCKEY.
public enum InstanceLockError: Error, Equatable {
    case held(IPCKey)
}
