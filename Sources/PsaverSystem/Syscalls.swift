import CPsaverShims
#if canImport(Glibc)
import Glibc
#endif

// Every libc call psaver's Swift code makes goes through here once, retrying on
// EINTR, so that the typed API above never sees a raw -1.

/// Runs `body` until it stops failing with EINTR; returns its result or throws.
@inline(__always)
func retryingInterrupts<T: BinaryInteger>(
    _ call: String, _ subject: String? = nil, _ body: () -> T
) throws -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        if errno == EINTR { continue }
        throw SystemError(call, subject)
    }
}

enum Syscalls {
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) throws -> Int32 {
        try retryingInterrupts("open", path) { Glibc.open(path, flags | O_CLOEXEC, mode) }
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, _ subject: String? = nil) throws -> Int {
        try retryingInterrupts("read", subject) { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Moves the file offset to `offset` bytes from the start.
    static func seek(_ fd: Int32, to offset: Int64, _ subject: String? = nil) throws {
        _ = try retryingInterrupts("lseek", subject) { Glibc.lseek(fd, off_t(offset), SEEK_SET) }
    }

    static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws -> Int {
        try retryingInterrupts("write") { Glibc.write(fd, buffer.baseAddress, buffer.count) }
    }

    static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        try retryingInterrupts("pread") { Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// Copies within the kernel, from `input` at `offset` to `output` at its file offset.
    static func copyFileRange(_ input: Int32, at offset: Int64, to output: Int32, count: Int) throws -> Int {
        try retryingInterrupts("copy_file_range") { psaver_copy_file_range(input, offset, output, count) }
    }

    static func fsync(_ fd: Int32, _ subject: String) throws {
        _ = try retryingInterrupts("fsync", subject) { Glibc.fsync(fd) }
    }

    static func stat(_ path: String, followLinks: Bool) throws -> stat {
        var info = Glibc.stat()
        let flags = followLinks ? 0 : AT_SYMLINK_NOFOLLOW
        _ = try retryingInterrupts(followLinks ? "stat" : "lstat", path) {
            fstatat(AT_FDCWD, path, &info, flags)
        }
        return info
    }

    static func fstat(_ fd: Int32, _ subject: String? = nil) throws -> stat {
        var info = Glibc.stat()
        _ = try retryingInterrupts("fstat", subject) { Glibc.fstat(fd, &info) }
        return info
    }

    static func rename(_ from: String, _ to: String) throws {
        _ = try retryingInterrupts("rename", to) { Glibc.rename(from, to) }
    }

    static func unlink(_ path: String) throws {
        _ = try retryingInterrupts("unlink", path) { Glibc.unlink(path) }
    }

    static func symlink(_ target: String, _ path: String) throws {
        _ = try retryingInterrupts("symlink", path) { Glibc.symlink(target, path) }
    }

    static func mkdir(_ path: String, _ mode: mode_t) throws {
        _ = try retryingInterrupts("mkdir", path) { Glibc.mkdir(path, mode) }
    }

    static func chmod(_ path: String, _ mode: mode_t) throws {
        _ = try retryingInterrupts("chmod", path) { Glibc.chmod(path, mode) }
    }

    static func fchmod(_ fd: Int32, _ mode: mode_t, _ subject: String) throws {
        _ = try retryingInterrupts("fchmod", subject) { Glibc.fchmod(fd, mode) }
    }

    static func readlink(_ path: String) throws -> String {
        // A stack buffer, not a zeroed array: a /proc pass reads one link per
        // process, and zeroing 4 KB for each was an eighth of the pass's work.
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(PATH_MAX) + 1) { buffer in
            let count = try retryingInterrupts("readlink", path) {
                Glibc.readlink(path, buffer.baseAddress!, buffer.count - 1)
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
    }

    static func realpath(_ path: String) throws -> String {
        guard let resolved = Glibc.realpath(path, nil) else { throw SystemError("realpath", path) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func access(_ path: String, _ mode: Int32) -> Bool { Glibc.access(path, mode) == 0 }

    static func kill(_ pid: pid_t, _ signal: Int32) throws {
        _ = try retryingInterrupts("kill", String(pid)) { Glibc.kill(pid, signal) }
    }

    /// Reaps one exited child without blocking: its pid and raw status, or nil.
    static func waitAnyChild() -> (pid: pid_t, status: Int32)? {
        var status: Int32 = 0
        while true {
            let pid = Glibc.waitpid(-1, &status, WNOHANG)
            if pid > 0 { return (pid, status) }
            if pid < 0 && errno == EINTR { continue }
            return nil
        }
    }
}
