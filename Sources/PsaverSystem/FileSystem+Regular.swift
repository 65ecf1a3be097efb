#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// Reads a file that must be a regular file of at most `limit` bytes.
    ///
    /// Opened `O_NONBLOCK | O_NOCTTY`, so that a FIFO or device planted at the path
    /// is refused at once instead of blocking the reader, and checked with `fstat`
    /// on the open descriptor (no window between check and use). Throws
    /// `PathRefusal` for the wrong kind of file or an absurd size, naming `what`
    /// (such as "state file") in the fix.
    public static func readRegularFile(_ path: String, limit: Int64, what: String) throws -> [UInt8] {
        let fd = try Syscalls.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
        defer { Syscalls.close(fd) }
        let status = FileStatus(try Syscalls.fstat(fd))
        guard status.kind == .regular else {
            throw PathRefusal(path, .wrongKind(PathRefusal.kindName(status.kind)),
                              fix: "a \(what) is a regular file; check the path, and remove whatever is there")
        }
        guard status.size <= limit else {
            throw PathRefusal(path, .tooLarge(size: status.size, limit: limit),
                              fix: "this is not a \(what); check the path")
        }
        var result: [UInt8] = []
        result.reserveCapacity(Int(status.size))
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try Syscalls.read(fd, $0) }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
            // A file that grows while read is held to the same limit.
            guard result.count <= limit else {
                throw PathRefusal(path, .tooLarge(size: Int64(result.count), limit: limit),
                                  fix: "this is not a \(what); check the path")
            }
        }
        return result
    }
}

extension FileSystem {
    /// What is at `path` when it is a socket (links not followed); nil otherwise.
    public static func status(ofSocket path: String) -> FileStatus? {
        guard let status = try? status(of: path, followLinks: false), status.kind == .socket else { return nil }
        return status
    }
}
