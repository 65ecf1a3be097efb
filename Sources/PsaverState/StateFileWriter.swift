public import PsaverSystem

/// The engine's writer of its state file: whole documents at every change, and
/// heartbeats that leave every entry where it is.
///
/// A heartbeat with nothing else changed writes the file's first bytes with the
/// new time and has the kernel copy the rest from the file written before
/// (`FileDescriptor.append(_:bytesOf:from:)`): no entry is encoded again and no
/// buffer of the file's size is built, so a heartbeat costs the same at 10 and
/// at 10,000 entries but for the kernel's copy. Each file is still a new one,
/// fsync'd and renamed over the old (DESIGN §5). The file written before stays
/// open for this; it holds this engine's own bytes even if the path was removed
/// meanwhile, and a heartbeat then puts the file back.
public struct StateFileWriter {
    public let store: StateFileStore
    private var last: Written?
    /// The state folder as last opened: walked again from `/` only when its path no
    /// longer leads to it (removed, replaced) or a write in it failed.
    private var folder: TrustedDirectory?

    /// The file this writer wrote last, and where its heartbeat value sits.
    private struct Written {
        var file: FileDescriptor
        /// The bytes before the heartbeat's value (a few hundred).
        var head: [UInt8]
        /// The bytes after it, to the end of the file.
        var rest: Range<Int>
    }

    public init(store: StateFileStore) { self.store = store }

    /// Replaces the file with `document` (temporary file, fsync, rename).
    public mutating func write(_ document: StateDocument) throws {
        let bytes = StateCodec.encode(document)
        let file = try replace { try $0.write(bytes) }
        let value = StateCodec.heartbeatValueRange(in: bytes)
        keep(file, head: value.map { Array(bytes[..<$0.lowerBound]) }, rest: value.map { $0.upperBound..<bytes.count })
    }

    /// Replaces the file with the last one written but for its `heartbeat_at`;
    /// false, writing nothing, when there is no such file to copy (write the
    /// whole document instead).
    public mutating func writeHeartbeat(_ time: String) throws -> Bool {
        guard let last, time.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
        else { return false }
        let value = Array(time.utf8)
        let file = try replace { file in
            try file.write(last.head + value)
            try file.append(last.rest.count, bytesOf: last.file, from: Int64(last.rest.lowerBound))
        }
        let restStart = last.head.count + value.count
        keep(file, head: last.head, rest: restStart..<(restStart + last.rest.count))
        return true
    }

    /// Closes the file kept for heartbeats.
    public mutating func close() {
        last?.file.close()
        last = nil
    }

    private mutating func replace(_ write: (FileDescriptor) throws -> Void) throws -> FileDescriptor? {
        if folder?.isInPlace != true { folder = try store.folder() }
        do {
            return try folder?.replace(FileSystem.baseName(of: store.path), permissions: 0o644, keepingOpen: true,
                                       write: write)
        } catch {
            folder = nil
            throw error
        }
    }

    private mutating func keep(_ file: FileDescriptor?, head: [UInt8]?, rest: Range<Int>?) {
        close()
        guard let file else { return }
        guard let head, let rest else {
            file.close()
            return
        }
        last = Written(file: file, head: head, rest: rest)
    }
}
