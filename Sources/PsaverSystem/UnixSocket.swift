import CPsaverShims
#if canImport(Glibc)
import Glibc
#endif

/// Unix stream sockets: the control socket, its clients, and the IPCKEY lock.
public enum UnixSocket {
    /// Who is at the other end of a connected socket (SO_PEERCRED).
    public struct Peer: Sendable, Equatable {
        public var pid: ProcessID
        public var user: UserID
    }

    /// A new, close-on-exec Unix stream socket.
    public static func make() throws -> FileDescriptor {
        FileDescriptor(rawValue: try retryingInterrupts("socket") {
            socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        })
    }

    /// Binds a socket to an abstract name (no file; gone when the last holder exits).
    /// Throws EADDRINUSE when another process holds the name.
    public static func bindAbstract(_ socket: FileDescriptor, name: String) throws {
        _ = try retryingInterrupts("bind", "@" + name) { psaver_bind_abstract(socket.rawValue, name) }
    }

    /// Listens on a socket bound to an abstract name, so that others can connect
    /// and learn the holder's credentials (SO_PEERCRED); nobody is ever accepted.
    public static func listen(_ socket: FileDescriptor, backlog: Int32) throws {
        _ = try retryingInterrupts("listen") { Glibc.listen(socket.rawValue, backlog) }
    }

    /// Connects to an abstract name. The corresponding C function is `connect`.
    public static func connectAbstract(_ socket: FileDescriptor, name: String) throws {
        _ = try retryingInterrupts("connect", "@" + name) { psaver_connect_abstract(socket.rawValue, name) }
    }

    /// Binds to `path`, sets its mode, and listens.
    public static func listen(_ socket: FileDescriptor, path: String, permissions: UInt32, backlog: Int32 = 16) throws {
        _ = try retryingInterrupts("bind", path) { psaver_bind_path(socket.rawValue, path) }
        try FileSystem.setPermissions(path, permissions)
        _ = try retryingInterrupts("listen", path) { Glibc.listen(socket.rawValue, backlog) }
    }

    /// Connects to the socket at `path`.
    public static func connect(_ socket: FileDescriptor, path: String) throws {
        _ = try retryingInterrupts("connect", path) { psaver_connect_path(socket.rawValue, path) }
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec descriptor;
    /// nil when none is pending.
    public static func accept(_ listener: FileDescriptor) throws -> FileDescriptor? {
        while true {
            let fd = psaver_accept(listener.rawValue)
            if fd >= 0 { return FileDescriptor(rawValue: fd) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED { return nil }
            throw SystemError("accept")
        }
    }

    /// The peer's pid and uid. The corresponding C call is `getsockopt(SO_PEERCRED)`.
    public static func peer(of socket: FileDescriptor) throws -> Peer {
        var pid: pid_t = 0
        var uid: uid_t = 0
        var gid: gid_t = 0
        _ = try retryingInterrupts("getsockopt") { psaver_peercred(socket.rawValue, &pid, &uid, &gid) }
        return Peer(pid: ProcessID(pid), user: UserID(uid))
    }

    /// Sets a receive/send timeout on a blocking socket (for clients).
    public static func setTimeout(_ socket: FileDescriptor, _ timeout: Duration) {
        var value = timeval(tv_sec: Int(timeout.components.seconds),
                            tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        _ = setsockopt(socket.rawValue, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(socket.rawValue, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }
}
