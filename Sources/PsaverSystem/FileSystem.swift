#if canImport(Glibc)
import Glibc
#endif

/// Typed file operations over `Syscalls`: whole-file reads, atomic replacement,
/// links and directories. Every failure is a `SystemError` naming the path.
public enum FileSystem {
    /// `stat(2)`, or `lstat(2)` when `followLinks` is false.
    /// The corresponding C function is `stat`.
    public static func status(of path: String, followLinks: Bool = true) throws -> FileStatus {
        FileStatus(try Syscalls.stat(path, followLinks: followLinks))
    }

    /// Whether `path` names anything at all (a dangling link counts).
    public static func exists(_ path: String) -> Bool {
        (try? Syscalls.stat(path, followLinks: false)) != nil
    }

    /// Whether the calling user may execute `path`. The corresponding C function is `access`.
    public static func isExecutable(_ path: String) -> Bool { Syscalls.access(path, X_OK) }

    /// Reads a whole file, up to `limit` bytes (files in /proc report size 0, so
    /// this reads until end of file rather than trusting `st_size`).
    /// Opened O_NONBLOCK: a FIFO or device at `path` ends the read at once instead
    /// of blocking the caller (`readRegular` also refuses them).
    public static func readBytes(_ path: String, limit: Int = 16 << 20) throws -> [UInt8] {
        let fd = try Syscalls.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
        defer { Syscalls.close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while result.count < limit {
            let count = try chunk.withUnsafeMutableBytes { buffer in
                try Syscalls.read(fd, buffer)
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<min(count, limit - result.count)])
        }
        return result
    }

    /// Reads a whole file as UTF-8 text (invalid bytes become U+FFFD).
    public static func readText(_ path: String, limit: Int = 16 << 20) throws -> String {
        String(decoding: try readBytes(path, limit: limit), as: UTF8.self)
    }

    /// Replaces `path` atomically: writes a temporary file in the same folder,
    /// sets `permissions`, fsyncs it, then renames it over `path`, so a reader
    /// sees the old content or the new, never half of it.
    public static func replaceAtomically(
        _ path: String, with bytes: [UInt8], permissions: UInt32 = 0o644
    ) throws {
        let temporary = "\(directoryName(of: path))/.\(baseName(of: path)).\(getpid()).tmp"
        // O_EXCL | O_NOFOLLOW: in a folder others can write, a link planted at the
        // temporary name must not make this process write through it.
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
        let fd: Int32
        do {
            fd = try Syscalls.open(temporary, flags, mode_t(permissions))
        } catch let error as SystemError where error.code == EEXIST {
            // Left by an earlier process with the same pid, or planted: remove, then once more.
            try Syscalls.unlink(temporary)
            fd = try Syscalls.open(temporary, flags, mode_t(permissions))
        }
        do {
            defer { Syscalls.close(fd) }
            try Syscalls.fchmod(fd, mode_t(permissions), temporary)
            try writeAll(fd, bytes)
            try Syscalls.fsync(fd, temporary)
        } catch {
            try? Syscalls.unlink(temporary)
            throw error
        }
        do {
            try Syscalls.rename(temporary, path)
        } catch {
            try? Syscalls.unlink(temporary)
            throw error
        }
    }

    /// Appends bytes to an open descriptor, looping over short writes.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = try bytes.withUnsafeBytes { buffer in
                try Syscalls.write(fd, UnsafeRawBufferPointer(rebasing: buffer[offset...]))
            }
            offset += written
        }
    }

    /// The target of a symbolic link. The corresponding C function is `readlink`.
    public static func readLink(_ path: String) throws -> String {
        try Syscalls.readlink(path)
    }

    /// The canonical absolute path, with every link resolved. The corresponding C function is `realpath`.
    public static func resolve(_ path: String) throws -> String {
        try Syscalls.realpath(path)
    }

    /// The names in a folder, without `.` and `..`.
    public static func contents(ofDirectory path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw SystemError("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Creates a folder (and its parents) with `permissions`; an existing folder is fine.
    public static func makeDirectory(_ path: String, permissions: UInt32 = 0o755) throws {
        if let status = try? status(of: path), status.kind == .directory { return }
        let parent = directoryName(of: path)
        if parent != path && !exists(parent) { try makeDirectory(parent, permissions: permissions) }
        do { try Syscalls.mkdir(path, mode_t(permissions)) } catch let error as SystemError where error.code == EEXIST {}
    }

    /// Points a symbolic link at `target`, replacing whatever `path` was.
    public static func link(_ path: String, to target: String) throws {
        let temporary = "\(path).\(getpid()).tmp"
        try? Syscalls.unlink(temporary)
        try Syscalls.symlink(target, temporary)
        try Syscalls.rename(temporary, path)
    }

    /// Removes a file or link; a missing one is fine.
    public static func remove(_ path: String) throws {
        do { try Syscalls.unlink(path) } catch let error as SystemError where error.code == ENOENT {}
    }

    public static func setPermissions(_ path: String, _ permissions: UInt32) throws {
        try Syscalls.chmod(path, mode_t(permissions))
    }

    /// The folder part of a path (`/a/b` → `/a`, `b` → `.`).
    public static func directoryName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of a path.
    public static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `path` made absolute against `base` when it is relative.
    public static func absolute(_ path: String, relativeTo base: String) -> String {
        path.hasPrefix("/") ? path : (base == "/" ? "/" + path : base + "/" + path)
    }

    /// The current working directory.
    public static func currentDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "/" }
        defer { free(cwd) }
        return String(cString: cwd)
    }
}
