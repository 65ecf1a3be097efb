#if canImport(Glibc)
import Glibc
#endif

/// A folder that only its user (or root) can change, held open by descriptor, and
/// the one way the engine creates and opens the files it owns (DESIGN §3).
///
/// The folder is reached from `/` one component at a time with `openat`: a
/// symbolic link on the way is followed only when root or `user` made it, and
/// every folder on the way must belong to root or `user` and be writable by
/// others only when sticky (as `/tmp` is). The folder itself must belong to root
/// or `user` and be writable by nobody else; a sticky shared folder qualifies
/// only when the caller asks for a parent (`shared: true`), never for a state
/// folder. Files inside are opened relative to the descriptor with `O_NOFOLLOW`
/// and `O_NONBLOCK` (a FIFO can never freeze the engine), checked with `fstat`
/// to be regular files owned by `user`, and created `O_EXCL` when new.
public final class TrustedDirectory {
    public let path: String
    public let user: UserID
    let descriptor: FileDescriptor
    private let identity: (device: UInt64, inode: UInt64)

    /// Opens the folder at `path` (relative: to the current folder) for `user`, creating what is missing
    /// when `permissions` is given (parents 0755, the folder itself `permissions`).
    public init(
        _ path: String, user: UserID = Identity.effectiveUser, creatingWith permissions: UInt32? = nil,
        shared: Bool = false
    ) throws {
        // A relative path is walked from / too, after the current folder, whose own
        // ancestors are then checked like any others.
        let path = FileSystem.absolute(path, relativeTo: FileSystem.currentDirectory())
        self.path = path
        self.user = user
        let fd = try Self.walk(path, user: user, creatingWith: permissions, policy: .engineWrites(shared: shared))
        descriptor = FileDescriptor(rawValue: fd)
        let status = FileStatus(try Syscalls.fstat(fd))
        identity = (status.device, status.inode)
    }

    deinit { descriptor.close() }

    /// `path/name`, for the few calls that need a name (bind, messages).
    public func pathOf(_ name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    /// Whether `path` still names this folder: false once it was deleted or replaced.
    public var isInPlace: Bool {
        guard let status = try? FileSystem.status(of: path, followLinks: false) else { return false }
        return status.kind == .directory && status.device == identity.device && status.inode == identity.inode
    }

    /// What `name` is, without following a link; nil when nothing is there.
    public func status(of name: String) -> FileStatus? {
        (try? Syscalls.statAt(descriptor.rawValue, name, followLinks: false)).map(FileStatus.init)
    }

    // MARK: - Files

    /// Opens `name` for appending, creating it with `permissions` when missing.
    /// Refuses a link, anything but a regular file, and a file another user owns.
    public func openForAppending(_ name: String, permissions: UInt32 = 0o640) throws -> FileDescriptor {
        let flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY
        let fd: Int32
        do {
            fd = try Syscalls.openAt(descriptor.rawValue, name, flags | O_CREAT | O_EXCL, mode_t(permissions))
        } catch let error as SystemError where error.code == EEXIST {
            fd = try openExisting(name, flags)
        }
        let file = FileDescriptor(rawValue: fd)
        do {
            try checkOwnedRegular(file, name)
        } catch {
            file.close()
            throw error
        }
        return file
    }

    /// Replaces `name` atomically: a new temporary file (O_EXCL, never followed),
    /// fsync, then rename over `name` within this folder.
    public func replace(_ name: String, with bytes: [UInt8], permissions: UInt32 = 0o644) throws {
        try replace(name, permissions: permissions, keepingOpen: false) { try FileSystem.writeAll($0.rawValue, bytes) }?
            .close()
    }

    /// Replaces `name` atomically with what `write` puts into the new file, as
    /// `replace(_:with:permissions:)` does. With `keepingOpen`, the new file stays
    /// open for reading and writing and is returned: the caller can copy from it
    /// later without opening a path again.
    public func replace(
        _ name: String, permissions: UInt32 = 0o644, keepingOpen: Bool, write: (FileDescriptor) throws -> Void
    ) throws -> FileDescriptor? {
        let temporary = ".\(name).\(getpid()).tmp"
        let flags = (keepingOpen ? O_RDWR : O_WRONLY) | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK
        let fd: Int32
        do {
            fd = try Syscalls.openAt(descriptor.rawValue, temporary, flags, mode_t(permissions))
        } catch let error as SystemError where error.code == EEXIST {
            // Left by an earlier process with this pid (only this user can write here).
            try Syscalls.unlinkAt(descriptor.rawValue, temporary)
            fd = try Syscalls.openAt(descriptor.rawValue, temporary, flags, mode_t(permissions))
        }
        do {
            try Syscalls.fchmod(fd, mode_t(permissions), pathOf(temporary))
            try write(FileDescriptor(rawValue: fd))
            try Syscalls.fsync(fd, pathOf(temporary))
            if let existing = status(of: name), existing.kind == .directory {
                throw PathRefusal(pathOf(name), .wrongKind("a folder"), fix: "remove it; the engine writes a file there")
            }
            try Syscalls.renameAt(descriptor.rawValue, temporary, name)
        } catch {
            Syscalls.close(fd)
            try? Syscalls.unlinkAt(descriptor.rawValue, temporary)
            throw error
        }
        guard keepingOpen else {
            Syscalls.close(fd)
            return nil
        }
        return FileDescriptor(rawValue: fd)
    }

    /// Removes a file, link or socket; a missing one is fine.
    public func remove(_ name: String) throws {
        do { try Syscalls.unlinkAt(descriptor.rawValue, name) } catch let error as SystemError where error.code == ENOENT {}
    }

    /// Points the link `name` at `target`, replacing whatever was there.
    public func link(_ name: String, to target: String) throws {
        let temporary = ".\(name).\(getpid()).tmp"
        try? Syscalls.unlinkAt(descriptor.rawValue, temporary)
        try Syscalls.symlinkAt(target, descriptor.rawValue, temporary)
        try Syscalls.renameAt(descriptor.rawValue, temporary, name)
    }

    /// Where the link `name` points.
    public func readLink(_ name: String) throws -> String {
        try Syscalls.readlinkAt(descriptor.rawValue, name)
    }

    /// Takes an exclusive `flock` on `name` (created 0600 when missing) without
    /// waiting; nil when another process holds it. The descriptor holds the lock.
    public func lockFile(_ name: String) throws -> FileDescriptor? {
        let file = try openForAppending(name, permissions: 0o600)
        do {
            try Syscalls.flock(file.rawValue, LOCK_EX | LOCK_NB, pathOf(name))
            return file
        } catch let error as SystemError where error.code == EWOULDBLOCK {
            file.close()
            return nil
        } catch {
            file.close()
            throw error
        }
    }

    private func openExisting(_ name: String, _ flags: Int32) throws -> Int32 {
        do {
            return try Syscalls.openAt(descriptor.rawValue, name, flags)
        } catch let error as SystemError where error.code == ELOOP {
            throw PathRefusal(pathOf(name), .symbolicLink, fix: "remove it; the engine never writes through a link")
        } catch let error as SystemError where error.code == ENXIO {
            // O_NONBLOCK | O_WRONLY on a FIFO nobody reads.
            throw PathRefusal(pathOf(name), .wrongKind("a FIFO, not a regular file"), fix: "remove it")
        }
    }

    private func checkOwnedRegular(_ file: FileDescriptor, _ name: String) throws {
        let status = FileStatus(try Syscalls.fstat(file.rawValue))
        guard status.kind == .regular else {
            throw PathRefusal(pathOf(name), .wrongKind(PathRefusal.kindName(status.kind)), fix: "remove it")
        }
        guard status.owner == user else {
            throw PathRefusal(pathOf(name), .wrongOwner(status.owner),
                              fix: "remove it, or chown it to \(PathRefusal.name(user))")
        }
        // Only this user can write in the folder, so a loose mode is an old mistake, not an attack.
        if status.permissions & 0o022 != 0 {
            try Syscalls.fchmod(file.rawValue, mode_t(status.permissions & ~0o022), pathOf(name))
        }
    }
}
