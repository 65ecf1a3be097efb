#if canImport(Glibc)
import Glibc
#endif
import PsaverSystem

/// Time for the bench: wall-clock nanoseconds (comparable across processes) and naps.
enum BenchClock {
    static func nanoseconds(_ time: WallTime) -> Int64 {
        time.secondsSinceEpoch * 1_000_000_000 + Int64(time.nanoseconds)
    }

    static func nowNanoseconds() -> Int64 { nanoseconds(.now()) }

    /// Sleeps `milliseconds`. The corresponding C function is `usleep`.
    static func nap(milliseconds: Int) { usleep(useconds_t(milliseconds * 1000)) }

    /// Polls `probe` every `every` ms until it returns a value; throws after `timeout` s.
    static func waitFor<T>(
        _ what: String, timeout: Double, every: Int = 2, _ probe: () throws -> T?
    ) throws -> T {
        let deadline = MonotonicInstant.now() + .milliseconds(Int64(timeout * 1000))
        while MonotonicInstant.now() < deadline {
            if let value = try probe() { return value }
            nap(milliseconds: every)
        }
        throw BenchError("timed out after \(timeout) s waiting for \(what)")
    }
}

/// A bench failure, said in one line.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
