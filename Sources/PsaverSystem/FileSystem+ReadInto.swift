#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// Reads a whole file into `buffer`, reusing its storage, and returns the byte count.
    ///
    /// Made for scanning `/proc`, where a pass reads two small files of every
    /// process: the buffer is kept between calls (no allocation once it is big
    /// enough), and a read that comes back shorter than the space left is taken as
    /// the end of the file, so a file that fits costs one `read` and no second one
    /// to see end of file. That holds for regular files and for the kernel's
    /// generated files (`stat`, `cmdline`), which hand over all they have up to
    /// the size asked. When a read fills the buffer it doubles, up to `limit`.
    /// The corresponding C functions are `open` and `read`.
    public static func read(_ path: String, into buffer: inout [UInt8], limit: Int = 16 << 20) throws -> Int {
        if buffer.count < 256 { buffer = [UInt8](repeating: 0, count: 4096) }
        let fd = try Syscalls.open(path, O_RDONLY)
        defer { Syscalls.close(fd) }
        var filled = 0
        while true {
            let space = buffer.count - filled
            let count = try buffer.withUnsafeMutableBytes { whole in
                try Syscalls.read(fd, UnsafeMutableRawBufferPointer(rebasing: whole[filled...]))
            }
            filled += count
            if count < space || filled >= limit { return min(filled, limit) }
            buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, limit - buffer.count + 1)))
        }
    }
}
