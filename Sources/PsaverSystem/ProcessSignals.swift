#if canImport(Glibc)
import Glibc
#endif

/// Signals sent to other processes.
public enum ProcessSignals {
    public static let terminate: Int32 = SIGTERM
    public static let kill: Int32 = SIGKILL

    /// Sends `signal` to one process. The corresponding C function is `kill`.
    public static func send(_ signal: Int32, to pid: ProcessID) throws {
        try Syscalls.kill(pid.rawValue, signal)
    }

    /// Sends `signal` to a whole process group (a restart script and what it started).
    /// The corresponding C function is `kill` with a negative pid.
    public static func sendToGroup(_ signal: Int32, group: ProcessID) throws {
        try Syscalls.kill(-group.rawValue, signal)
    }

    /// Whether a process with this pid exists; EPERM (someone else's) counts as existing.
    public static func exists(_ pid: ProcessID) -> Bool {
        guard pid.rawValue > 0 else { return false }
        return Glibc.kill(pid.rawValue, 0) == 0 || errno == EPERM
    }
}
