public import PsaverSystem

/// One process, told apart from every other process the host has run or will run.
///
/// Linux reuses pids, so a pid alone may name a stranger after the watched process
/// dies. The start time (field 22 of `/proc/PID/stat`) never changes for a living
/// process and differs for a new process given the same pid, so the pair is a
/// name that survives reuse.
public struct ProcessIdentity: Hashable, Sendable, CustomStringConvertible {
    public var pid: ProcessID
    /// When the process started, in clock ticks since boot (`/proc/PID/stat` field 22).
    public var startTime: UInt64

    public init(pid: ProcessID, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }

    /// `3679@123456`: pid, then start time in ticks.
    public var description: String { "\(pid)@\(startTime)" }

    /// Whether `self` started before `other`: earlier start time, then the smaller
    /// pid, so that "the oldest match" is the same answer on every pass.
    public func isOlder(than other: ProcessIdentity) -> Bool {
        if startTime != other.startTime { return startTime < other.startTime }
        return pid < other.pid
    }
}
