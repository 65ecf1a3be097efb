public import PsaverSystem

/// Reads and writes one state file: the I/O around `StateCodec`.
public struct StateFileStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The control socket that sits beside the state file (DESIGN §6).
    public var socketPath: String { path + ".sock" }

    /// Replaces the file atomically, mode 0644 (temporary file, fsync, rename).
    public func write(_ document: StateDocument) throws {
        try FileSystem.replaceAtomically(path, with: StateCodec.encode(document), permissions: 0o644)
    }

    /// Reads and decodes the file.
    public func read() throws(StateFileError) -> StateDocument {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readBytes(path)
        } catch let error as SystemError {
            throw .unreadable(path: path, reason: error.reason)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        return try StateCodec.decode(bytes)
    }
}
