import CPsaverShims
#if canImport(Glibc)
import Glibc
#endif

/// One epoll instance: the engine's single wait on all of its inputs.
public final class Epoll {
    /// Readiness of one descriptor, identified by the token given at `add`.
    public struct Ready: Sendable {
        public var token: UInt64
        public var readable: Bool
        public var writable: Bool
        /// Error or hang-up on the descriptor.
        public var hangUp: Bool
    }

    public static let readable = PSAVER_EPOLLIN
    public static let writable = PSAVER_EPOLLOUT

    private let fd: Int32

    /// The corresponding C function is `epoll_create1`.
    public init() throws {
        fd = try retryingInterrupts("epoll_create1") { psaver_epoll_create() }
    }

    deinit { Syscalls.close(fd) }

    /// Watches `descriptor` for `events` (`Epoll.readable`, `Epoll.writable`).
    public func add(_ descriptor: FileDescriptor, token: UInt64, events: UInt32 = Epoll.readable) throws {
        _ = try retryingInterrupts("epoll_ctl") {
            psaver_epoll_add(fd, descriptor.rawValue, events | PSAVER_EPOLLRDHUP, token)
        }
    }

    public func modify(_ descriptor: FileDescriptor, token: UInt64, events: UInt32) throws {
        _ = try retryingInterrupts("epoll_ctl") {
            psaver_epoll_modify(fd, descriptor.rawValue, events | PSAVER_EPOLLRDHUP, token)
        }
    }

    /// Stops watching; a descriptor already closed is fine.
    public func remove(_ descriptor: FileDescriptor) { _ = psaver_epoll_remove(fd, descriptor.rawValue) }

    /// Waits up to `timeout` (nil: forever) for readiness. An interrupted wait returns no events.
    public func wait(timeout: Duration?) throws -> [Ready] {
        var buffer = [psaver_ready_t](repeating: psaver_ready_t(), count: 64)
        let milliseconds = timeout.map { Int32(clamping: $0.millisecondsRoundedUp) } ?? -1
        let count = psaver_epoll_wait(fd, &buffer, Int32(buffer.count), milliseconds)
        if count < 0 {
            if errno == EINTR { return [] }
            throw SystemError("epoll_wait")
        }
        let problems = PSAVER_EPOLLERR | PSAVER_EPOLLHUP | PSAVER_EPOLLRDHUP
        return buffer[0..<Int(count)].map { event in
            Ready(token: event.token, readable: event.events & PSAVER_EPOLLIN != 0,
                  writable: event.events & PSAVER_EPOLLOUT != 0, hangUp: event.events & problems != 0)
        }
    }
}
