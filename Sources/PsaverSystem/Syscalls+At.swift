import CPsaverShims
#if canImport(Glibc)
import Glibc
#endif

// The *at(2) family: every path below a folder descriptor, so that a trusted
// folder, once opened, is never looked up by name again.
extension Syscalls {
    static func openAt(_ folder: Int32, _ name: String, _ flags: Int32, _ mode: mode_t = 0) throws -> Int32 {
        try retryingInterrupts("open", name) { Glibc.openat(folder, name, flags | O_CLOEXEC, mode) }
    }

    static func statAt(_ folder: Int32, _ name: String, followLinks: Bool) throws -> stat {
        var info = Glibc.stat()
        _ = try retryingInterrupts("lstat", name) {
            Glibc.fstatat(folder, name, &info, followLinks ? 0 : AT_SYMLINK_NOFOLLOW)
        }
        return info
    }

    /// Whether the real user may `mode` (`X_OK`, …) the file `name` in `folder`.
    static func accessAt(_ folder: Int32, _ name: String, _ mode: Int32) -> Bool {
        Glibc.faccessat(folder, name, mode, 0) == 0
    }

    static func mkdirAt(_ folder: Int32, _ name: String, _ mode: mode_t) throws {
        _ = try retryingInterrupts("mkdir", name) { Glibc.mkdirat(folder, name, mode) }
    }

    static func renameAt(_ folder: Int32, _ from: String, _ to: String) throws {
        _ = try retryingInterrupts("rename", to) { Glibc.renameat(folder, from, folder, to) }
    }

    static func unlinkAt(_ folder: Int32, _ name: String) throws {
        _ = try retryingInterrupts("unlink", name) { Glibc.unlinkat(folder, name, 0) }
    }

    static func symlinkAt(_ target: String, _ folder: Int32, _ name: String) throws {
        _ = try retryingInterrupts("symlink", name) { Glibc.symlinkat(target, folder, name) }
    }

    static func readlinkAt(_ folder: Int32, _ name: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = try retryingInterrupts("readlink", name) {
            Glibc.readlinkat(folder, name, &buffer, buffer.count - 1)
        }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func flock(_ fd: Int32, _ operation: Int32, _ subject: String) throws {
        _ = try retryingInterrupts("flock", subject) { psaver_flock(fd, operation) }
    }
}
