public import PsaverConfig
import PsaverSystem

/// One engine per IPCKEY on the host: an abstract Unix socket named after the key.
///
/// The kernel releases the name when the holder dies, however it dies, so a
/// killed engine never leaves a stale lock behind. Abstract names belong to the
/// network namespace, which is what two cluster nodes on one machine need.
public final class InstanceLock {
    private let socket: FileDescriptor

    /// Takes the lock, or throws `InstanceLockError.held` when another engine has it.
    public init(ipcKey: IPCKey) throws {
        let socket = try UnixSocket.make()
        do {
            try UnixSocket.bindAbstract(socket, name: "psaver/ipckey/\(ipcKey)")
        } catch let error as SystemError where error.code == SystemError.addressInUse {
            socket.close()
            throw InstanceLockError.held(ipcKey)
        } catch {
            socket.close()
            throw error
        }
        self.socket = socket
    }

    deinit { socket.close() }
}

/// Another engine already runs with this IPCKEY.
public enum InstanceLockError: Error, Equatable {
    case held(IPCKey)
}
