internal import FoundationEssentials

/// State document ↔ JSON bytes: a pure codec; `StateFileStore` does the I/O.
public enum StateCodec {
    /// The state file's JSON (`StateJSONWriter`): the engine's values one per line,
    /// `heartbeat_at` among them near the start, then one line per entry and event.
    public static func encode(_ document: StateDocument) -> [UInt8] { StateJSONWriter.encode(document) }

    /// Any value as the state file writes JSON (pretty, keys sorted, slashes plain,
    /// final newline), for the programs' `--json` output too.
    public static func prettyJSON(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain Codable values of strings and numbers cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// Decodes a state file; the error says what was wrong with it.
    public static func decode(_ bytes: [UInt8]) throws(StateFileError) -> StateDocument {
        do {
            return try JSONDecoder().decode(StateDocument.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .malformed(describe(error))
        } catch {
            throw .malformed("\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
            return keys.isEmpty ? "top level" : keys.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\" at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        @unknown default: return "\(error)"
        }
    }
}

/// Why a state file could not be used.
public enum StateFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Missing or unreadable: the engine never ran with this pfile, or another user's folder.
    case unreadable(path: String, reason: String)
    /// Not a psaver state document.
    case malformed(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read state file \(path): \(reason)"
        case .malformed(let reason): "state file is not valid: \(reason)"
        }
    }
}

extension StateCodec {
    /// The new heartbeat when `new` differs from `old` only in the value of
    /// `"heartbeat_at"`, else nil.
    ///
    /// An engine rewrites its state file once per MONITOR_INTERVAL even when
    /// nothing happened; a reader holding many engines can then update one string
    /// instead of decoding the whole document again. Wherever the key stands (first
    /// among the scalars, or after the entries), the rest of both files is compared
    /// whole, eight bytes at a time: a psview over 20 engines of 500 entries compares
    /// some 500 KB a second.
    public static func heartbeatOnlyChange(from old: [UInt8], to new: [UInt8]) -> String? {
        guard let oldValue = heartbeatValueRange(in: old), let newValue = heartbeatValueRange(in: new),
            sameBytes(old[..<oldValue.lowerBound], new[..<newValue.lowerBound]),
            sameBytes(old[oldValue.upperBound...], new[newValue.upperBound...])
        else { return nil }
        return String(decoding: new[newValue], as: UTF8.self)
    }

    /// Whether the two runs of bytes are the same.
    static func sameBytes(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { a in b.withUnsafeBytes { b in sameBytes(a, b) } }
    }

    /// Whether the two runs of bytes are the same, compared eight at a time.
    static func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        var offset = 0
        while offset + 8 <= a.count {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return false }
            offset += 8
        }
        return a[offset...].elementsEqual(b[offset...])
    }

    /// The bytes of the heartbeat string's value (between its quotes).
    static func heartbeatValueRange(in bytes: [UInt8]) -> Range<Int>? {
        let key = Array("\"heartbeat_at\"".utf8)
        guard let keyStart = firstIndex(of: key, in: bytes) else { return nil }
        var index = keyStart + key.count
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            // Only white space and the colon may stand between the key and its value.
            guard bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
        }
        let start = index + 1
        guard start < bytes.count, let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return start..<end
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
