public import PsaverSystem

/// Pure parsers for the `/proc/PID` files the table reads, working on bytes so a
/// scan makes no strings for the thousands of processes that never match.
public enum ProcFiles {
    /// The fields of `/proc/PID/stat` the table needs.
    public struct Stat: Sendable, Equatable {
        public var identity: ProcessIdentity
        public var state: ProcessRecord.State
        public var parentPID: ProcessID
        /// The kernel marks its own threads (PF_KTHREAD in field 9), so a scan can
        /// pass them by without reading their (empty) command lines.
        public var isKernelThread: Bool
    }

    /// PF_KTHREAD, from the kernel's `include/linux/sched.h`.
    static let kernelThreadFlag: UInt64 = 0x0020_0000

    /// Parses `/proc/PID/stat`: pid (field 1), state (3), parent pid (4), flags (9),
    /// start time (22).
    ///
    /// Field 2 is the command name in parentheses, and a process may name itself
    /// anything, spaces and `)` included (`(a) b)`), so the fields after it are
    /// counted from the LAST `)` in the line. Nil when the text is not a stat line.
    public static func parseStat(_ bytes: UnsafeBufferPointer<UInt8>) -> Stat? {
        let space = UInt8(ascii: " ")
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")),
            let open = bytes.firstIndex(of: UInt8(ascii: "(")), open < close,
            let pid = parseNumber(bytes, from: 0, to: open).flatMap({ Int32(exactly: $0) })
        else { return nil }
        // After ") " come fields 3, 4, …, each followed by one space.
        var field = 3
        var index = close + 1
        var state: UInt8 = 0
        var parent: UInt64?
        var flags: UInt64 = 0
        while index < bytes.count {
            while index < bytes.count && bytes[index] == space { index += 1 }
            var end = index
            while end < bytes.count && bytes[end] != space && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            guard end > index else { break }
            switch field {
            case 3: state = bytes[index]
            case 4: parent = parseNumber(bytes, from: index, to: end)
            case 9: flags = parseNumber(bytes, from: index, to: end) ?? 0
            case 22:
                guard let parent, let parentPID = Int32(exactly: parent),
                    let startTime = parseNumber(bytes, from: index, to: end)
                else { return nil }
                return Stat(
                    identity: ProcessIdentity(pid: ProcessID(pid), startTime: startTime),
                    state: ProcessRecord.State(rawValue: state), parentPID: ProcessID(parentPID),
                    isKernelThread: flags & kernelThreadFlag != 0)
            default: break
            }
            field += 1
            index = end
        }
        return nil
    }

    /// Parses `/proc/PID/stat` from an array, for tests and one-off reads.
    public static func parseStat(_ bytes: [UInt8]) -> Stat? {
        bytes.withUnsafeBufferPointer { parseStat($0) }
    }

    /// The real user id: the first number on the `Uid:` line of `/proc/PID/status`
    /// (real, effective, saved, filesystem). Nil when there is no such line.
    public static func parseRealUser(status bytes: [UInt8]) -> UserID? {
        let key = Array("Uid:".utf8)
        let tab = UInt8(ascii: "\t")
        let space = UInt8(ascii: " ")
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let line = bytes[lineStart..<lineEnd]
            if line.count > key.count && line.prefix(key.count).elementsEqual(key) {
                var index = lineStart + key.count
                while index < lineEnd && (bytes[index] == tab || bytes[index] == space) { index += 1 }
                var end = index
                while end < lineEnd && bytes[end] != tab && bytes[end] != space { end += 1 }
                let value = bytes.withUnsafeBufferPointer { parseNumber($0, from: index, to: end) }
                return value.flatMap { UInt32(exactly: $0) }.map { UserID($0) }
            }
            lineStart = lineEnd + 1
        }
        return nil
    }

    /// A decimal number spanning `start..<end`, ignoring spaces around it; nil when
    /// anything else is there or it overflows.
    static func parseNumber(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt64? {
        var index = start
        var last = end
        while index < last && bytes[index] == UInt8(ascii: " ") { index += 1 }
        while last > index && bytes[last - 1] == UInt8(ascii: " ") { last -= 1 }
        guard index < last else { return nil }
        var value: UInt64 = 0
        while index < last {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(digit))
            guard !overflow1 && !overflow2 else { return nil }
            value = sum
            index += 1
        }
        return value
    }
}
