/// A syslog client: one datagram per message to the local syslog socket (`/dev/log`),
/// ident with pid, facility LOG_DAEMON, in the format syslogd and journald both read
/// (`<PRI>Mmm dd HH:MM:SS ident[pid]: message`).
///
/// Unlike syslog(3), which drops a message silently when nobody listens, `send`
/// says whether the message went, so that the caller can write it elsewhere.
public final class SystemLog {
    public enum Priority: Int32, Sendable {
        case error = 3, warning = 4, notice = 5, info = 6, debug = 7
    }

    /// LOG_DAEMON.
    static let facility: Int32 = 3
    /// The socket's path, `/dev/log` but in tests.
    public let socketPath: String
    private let ident: String
    private var socket: FileDescriptor?
    /// Why the last message could not be sent, if it could not.
    public private(set) var lastFailure: SystemError?

    /// A client for `ident`; nothing is connected until the first message.
    public init(ident: String, socketPath: String = "/dev/log") {
        self.ident = ident
        self.socketPath = socketPath
    }

    deinit { socket?.close() }

    /// Sends one message; false when the socket is missing, refuses, or is full
    /// (`lastFailure` says which). A syslog daemon that restarted is connected to again.
    @discardableResult
    public func send(_ message: String, priority: Priority, at time: WallTime = .now()) -> Bool {
        let header = "<\(Self.facility * 8 + priority.rawValue)>\(time.syslogStamp) \(ident)[\(Identity.processID)]: "
        let datagram = Array((header + message).utf8)
        for connectAgain in [false, true] {
            do {
                if socket == nil || connectAgain {
                    socket?.close()
                    socket = nil
                    socket = try UnixSocket.connectedDatagram(to: socketPath)
                }
                guard let socket else { return false }
                try UnixSocket.sendDatagram(socket, datagram, subject: socketPath)
                lastFailure = nil
                return true
            } catch let error as SystemError {
                lastFailure = error
                // A full queue is not a vanished daemon: connecting again would not help.
                if error.code == SystemError.wouldBlock { return false }
            } catch {
                return false
            }
        }
        return false
    }
}
