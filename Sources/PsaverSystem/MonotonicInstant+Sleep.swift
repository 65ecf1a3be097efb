#if canImport(Glibc)
import Glibc
#endif

extension MonotonicInstant {
    /// Blocks the calling thread for `duration` (short waits in start-up and shut-down
    /// paths, never in an event loop). The corresponding C function is `nanosleep`.
    public static func sleep(_ duration: Duration) {
        let nanoseconds = max(duration.nanoseconds, 0)
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
