#if canImport(Glibc)
import Glibc
#endif

/// An open file descriptor. Closing is explicit: the owner decides when.
public struct FileDescriptor: RawRepresentable, Hashable, Sendable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let standardInput = FileDescriptor(rawValue: 0)
    public static let standardError = FileDescriptor(rawValue: 2)

    /// Opens a file for appending (created 0640 if missing), for logs. With
    /// `followingLinks: false` a symbolic link at `path` is refused (ELOOP), for files
    /// a privileged engine creates in folders others may write.
    public static func openForAppending(_ path: String, followingLinks: Bool = true) throws -> FileDescriptor {
        let flags = O_WRONLY | O_APPEND | O_CREAT | (followingLinks ? 0 : O_NOFOLLOW)
        return FileDescriptor(rawValue: try Syscalls.open(path, flags, 0o640))
    }

    /// The corresponding C function is `close`.
    public func close() { Syscalls.close(rawValue) }

    /// Writes all of `bytes`, looping over short writes.
    public func write(_ bytes: [UInt8]) throws { try FileSystem.writeAll(rawValue, bytes) }

    /// Writes what the descriptor takes now; returns the count written.
    public func writeSome(_ bytes: [UInt8]) throws -> Int {
        try bytes.withUnsafeBytes { try Syscalls.write(rawValue, $0) }
    }

    /// Appends `count` bytes of `source`, from `offset` on, at this descriptor's file
    /// offset: within the kernel where it can (no copy through this process), else
    /// through a 64 KiB buffer (always, with `inKernel` false). Throws EIO when
    /// `source` ends before `count` bytes. The corresponding C function is
    /// `copy_file_range`.
    public func append(_ count: Int, bytesOf source: FileDescriptor, from offset: Int64, inKernel: Bool = true) throws {
        var copied = 0
        var inKernel = inKernel
        var buffer: [UInt8] = []
        while copied < count {
            let position = offset + Int64(copied)
            var done = 0
            if inKernel {
                do {
                    done = try Syscalls.copyFileRange(source.rawValue, at: position, to: rawValue, count: count - copied)
                } catch let error as SystemError where [ENOSYS, EXDEV, EINVAL, EOPNOTSUPP].contains(error.code) {
                    inKernel = false
                    continue
                }
            } else {
                if buffer.isEmpty { buffer = [UInt8](repeating: 0, count: 64 << 10) }
                let wanted = min(buffer.count, count - copied)
                done = try buffer.withUnsafeMutableBytes {
                    try Syscalls.pread(source.rawValue, UnsafeMutableRawBufferPointer(rebasing: $0[..<wanted]), at: position)
                }
                try FileSystem.writeAll(rawValue, Array(buffer[..<done]))
            }
            guard done > 0 else { throw SystemError("copy_file_range", nil, code: EIO) }
            copied += done
        }
    }

    /// Reads what is available, up to `maximum` bytes; empty at end of file.
    /// Throws `SystemError` with EAGAIN on a non-blocking descriptor with nothing to read.
    public func read(maximum: Int = 4096) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        let count = try buffer.withUnsafeMutableBytes { try Syscalls.read(rawValue, $0) }
        return Array(buffer[0..<count])
    }

    /// Makes reads and writes return EAGAIN instead of blocking.
    public func setNonBlocking() throws {
        let flags = fcntl(rawValue, F_GETFL)
        guard flags >= 0, fcntl(rawValue, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw SystemError("fcntl")
        }
    }
}
