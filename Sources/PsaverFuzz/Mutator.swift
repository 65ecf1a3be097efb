/// Makes hostile inputs from good ones: byte flips, inserted tokens the parsers
/// care about, long runs of one character, deleted and repeated slices.
///
/// The long runs and repeated slices are what found the quadratic diagnostics of
/// issue 8 (`include_strings=&&&…`, thousands of repeated options); inputs are
/// capped at `maximumLength` so one input's cost stays bounded.
public struct Mutator: Sendable {
    public var maximumLength: Int

    public init(maximumLength: Int = 1 << 20) { self.maximumLength = maximumLength }

    /// Tokens that mean something to a pfile or a control request.
    static let tokens: [[UInt8]] = [
        ":", "&", ",", "=", "#", "\n", "\r\n", " ", "\t", "0x", "-1", "0", "4294967296", "99999999999999999999",
        "include_strings=", "exclude_strings=", "user=", "start_wait=", "exec=", "exit", "stop",
        "##### PARAM #####", "##### PENT #####", "IPCKEY ", "SHM_DUMP_FILE ", "MONITOR_INTERVAL ",
        "\u{0}", "\u{1B}[2J", "\u{7F}", "é", "\u{FFFD}", "\"", "\\", "{", "}", "[", "]", "null", "true",
        "\"cmd\":", "\"pent_id\":", "\"on\":", "\\u0000", "\\ud800", "1e309", "-0",
    ].map { Array($0.utf8) }

    /// One mutated copy of `input`: between one and four mutations.
    public func mutate(_ input: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            mutateOnce(&bytes, using: &random)
        }
        if bytes.count > maximumLength { bytes.removeLast(bytes.count - maximumLength) }
        return bytes
    }

    private func mutateOnce(_ bytes: inout [UInt8], using random: inout SeededGenerator) {
        let at = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &random)
        switch Int.random(in: 0..<7, using: &random) {
        case 0 where !bytes.isEmpty:
            bytes[min(at, bytes.count - 1)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
        case 1:
            bytes.insert(UInt8.random(in: 0...255, using: &random), at: at)
        case 2:
            bytes.insert(contentsOf: Self.tokens.randomElement(using: &random)!, at: at)
        case 3:
            // A long run of one interesting byte: the shape of the quadratic inputs.
            let byte = Self.tokens.randomElement(using: &random)!.first ?? UInt8(ascii: "&")
            let length = [16, 256, 4096, 65536].randomElement(using: &random)!
            bytes.insert(contentsOf: repeatElement(byte, count: Int.random(in: 1...length, using: &random)), at: at)
        case 4 where !bytes.isEmpty:
            let end = min(bytes.count, at + Int.random(in: 1...64, using: &random))
            bytes.removeSubrange(min(at, end)..<end)
        case 5 where !bytes.isEmpty:
            // A slice repeated many times (5,000 duplicate options, thousands of lines).
            let start = min(at, bytes.count - 1)
            let slice = bytes[start..<min(bytes.count, start + Int.random(in: 1...40, using: &random))]
            let times = [2, 16, 512, 5000].randomElement(using: &random)!
            var repeated: [UInt8] = []
            repeated.reserveCapacity(slice.count * times)
            for _ in 0..<times { repeated += slice }
            bytes.insert(contentsOf: repeated, at: start)
        default:
            bytes.insert(contentsOf: Self.tokens.randomElement(using: &random)!, at: at)
        }
    }
}
