import CPsaverShims
#if canImport(Glibc)
import Glibc
#endif

/// Process file descriptors: a descriptor that becomes readable when the process
/// ends, for a process that need not be our child.
public enum PidFD {
    /// Opens a pidfd for `pid`. Throws ESRCH when it is already gone, ENOSYS on
    /// kernels without pidfd (before 5.3): the caller then falls back to polling.
    /// The corresponding C function is `pidfd_open`.
    public static func open(_ pid: ProcessID) throws -> FileDescriptor {
        let fd = try retryingInterrupts("pidfd_open", String(pid.rawValue)) { psaver_pidfd_open(pid.rawValue) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return FileDescriptor(rawValue: fd)
    }
}

/// The signals the engine handles in its loop (TERM, INT, HUP, CHLD, USR1), read from a signalfd.
public final class SignalFD {
    public static let terminate = SIGTERM
    public static let interrupt = SIGINT
    public static let hangUp = SIGHUP
    public static let child = SIGCHLD
    /// Reopen the log files (logrotate's signal).
    public static let userOne = SIGUSR1

    public let descriptor: FileDescriptor

    /// Blocks those signals and opens a signalfd for them. Children spawned by
    /// `Spawner` get a clean mask back. The corresponding C function is `signalfd`.
    public init() throws {
        descriptor = FileDescriptor(rawValue: try retryingInterrupts("signalfd") { psaver_signalfd_open() })
    }

    deinit { descriptor.close() }

    /// Every pending signal, in arrival order.
    public func drain() -> [Int32] {
        var signals: [Int32] = []
        while true {
            let signal = psaver_signalfd_read(descriptor.rawValue)
            if signal <= 0 { return signals }
            signals.append(signal)
        }
    }

    /// Ignores SIGPIPE, so a control client that hangs up is an EPIPE, not a death.
    public static func ignoreBrokenPipes() { signal(SIGPIPE, SIG_IGN) }
}
