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

    /// Reads a regular file of at most `limit` bytes, or its last `limit` bytes when
    /// `tail` is true, for readers of files that others write (state files, logs).
    ///
    /// Opened with `O_NONBLOCK` and checked with `fstat` before any read, so that a FIFO,
    /// a device or a socket placed at `path` is refused at once (`UnreadableFile`)
    /// instead of freezing the reader. A file larger than `limit` is refused unless
    /// `tail`. Other failures are `SystemError`s. The corresponding C functions are
    /// `open`, `fstat`, `lseek` and `read`.
    public static func readRegular(_ path: String, limit: Int, tail: Bool = false) throws -> [UInt8] {
        let fd = try Syscalls.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
        defer { Syscalls.close(fd) }
        let info = try Syscalls.fstat(fd)
        guard info.st_mode & S_IFMT == S_IFREG else { throw UnreadableFile(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        if size > limit {
            guard tail else { throw UnreadableFile(path: path, reason: "larger than \(limit) bytes") }
            guard lseek(fd, off_t(size - limit), SEEK_SET) >= 0 else { throw SystemError("lseek", path) }
        }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while result.count < limit {
            let count = try chunk.withUnsafeMutableBytes { buffer in try Syscalls.read(fd, buffer) }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<min(count, limit - result.count)])
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

/// A file that `FileSystem.readRegular` refuses to read: not a regular file, or too large.
public struct UnreadableFile: Error, Equatable, CustomStringConvertible {
    public var path: String
    /// `not a regular file`, `larger than N bytes`.
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}
