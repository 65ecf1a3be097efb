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
    private let socket: FileDescriptor?
    /// Who held the abstract name without the right to, if anyone (for the log).
    public let squatter: UnixSocket.Peer?

    /// Takes the lock, or throws `InstanceLockError.held` when another engine has it.
    public init(ipcKey: IPCKey, folder: String = EngineRegistry.standard().folder) throws {
        let user = Identity.effectiveUser
        let trusted = try TrustedDirectory(folder, creatingWith: user == .root ? 0o755 : 0o700)
        guard let lockFile = try trusted.lockFile(".ipckey-\(ipcKey).lock") else {
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
    }

    deinit {
        socket?.close()
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
