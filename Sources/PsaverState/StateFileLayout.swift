/// Where a state file's top-level `entries` array and each of its elements lie in its
/// bytes, found by a scan that follows JSON's strings and nesting without decoding
/// anything.
///
/// Nil for anything it does not recognise: no `entries`, two of them, a key written
/// with escapes, text after the document. The caller then decodes the file whole, and
/// `JSONDecoder` says what is wrong with it.
struct StateFileLayout: Equatable {
    /// The array, from its `[` to its `]`.
    let entriesArray: Range<Int>
    /// Each element, from its `{` to its `}`, in order.
    let entries: [Range<Int>]

    /// The layout of `bytes`. With `previous` (an earlier version of the same file and
    /// its layout), an entries array that starts with the earlier array's bytes is that
    /// array, moved: its elements are not scanned again. A busy engine's rewrite that
    /// only adds an event then costs one comparison of the array, not a scan of it.
    init?(_ bytes: [UInt8], previous: (bytes: [UInt8], layout: StateFileLayout)? = nil) {
        let found = bytes.withUnsafeBufferPointer { buffer in
            guard let previous else { return Scanner(bytes: buffer, previous: nil).layout() }
            return previous.bytes.withUnsafeBufferPointer { old in
                Scanner(bytes: buffer, previous: (old, previous.layout)).layout()
            }
        }
        guard let found else { return nil }
        (entriesArray, entries) = found
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let previous: (bytes: UnsafeBufferPointer<UInt8>, layout: StateFileLayout)?

        private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        private static let openObject = UInt8(ascii: "{"), closeObject = UInt8(ascii: "}")
        private static let openArray = UInt8(ascii: "["), closeArray = UInt8(ascii: "]")
        private static let comma = UInt8(ascii: ","), colon = UInt8(ascii: ":")
        private static let entriesKey = Array("entries".utf8)

        func layout() -> (Range<Int>, [Range<Int>])? {
            var index = skipSpace(from: 0)
            guard index < bytes.count, bytes[index] == Self.openObject else { return nil }
            index = skipSpace(from: index + 1)
            var found: (Range<Int>, [Range<Int>])?
            while true {
                guard index < bytes.count, bytes[index] == Self.quote, let keyEnd = skipString(from: index) else {
                    return nil
                }
                let key = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<(keyEnd - 1)])
                guard !key.contains(Self.backslash) else { return nil }
                index = skipSpace(from: keyEnd)
                guard index < bytes.count, bytes[index] == Self.colon else { return nil }
                index = skipSpace(from: index + 1)
                let valueEnd: Int
                if key.elementsEqual(Self.entriesKey) {
                    guard found == nil, bytes[index] == Self.openArray else { return nil }
                    if let moved = earlierArray(at: index) {
                        found = moved
                        valueEnd = moved.0.upperBound
                    } else {
                        guard let end = skipValue(from: index), let elements = elements(of: index..<end) else {
                            return nil
                        }
                        found = (index..<end, elements)
                        valueEnd = end
                    }
                } else {
                    guard let end = skipValue(from: index) else { return nil }
                    valueEnd = end
                }
                index = skipSpace(from: valueEnd)
                guard index < bytes.count else { return nil }
                if bytes[index] == Self.comma {
                    index = skipSpace(from: index + 1)
                    continue
                }
                guard bytes[index] == Self.closeObject else { return nil }
                break
            }
            return skipSpace(from: index + 1) == bytes.count ? found : nil
        }

        /// The earlier entries array and its elements, moved to `start`, when the bytes
        /// there are the earlier array's: a JSON value ends where its first bytes say, so
        /// the same bytes are the same array, whatever follows them.
        private func earlierArray(at start: Int) -> (Range<Int>, [Range<Int>])? {
            guard let previous else { return nil }
            let old = previous.layout.entriesArray
            guard start + old.count <= bytes.count,
                StateCodec.sameBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: previous.bytes[old])),
                                     UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<(start + old.count)])))
            else { return nil }
            let shift = start - old.lowerBound
            return (start..<(start + old.count),
                    previous.layout.entries.map { ($0.lowerBound + shift)..<($0.upperBound + shift) })
        }

        /// The elements of the array at `array` (`[` to `]`); each must be an object.
        private func elements(of array: Range<Int>) -> [Range<Int>]? {
            var index = skipSpace(from: array.lowerBound + 1)
            var elements: [Range<Int>] = []
            if bytes[index] == Self.closeArray { return index == array.upperBound - 1 ? elements : nil }
            while true {
                guard bytes[index] == Self.openObject, let end = skipValue(from: index), end < array.upperBound else {
                    return nil
                }
                elements.append(index..<end)
                index = skipSpace(from: end)
                if bytes[index] == Self.comma {
                    index = skipSpace(from: index + 1)
                    continue
                }
                return bytes[index] == Self.closeArray && index == array.upperBound - 1 ? elements : nil
            }
        }

        /// The index after the value that starts at `start`.
        private func skipValue(from start: Int) -> Int? {
            guard start < bytes.count else { return nil }
            switch bytes[start] {
            case Self.quote:
                return skipString(from: start)
            case Self.openObject, Self.openArray:
                var depth = 0
                var index = start
                while index < bytes.count {
                    switch bytes[index] {
                    case Self.quote:
                        guard let end = skipString(from: index) else { return nil }
                        index = end
                        continue
                    case Self.openObject, Self.openArray:
                        depth += 1
                    case Self.closeObject, Self.closeArray:
                        depth -= 1
                        if depth == 0 { return index + 1 }
                    default:
                        break
                    }
                    index += 1
                }
                return nil
            default:
                // A number, true, false or null: up to the next delimiter.
                var index = start
                while index < bytes.count, !isDelimiter(bytes[index]) { index += 1 }
                return index > start ? index : nil
            }
        }

        /// The index after the string whose opening quote is at `start`.
        private func skipString(from start: Int) -> Int? {
            var index = start + 1
            while index < bytes.count {
                switch bytes[index] {
                case Self.backslash: index += 2
                case Self.quote: return index + 1
                default: index += 1
                }
            }
            return nil
        }

        private func skipSpace(from start: Int) -> Int {
            var index = start
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            return index
        }

        private func isSpace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")
                || byte == UInt8(ascii: "\r")
        }

        private func isDelimiter(_ byte: UInt8) -> Bool {
            isSpace(byte) || byte == Self.comma || byte == Self.closeObject || byte == Self.closeArray
        }
    }
}
