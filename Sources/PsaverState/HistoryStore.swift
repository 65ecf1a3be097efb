internal import FoundationEssentials
public import PsaverSystem

/// Reads and writes the history file beside a state file (`SHM_DUMP_FILE.history`), by
/// the state file's rules: replaced atomically in the trusted state folder, mode 0644;
/// read without blocking, a regular file of sane size.
public struct HistoryStore: Sendable {
    public let path: String
    let stateFile: StateFileStore

    /// The history of the engine whose state file is `stateFile`.
    public init(stateFile: String) {
        self.stateFile = StateFileStore(path: stateFile)
        path = stateFile + ".history"
    }

    /// The largest history file a reader accepts.
    public static let maximumSize: Int64 = 64 << 20

    /// Replaces the file (temporary file in the trusted folder, fsync, rename).
    public func write(_ document: HistoryDocument) throws {
        try stateFile.folder().replace(FileSystem.baseName(of: path), with: Self.encode(document), permissions: 0o644)
    }

    /// The history, nil when there is none yet; throws when the file is there but unusable.
    public func read() throws(StateFileError) -> HistoryDocument? {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readRegular(path, what: "history file", limit: Self.maximumSize)
        } catch let error as SystemError where error.code == SystemError.noSuchFile {
            return nil
        } catch let refusal as PathRefusal {
            throw .unreadable(path: path, reason: refusal.description)
        } catch let error as SystemError {
            throw .unreadable(path: path, reason: error.reason)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        return try Self.decode(bytes)
    }

    /// One entry per line, so an operator can grep one whole.
    public static func encode(_ document: HistoryDocument) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json(_ value: some Encodable) -> [UInt8] { Array((try? encoder.encode(value)) ?? Data("null".utf8)) }
        var out = Array("{\"version\":\(document.version),\n\"entries\":[".utf8)
        for (at, entry) in document.entries.enumerated() {
            out += Array((at == 0 ? "\n" : ",\n").utf8) + json(entry)
        }
        out += Array("\n]}\n".utf8)
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws(StateFileError) -> HistoryDocument {
        do {
            return try JSONDecoder().decode(HistoryDocument.self, from: Data(bytes))
        } catch {
            throw .malformed("history file: \(error)")
        }
    }
}
