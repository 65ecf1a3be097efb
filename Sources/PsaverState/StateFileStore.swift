public import PsaverSystem

/// Reads and writes one state file: the I/O around `StateCodec`.
public struct StateFileStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The control socket that sits beside the state file (DESIGN §6).
    public var socketPath: String { path + ".sock" }

    /// Where a new engine keeps the final state of a predecessor that ended at retry
    /// over, so that starting again does not erase which entry went FATAL.
    public var previousPath: String { path + ".previous" }

    /// The folder that holds the state file, socket and scripts' output, opened by
    /// the engine's rule (`TrustedDirectory`): created 0755 when missing, which is
    /// also how a state folder deleted under a running engine comes back.
    public func folder() throws -> TrustedDirectory {
        do {
            return try TrustedDirectory(FileSystem.directoryName(of: path), creatingWith: 0o755)
        } catch let refusal as PathRefusal {
            throw refusal.about("the state folder (SHM_DUMP_FILE \(path))")
        }
    }

    /// Replaces the file atomically, mode 0644 (temporary file created O_EXCL in
    /// the trusted folder, fsync, rename), so nothing another user planted is
    /// written through.
    public func write(_ document: StateDocument) throws {
        try folder().replace(FileSystem.baseName(of: path), with: StateCodec.encode(document), permissions: 0o644)
    }

    /// The largest state file a reader accepts: about 350 bytes an entry, so 30,000
    /// entries take some 11 MB; past this it is not a state file.
    public static let maximumSize: Int64 = 64 << 20

    /// A state file as read: its bytes and what they decode to.
    public typealias Reading = StateReading

    /// Reads and decodes the file.
    public func read() throws(StateFileError) -> StateDocument {
        try StateCodec.decode(readBytes())
    }

    /// Reads the file again, decoding only what changed since `previous`
    /// (`StateReading.init(decoding:after:)`).
    public func read(after previous: Reading?) throws(StateFileError) -> Reading {
        try StateReading(decoding: readBytes(), after: previous)
    }

    private func readBytes() throws(StateFileError) -> [UInt8] {
        do {
            return try FileSystem.readRegular(path, what: "state file", limit: Self.maximumSize)
        } catch let refusal as PathRefusal {
            throw .unreadable(path: path, reason: refusal.description)
        } catch let error as SystemError {
            throw .unreadable(path: path, reason: error.reason)
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
    }
}
