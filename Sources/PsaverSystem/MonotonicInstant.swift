/// A point on the monotonic clock (CLOCK_MONOTONIC), in nanoseconds since boot.
///
/// Grace periods, timeouts and start waits are measured on this clock so that a
/// wall-clock jump never resets or extends them. The engine's state machine takes
/// instants as arguments and never reads a clock itself; tests pass any value.
public struct MonotonicInstant: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// An instant `seconds` after the clock's zero, for tests and fixtures.
    public static func seconds(_ seconds: Double) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: Int64(seconds * 1e9))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public static func + (lhs: Self, rhs: Duration) -> Self {
        MonotonicInstant(nanoseconds: lhs.nanoseconds + rhs.nanoseconds)
    }

    public static func - (lhs: Self, rhs: Self) -> Duration {
        .nanoseconds(lhs.nanoseconds - rhs.nanoseconds)
    }

    public var description: String { "\(Double(nanoseconds) / 1e9)s" }
}

extension Duration {
    /// The whole duration in nanoseconds, saturating at Int64's range.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled &+ attoseconds / 1_000_000_000
    }

    /// The duration in milliseconds, rounded up, for poll-style timeouts.
    public var millisecondsRoundedUp: Int64 {
        let ns = nanoseconds
        return ns <= 0 ? 0 : (ns + 999_999) / 1_000_000
    }

    /// The duration in seconds as a Double, for people.
    public var seconds: Double { Double(nanoseconds) / 1e9 }
}
