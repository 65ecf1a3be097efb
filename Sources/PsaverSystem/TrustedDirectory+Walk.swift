#if canImport(Glibc)
import Glibc
#endif

extension TrustedDirectory {
    /// Links followed on one walk before giving up, as the kernel's own limit does.
    static let maximumLinks = 40

    /// How others may write in the folders of a walk.
    enum Policy {
        /// Folders the engine writes in: see the type's documentation. `shared`: the
        /// last folder only holds the engine's folder or file beside others' (a log's
        /// folder), so it may be sticky and writable by all, as /tmp is.
        case engineWrites(shared: Bool)
        /// Folders holding what the engine reads or runs (the pfile, restart scripts):
        /// none may be writable by its group or others unless sticky, because whoever
        /// can write in one could put another file at the path after it was checked.
        case engineRuns
    }

    /// Opens `path` from `/`, one folder at a time, checking each; returns the
    /// descriptor of the last. See the type's documentation for the rules.
    static func walk(_ path: String, user: UserID, creatingWith permissions: UInt32?, policy: Policy) throws -> Int32 {
        var pending = Array(components(of: path).reversed())
        var current = try Syscalls.open("/", O_RDONLY | O_DIRECTORY)
        var currentPath = "/"
        var links = 0
        var created = false
        do {
            try check(current, currentPath, user: user, isTarget: pending.isEmpty, policy: policy, created: false)
            while let name = pending.popLast() {
                let next: Int32
                do {
                    next = try Syscalls.openAt(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
                } catch let error as SystemError where error.code == ENOENT && permissions != nil && !created {
                    // Missing: make it, then open it like any other (a racing link or folder
                    // planted meanwhile is caught by O_NOFOLLOW and the owner check).
                    let mode = pending.isEmpty ? permissions ?? 0o755 : 0o755
                    do { try Syscalls.mkdirAt(current, name, mode_t(mode)) } catch let error as SystemError
                        where error.code == EEXIST {}
                    created = true
                    pending.append(name)
                    continue
                } catch let error as SystemError where error.code == ELOOP || error.code == ENOTDIR {
                    let status = FileStatus(try Syscalls.statAt(current, name, followLinks: false))
                    let here = join(currentPath, name)
                    guard status.kind == .symbolicLink else {
                        throw PathRefusal(here, .wrongKind(PathRefusal.kindName(status.kind)),
                                          fix: "a folder is needed there; remove it or choose another path")
                    }
                    guard status.owner == .root || status.owner == user else {
                        throw PathRefusal(here, .symbolicLink, fix: """
                            \(PathRefusal.name(status.owner)) made it, and it may be a trap: remove it, or name \
                            a path without it
                            """)
                    }
                    links += 1
                    guard links <= maximumLinks else { throw SystemError("open", path, code: ELOOP) }
                    let target = try Syscalls.readlinkAt(current, name)
                    if target.hasPrefix("/") {
                        Syscalls.close(current)
                        current = try Syscalls.open("/", O_RDONLY | O_DIRECTORY)
                        currentPath = "/"
                    }
                    pending.append(contentsOf: components(of: target).reversed())
                    continue
                }
                let justCreated = created
                created = false
                Syscalls.close(current)
                current = next
                currentPath = join(currentPath, name)
                try check(current, currentPath, user: user, isTarget: pending.isEmpty, policy: policy,
                          created: justCreated, permissions: permissions)
            }
        } catch {
            Syscalls.close(current)
            throw error
        }
        return current
    }

    /// One folder on the way: owned by root or `user`. Where the engine writes, an
    /// ancestor (or a shared parent) may be group-writable, and world-writable only
    /// when sticky, and the target may be written by nobody but its owner. Where it
    /// reads or runs, no folder may be writable by others unless sticky.
    private static func check(
        _ fd: Int32, _ path: String, user: UserID, isTarget: Bool, policy: Policy, created: Bool,
        permissions: UInt32? = nil
    ) throws {
        var status = FileStatus(try Syscalls.fstat(fd))
        guard status.owner == .root || status.owner == user else {
            throw PathRefusal(path, .wrongOwner(status.owner), fix: ownerFix(path, user: user, isTarget: isTarget, policy))
        }
        let sticky = status.permissions & 0o1000 != 0
        switch policy {
        case .engineRuns:
            guard status.permissions & 0o022 == 0 || sticky else {
                throw PathRefusal(path, .writableByOthers(status.permissions), fix: """
                    whoever can write in it could put another file in place of what the engine reads and \
                    runs; run: chmod go-w \(path) (or chmod +t, as for /tmp)
                    """)
            }
        case .engineWrites(let shared):
            if isTarget && created, let permissions, user == status.owner {
                // mkdir's mode went through the umask; the folder gets exactly what was asked.
                try Syscalls.fchmod(fd, mode_t(permissions), path)
                status = FileStatus(try Syscalls.fstat(fd))
            }
            if isTarget && !shared {
                guard status.permissions & 0o022 == 0 else {
                    throw PathRefusal(path, .writableByOthers(status.permissions), fix: sticky ? """
                        a shared folder may hold the engine's folder but never be it: give SHM_DUMP_FILE a \
                        folder of its own, such as \(join(path, "psaver"))/NAME
                        """ : "run: chmod go-w \(path)")
                }
            } else if status.permissions & 0o002 != 0 && !sticky {
                throw PathRefusal(path, .writableByOthers(status.permissions), fix: """
                    any user could replace what is in it; run: chmod o-w \(path) (or chmod +t, as for /tmp)
                    """)
            }
        }
    }

    /// What to do about a folder on the way that belongs to another user.
    private static func ownerFix(_ path: String, user: UserID, isTarget: Bool, _ policy: Policy) -> String {
        switch policy {
        case .engineRuns:
            """
            its owner could put another file in place of what the engine reads and runs. Keep the pfile \
            and scripts in folders that root or the engine's user owns, or run: chown root \(path)
            """
        case .engineWrites where isTarget:
            """
            that user could replace the files in it. Remove it (look at what is in it first) and let \
            pcheck create it; or, if it was made for this engine, run: \
            chown \(PathRefusal.name(user).split(separator: " ").first ?? "") \(path)
            """
        case .engineWrites:
            """
            every folder on the way must belong to root or the engine's user, or its owner could \
            redirect what the engine writes. Choose a path through folders root owns
            """
        }
    }

    static func components(of path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder == "/" ? "/" + name : folder + "/" + name
    }
}
