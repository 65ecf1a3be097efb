#if canImport(Glibc)
import Glibc
#endif

/// systemd's service notification protocol (what `sd_notify` does, without libsystemd):
/// `KEY=value` lines in one datagram to the Unix socket `$NOTIFY_SOCKET` names, a path
/// or an abstract name written `@name`.
///
/// The engine says `READY=1` after its first look at every entry, `WATCHDOG=1` from
/// its loop at half of `$WATCHDOG_USEC`, and `STOPPING=1` when it stops. A message
/// that can't be sent is dropped: the service manager's own timeouts then speak, and
/// monitoring never waits on it.
public final class ServiceNotifier {
    /// Where the messages go, as `$NOTIFY_SOCKET` gave it.
    public let address: String
    /// How often the service manager expects `WATCHDOG=1`, if it watches this process.
    public let watchdogTimeout: Duration?
    private var socket: FileDescriptor?
    /// The last failure to send, said once by whoever logs it (`takeFailure`).
    private var failure: (any Error)?
    private var failureSaid = false

    /// A notifier for `address`; `watchdogTimeout` as `$WATCHDOG_USEC` says.
    public init(address: String, watchdogTimeout: Duration? = nil) {
        self.address = address
        self.watchdogTimeout = watchdogTimeout
    }

    deinit { socket?.close() }

    /// The notifier the environment asks for, or nil when no service manager listens.
    ///
    /// Takes `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` out of the environment,
    /// so that restart scripts, and the services they start, never speak for the engine.
    /// A watchdog meant for another process (`WATCHDOG_PID`) is not this one's.
    public static func takeFromEnvironment() -> ServiceNotifier? {
        let address = Identity.environment("NOTIFY_SOCKET")
        let microseconds = Identity.environment("WATCHDOG_USEC").flatMap { UInt64($0) }
        let watchdogPID = Identity.environment("WATCHDOG_PID").flatMap { Int32($0) }
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] { unsetenv(name) }
        guard let address, address.hasPrefix("/") || address.hasPrefix("@"), address.count > 1 else { return nil }
        var timeout: Duration?
        if let microseconds, microseconds > 0, watchdogPID == nil || watchdogPID == Identity.processID.rawValue {
            timeout = .microseconds(Int64(clamping: microseconds))
        }
        return ServiceNotifier(address: address, watchdogTimeout: timeout)
    }

    /// How often to send `WATCHDOG=1`: half the service manager's timeout, as sd_watchdog_enabled(3) advises.
    public var watchdogInterval: Duration? { watchdogTimeout.map { $0 / 2 } }

    /// Sends `fields` (`READY=1`, `STATUS=…`) as one message; returns whether it went.
    @discardableResult
    public func send(_ fields: [String]) -> Bool {
        let message = Array(fields.joined(separator: "\n").utf8)
        for connectAgain in [false, true] {
            do {
                if socket == nil || connectAgain {
                    socket?.close()
                    socket = nil
                    socket = try UnixSocket.connectedDatagram(to: address)
                }
                guard let socket else { return false }
                try UnixSocket.sendDatagram(socket, message, subject: address)
                return true
            } catch {
                failure = error
            }
        }
        return false
    }

    /// The failure of the first message that could not be sent, once.
    public func takeFailure() -> (any Error)? {
        guard let failure, !failureSaid else { return nil }
        failureSaid = true
        return failure
    }
}
