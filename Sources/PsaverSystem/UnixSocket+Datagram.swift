import CPsaverShims
#if canImport(Glibc)
import Glibc
#endif

extension UnixSocket {
    /// A close-on-exec Unix datagram socket connected to `address`: a path, or an
    /// abstract name written `@name` (as `$NOTIFY_SOCKET` writes it).
    /// The corresponding C functions are `socket` and `connect`.
    public static func connectedDatagram(to address: String) throws -> FileDescriptor {
        let socket = FileDescriptor(rawValue: try retryingInterrupts("socket", address) {
            Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        })
        do {
            if address.hasPrefix("@") {
                try connectAbstract(socket, name: String(address.dropFirst()))
            } else {
                try connect(socket, path: address)
            }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Sends one datagram on a connected socket without blocking and without SIGPIPE;
    /// throws EAGAIN when the receiver's queue is full. The corresponding C function is `send`.
    public static func sendDatagram(_ socket: FileDescriptor, _ bytes: [UInt8], subject: String? = nil) throws {
        _ = try retryingInterrupts("send", subject) {
            bytes.withUnsafeBytes {
                Glibc.send(socket.rawValue, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
        }
    }
}
