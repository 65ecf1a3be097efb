#if canImport(Glibc)
import Glibc
#endif

extension TrustedDirectory {
    /// Links followed on one walk before giving up, as the kernel's own limit does.
    static let maximumLinks = 40

    /// Opens `path` from `/`, one folder at a time, checking each; returns the
    /// descriptor of the last. See the type's documentation for the rules.
    static func walk(_ path: String, user: UserID, creatingWith permissions: UInt32?, shared: Bool) throws -> Int32 {
        var pending = Array(components(of: path).reversed())
        var current = try Syscalls.open("/", O_RDONLY | O_DIRECTORY)
        var currentPath = "/"
        var links = 0
        var created = false
        do {
            try check(current, currentPath, user: user, isTarget: pending.isEmpty, shared: shared, created: false)
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
                            remove it (it may be a trap set by \(PathRefusal.name(status.owner))), or name \
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
                try check(current, currentPath, user: user, isTarget: pending.isEmpty, shared: shared,
                          created: justCreated, permissions: permissions)
            }
        } catch {
            Syscalls.close(current)
            throw error
        }
        return current
    }

    /// One folder on the way: owned by root or `user`; an ancestor (or a shared
    /// parent) may be group-writable, and world-writable only when sticky; the
    /// target may be written by nobody but its owner.
    private static func check(
        _ fd: Int32, _ path: String, user: UserID, isTarget: Bool, shared: Bool, created: Bool,
        permissions: UInt32? = nil
    ) throws {
        var status = FileStatus(try Syscalls.fstat(fd))
        guard status.owner == .root || status.owner == user else {
            throw PathRefusal(path, .wrongOwner(status.owner), fix: isTarget ? """
                another user could replace the files in it. Remove it and let pcheck create it, or run: \
                chown \(PathRefusal.name(user).split(separator: " ").first ?? "") \(path)
                """ : """
                every folder on the way must belong to root or the engine's user, or its owner could \
                redirect what the engine writes. Choose a path through folders root owns
                """)
        }
        if isTarget && created, let permissions, user == status.owner {
            // mkdir's mode went through the umask; the folder gets exactly what was asked.
            try Syscalls.fchmod(fd, mode_t(permissions), path)
            status = FileStatus(try Syscalls.fstat(fd))
        }
        let sticky = status.permissions & 0o1000 != 0
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

    static func components(of path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder == "/" ? "/" + name : folder + "/" + name
    }
}
