import CPsaverShims
#if canImport(Glibc)
import Glibc
#endif

/// The kernel's process-events connector (netlink `NETLINK_CONNECTOR`, group
/// `CN_IDX_PROC`): a report of every fork and exec on the host as it happens.
/// The kernel drops every other kind (exits, uid and comm changes) before it
/// reaches the socket (a BPF filter), so a busy host wakes the reader only for
/// what it uses; deaths of watched processes come through their pidfds.
///
/// With it an engine sees a restarted process the moment it execs, without a
/// pass over /proc. Opening it needs CAP_NET_ADMIN (root), and the kernel
/// reports only to the initial network namespace; where it can't be opened the
/// caller keeps its periodic pass. The descriptor is non-blocking and
/// close-on-exec: put it in an `Epoll` set and call `read()` when it is readable.
///
/// Events carry pids only, never names: the caller looks at `/proc/PID` for what
/// it needs, and may find it gone already. The socket can overflow when the host
/// forks faster than the reader reads; `read()` then throws `Overrun`, and the
/// caller must make one full pass to learn what it missed.
public final class ProcessEvents {
    /// What happened to a process.
    public enum Event: Sendable, Equatable {
        /// `process` (a thread group leader; threads are left out) ran execve.
        case exec(process: ProcessID)
        /// `parent` made a new process `child` (threads are left out).
        case fork(parent: ProcessID, child: ProcessID)
    }

    /// The socket overflowed: events were lost, and a full pass must find what changed.
    public struct Overrun: Error, CustomStringConvertible {
        public var description: String { "process events were lost (netlink socket overflow)" }
    }

    public let descriptor: FileDescriptor

    /// Subscribes to the host's process events.
    /// Throws `SystemError` with EPERM when the caller is not root (CAP_NET_ADMIN).
    /// The corresponding C functions are `socket`, `bind` and `send` (PROC_CN_MCAST_LISTEN).
    public init() throws {
        descriptor = FileDescriptor(rawValue: try retryingInterrupts("socket", "NETLINK_CONNECTOR CN_IDX_PROC") {
            psaver_proc_events_open()
        })
    }

    /// Closing the socket ends the subscription.
    deinit { descriptor.close() }

    /// Every event waiting now, oldest first; empty when none waits.
    /// The corresponding C function is `recv`.
    public func read() throws -> [Event] {
        var events: [Event] = []
        var batch = [psaver_proc_event_t](repeating: psaver_proc_event_t(), count: 32)
        while true {
            let count = batch.withUnsafeMutableBufferPointer { buffer in
                psaver_proc_events_read(descriptor.rawValue, buffer.baseAddress, Int32(buffer.count))
            }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { return events }
                if errno == ENOBUFS { throw Overrun() }
                throw SystemError("recv", "NETLINK_CONNECTOR CN_IDX_PROC")
            }
            for raw in batch.prefix(Int(count)) {
                if let event = Self.event(raw) { events.append(event) }
            }
        }
    }

    /// The typed event, or nil for a thread's event and kinds psaver does not use.
    static func event(_ raw: psaver_proc_event_t) -> Event? {
        switch raw.kind {
        case PSAVER_PROC_EVENT_EXEC where raw.pid == raw.tgid:
            return .exec(process: ProcessID(raw.tgid))
        case PSAVER_PROC_EVENT_FORK where raw.child_pid == raw.child_tgid:
            return .fork(parent: ProcessID(raw.tgid), child: ProcessID(raw.child_tgid))
        default:
            return nil
        }
    }
}
