#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
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

/// A file that `FileSystem.readRegular` refuses to read: not a regular file, or too large.
public struct UnreadableFile: Error, Equatable, CustomStringConvertible {
    public var path: String
    /// `not a regular file`, `larger than N bytes`.
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}
