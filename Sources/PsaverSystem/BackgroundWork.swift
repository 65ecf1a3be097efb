#if canImport(Glibc)
import Glibc
#endif

/// One piece of work run on a thread of its own, whose end is a readable
/// descriptor for an epoll loop, so the loop never waits for it.
///
/// For work that may take long and must not hold up the loop (parsing a large
/// pfile on SIGHUP). The thread inherits the loop thread's blocked signals, so the
/// signalfd still receives them all. The corresponding C functions are
/// `pthread_create` and `pipe`.
public final class BackgroundWork<Result: Sendable>: @unchecked Sendable {
    /// Readable once the work has ended.
    public let descriptor: FileDescriptor
    private let writeEnd: Int32
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private var outcome: Result?
    private let work: @Sendable () -> Result

    /// Starts `work` at once on a new, detached thread.
    public init(_ work: @escaping @Sendable () -> Result) throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SystemError("pipe", "background work") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
        descriptor = FileDescriptor(rawValue: ends[0])
        writeEnd = ends[1]
        lock = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        self.work = work
        try start()
    }

    deinit {
        descriptor.close()
        Glibc.close(writeEnd)
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    /// The result, once the descriptor is readable; nil before.
    public func take() -> Result? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return outcome
    }

    private func start() throws {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let code = pthread_create(&thread, nil, { raw in
            let owner = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! any BackgroundRunnable
            owner.run()
            return nil
        }, context)
        guard code == 0 else {
            Unmanaged<BackgroundWork>.fromOpaque(context).release()
            throw SystemError("pthread_create", "background work", code: code)
        }
        pthread_detach(thread)
    }

    fileprivate func runWork() {
        let result = work()
        pthread_mutex_lock(lock)
        outcome = result
        pthread_mutex_unlock(lock)
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }
}

/// What the thread entry point calls, whatever the result type.
private protocol BackgroundRunnable: AnyObject { func run() }

extension BackgroundWork: BackgroundRunnable {
    fileprivate func run() { runWork() }
}
