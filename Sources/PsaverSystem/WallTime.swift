#if canImport(Glibc)
import Glibc
#endif

/// A wall-clock time, for people: log prefixes, rerun_time, events.
///
/// Only shown, never used to measure intervals (that is `MonotonicInstant`'s job).
public struct WallTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var secondsSinceEpoch: Int64
    public var nanoseconds: Int32

    public init(secondsSinceEpoch: Int64, nanoseconds: Int32 = 0) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.nanoseconds = nanoseconds
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds) < (rhs.secondsSinceEpoch, rhs.nanoseconds)
    }

    /// Seconds from `earlier` to this time.
    public func seconds(since earlier: WallTime) -> Double {
        Double(secondsSinceEpoch - earlier.secondsSinceEpoch)
            + Double(nanoseconds - earlier.nanoseconds) / 1e9
    }

    /// `2026-11-25T10:50:12+09:00`: ISO 8601 in local time, as the state file stores it.
    public var iso8601: String {
        var parts = localParts()
        let offset = Int(parts.tm_gmtoff)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600
        let minutes = abs(offset) % 3600 / 60
        return format(&parts, "%Y-%m-%dT%H:%M:%S") + sign + pad(hours) + ":" + pad(minutes)
    }

    /// `Nov 25 10:50:12`: the syslog timestamp.
    public var syslogStamp: String {
        var parts = localParts()
        return format(&parts, "%b %e %H:%M:%S")
    }

    /// `2026/11/25 10:50:12`: a date and time for people.
    public var display: String {
        var parts = localParts()
        return format(&parts, "%Y/%m/%d %H:%M:%S")
    }

    /// `Wed Oct 12 10:40:48 2011` (ctime's layout, C names): how ProcessSaver's
    /// `padmin -c show pent` prints rerun_time, which operators' scripts parse.
    public var ctime: String {
        var parts = localParts()
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = parts.tm_mday < 10 ? " \(parts.tm_mday)" : "\(parts.tm_mday)"
        return "\(days[Int(parts.tm_wday)]) \(months[Int(parts.tm_mon)]) \(day) "
            + format(&parts, "%H:%M:%S %Y")
    }

    /// `10:50:12`: for the console's event pane.
    public var clock: String {
        var parts = localParts()
        return format(&parts, "%H:%M:%S")
    }

    public var description: String { iso8601 }

    /// Parses what `iso8601` wrote (offset `Z` or `±HH:MM`); nil for anything else.
    public init?(iso8601 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<(from + count)] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var offsetSeconds = 0
        let zone = bytes[19]
        if zone == UInt8(ascii: "Z") {
            offsetSeconds = 0
        } else if zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-"),
            let oh = number(20, 2), let om = number(23, 2)
        {
            offsetSeconds = (oh * 3600 + om * 60) * (zone == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let utc = Int64(timegm(&parts))
        self.init(secondsSinceEpoch: utc - Int64(offsetSeconds))
    }

    /// The current wall-clock time. The corresponding C function is `clock_gettime(CLOCK_REALTIME)`.
    public static func now() -> WallTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return WallTime(secondsSinceEpoch: Int64(spec.tv_sec), nanoseconds: Int32(spec.tv_nsec))
    }

    private func localParts() -> tm {
        var seconds = time_t(secondsSinceEpoch)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return parts
    }

    private func format(_ parts: inout tm, _ pattern: String) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, pattern, &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension MonotonicInstant {
    /// The current monotonic time. The corresponding C function is `clock_gettime(CLOCK_MONOTONIC)`.
    public static func now() -> MonotonicInstant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return MonotonicInstant(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}
