internal import FoundationEssentials

/// State document ↔ JSON bytes: a pure codec; `StateFileStore` does the I/O.
public enum StateCodec {
    /// Pretty-printed JSON with a final newline, keys in contract order.
    public static func encode(_ document: StateDocument) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain Codable values of strings and numbers cannot fail.
        let data = (try? encoder.encode(document)) ?? Data()
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
