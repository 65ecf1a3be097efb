#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// Whether a reader goes through a symbolic link at the last component of its path.
    public enum LinkRule: Sendable {
        /// For files that psaver writes (state files, `.previous`, scripts' output, logs),
        /// which are never links: a link there was planted, and is refused.
        case refuse
        /// For paths an operator names, such as the pfile given with `-f` or a state
        /// file given to psview, which may well be links.
        case follow
    }

    /// Reads a regular file of at most `limit` bytes, or with `tail` its last `limit`
    /// bytes, without ever blocking: the one reader for files that someone else may
    /// have replaced (pfiles, state files, logs).
    ///
    /// Opened `O_NONBLOCK | O_NOCTTY` (and `O_NOFOLLOW` unless `links` is `.follow`) and
    /// checked with `fstat` on the open descriptor, so a FIFO, device or socket put at
    /// `path` is refused at once instead of freezing the reader, with no window between
    /// check and use. A file larger than `limit` is refused unless `tail`, and one that
    /// grows past `limit` while read is held to it too. Refusals are `PathRefusal`s that
    /// name `path` and say what a `what` (such as "state file") should be; failed calls
    /// are `SystemError`s naming `path`. The corresponding C functions are `open`,
    /// `fstat`, `lseek` and `read`.
    public static func readRegular(
        _ path: String, what: String, limit: Int64, tail: Bool = false, links: LinkRule = .refuse
    ) throws -> [UInt8] {
        let fd: Int32
        do {
            fd = try Syscalls.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | (links == .refuse ? O_NOFOLLOW : 0))
        } catch let error as SystemError where error.code == ELOOP && links == .refuse {
            throw PathRefusal(path, .wrongKind("a symbolic link"),
                              fix: "a \(what) is never read through a link; check the path, and remove the link")
        }
        defer { Syscalls.close(fd) }
        return try readRegular(opened: fd, path, what: what, limit: limit, tail: tail).bytes
    }

    /// `readRegular` on a descriptor already open for reading, with the status the
    /// checks were made on (`TrustedFile` opens its own).
    static func readRegular(
        opened fd: Int32, _ path: String, what: String, limit: Int64, tail: Bool = false
    ) throws -> (bytes: [UInt8], status: FileStatus) {
        let status = FileStatus(try Syscalls.fstat(fd, path))
        guard status.kind == .regular else {
            throw PathRefusal(path, .wrongKind(PathRefusal.kindName(status.kind)),
                              fix: "a \(what) is a regular file; check the path, and remove whatever is there")
        }
        func tooLarge(_ size: Int64) -> PathRefusal {
            PathRefusal(path, .tooLarge(size: size, limit: limit), fix: "this is not a \(what); check the path")
        }
        if status.size > limit {
            guard tail else { throw tooLarge(status.size) }
            try Syscalls.seek(fd, to: status.size - limit, path)
        }
        var result: [UInt8] = []
        result.reserveCapacity(Int(min(status.size, limit)))
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try Syscalls.read(fd, $0, path) }
            if count == 0 { break }
            // A file that grows while read is held to the same limit: a tail ends there.
            guard Int64(result.count + count) <= limit else {
                guard tail else { throw tooLarge(Int64(result.count + count)) }
                result.append(contentsOf: chunk[0..<(Int(limit) - result.count)])
                break
            }
            result.append(contentsOf: chunk[0..<count])
        }
        return (result, status)
    }
}

extension FileSystem {
    /// What is at `path` when it is a socket (links not followed); nil otherwise.
    public static func status(ofSocket path: String) -> FileStatus? {
        guard let status = try? status(of: path, followLinks: false), status.kind == .socket else { return nil }
        return status
    }
}
