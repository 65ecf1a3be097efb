#if canImport(Glibc)
import Glibc
#endif

/// Turns a process's start time in clock ticks after boot (field 22 of
/// `/proc/PID/stat`) into wall-clock time, as `ps -o lstart` does.
public struct BootClock: Sendable {
    /// When the host booted, in seconds since the epoch (`btime` in `/proc/stat`).
    public let bootTime: Int64
    /// Clock ticks per second. The corresponding C function is `sysconf(_SC_CLK_TCK)`.
    public let ticksPerSecond: Int64

    public init(bootTime: Int64, ticksPerSecond: Int64) {
        self.bootTime = bootTime
        self.ticksPerSecond = max(1, ticksPerSecond)
    }

    /// The host's clock, read from `procRoot/stat`; nil when it can't be read.
    public static func read(procRoot: String = "/proc") -> BootClock? {
        guard let bytes = try? FileSystem.readRegular(procRoot + "/stat", what: "kernel statistics", limit: 1 << 20)
        else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("btime ") {
            guard let boot = Int64(line.dropFirst(6).trimmingPrefix(" ")) else { return nil }
            return BootClock(bootTime: boot, ticksPerSecond: Int64(sysconf(Int32(_SC_CLK_TCK))))
        }
        return nil
    }

    /// Seconds since the epoch at which a process that started `ticks` after boot started.
    public func wallTime(ofTicks ticks: UInt64) -> Double {
        Double(bootTime) + Double(ticks) / Double(ticksPerSecond)
    }
}
