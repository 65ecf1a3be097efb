import CPsaverShims
#if canImport(Glibc)
import Glibc
#endif

/// Starts restart scripts the way DESIGN §3 asks, and reaps them.
public enum Spawner {
    /// Runs `path` directly (never through a shell string) in a new session, with
    /// stdin from /dev/null, stdout and stderr onto `output`, descriptors above 2
    /// closed and default signal handling. The child outlives the caller.
    /// The corresponding C function is `posix_spawn` with `POSIX_SPAWN_SETSID`.
    public static func spawn(
        _ path: String, arguments: [String], environment: [String], output: FileDescriptor
    ) throws -> ProcessID {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let code = psaver_spawn(path, argv, envp, output.rawValue, &pid)
        guard code == 0 else { throw SystemError("posix_spawn", path, code: code) }
        return ProcessID(pid)
    }

    /// Reaps every child that has ended, without blocking.
    /// The corresponding C function is `waitpid(-1, …, WNOHANG)`.
    public static func reapEnded() -> [(ProcessID, ChildStatus)] {
        var ended: [(ProcessID, ChildStatus)] = []
        while let (pid, status) = Syscalls.waitAnyChild() {
            let decoded: ChildStatus =
                psaver_wifsignaled(status) != 0
                ? .signaled(psaver_wtermsig(status)) : .exited(psaver_wexitstatus(status))
            ended.append((ProcessID(pid), decoded))
        }
        return ended
    }
}
