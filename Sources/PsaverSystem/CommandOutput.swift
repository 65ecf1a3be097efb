#if canImport(Glibc)
import Glibc
#endif
import CPsaverShims

/// Runs a short command to its end and captures what it prints (stdout and stderr
/// together), for the console's queries of the cluster (`attrd_updater -Q`).
///
/// Waits for that one child only (never another one of the caller's), at most
/// `timeout`; past it the child's process group is killed. The child runs as
/// `Spawner.spawn` runs it: its own session, stdin from /dev/null.
public enum CommandOutput {
    public struct Result: Sendable {
        /// The exit status, nil when it was killed at the timeout.
        public var status: ChildStatus?
        public var output: [UInt8]
        public var text: String { String(decoding: output, as: UTF8.self) }
        public var succeeded: Bool { status?.succeeded == true }
    }

    /// The corresponding C functions are `pipe`, `posix_spawn`, `poll` and `waitpid`.
    public static func run(
        _ path: String, arguments: [String], environment: [String], timeout: Duration = .seconds(5),
        limit: Int = 4 << 20
    ) throws -> Result {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw SystemError("pipe", path) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let reader = ends[0], writer = ends[1]
        let pid: ProcessID
        do {
            pid = try Spawner.spawn(path, arguments: arguments, environment: environment,
                                    output: FileDescriptor(rawValue: writer))
        } catch {
            close(reader)
            close(writer)
            throw error
        }
        close(writer)
        defer { close(reader) }
        let deadline = MonotonicInstant.now() + timeout
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var timedOut = false
        while true {
            let now = MonotonicInstant.now()
            guard now < deadline else {
                timedOut = true
                break
            }
            var poller = pollfd(fd: reader, events: Int16(POLLIN), revents: 0)
            let wait = Int32(max(1, min(1000, (deadline - now).components.seconds * 1000
                                             + (deadline - now).components.attoseconds / 1_000_000_000_000_000)))
            let ready = poll(&poller, 1, wait)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            let count = chunk.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            if output.count < limit { output += chunk[0..<min(count, limit - output.count)] }
        }
        if timedOut { kill(-pid.rawValue, SIGKILL) }
        var raw: Int32 = 0
        while waitpid(pid.rawValue, &raw, 0) < 0 && errno == EINTR {}
        if timedOut { return Result(status: nil, output: output) }
        let status: ChildStatus = psaver_wifsignaled(raw) != 0
            ? .signaled(psaver_wtermsig(raw)) : .exited(psaver_wexitstatus(raw))
        return Result(status: status, output: output)
    }
}
