#if canImport(Glibc)
import Glibc
#endif

/// What `stat(2)` says about a file: kind, owner and permission bits.
public struct FileStatus: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case regular, directory, symbolicLink, socket, other }

    public var kind: Kind
    /// The permission bits (`st_mode & 07777`).
    public var permissions: UInt32
    public var owner: UserID
    public var group: UInt32
    public var size: Int64
    public var device: UInt64
    public var inode: UInt64
    /// Modification time in whole seconds since the epoch.
    public var modifiedAt: Int64

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        case S_IFSOCK: kind = .socket
        default: kind = .other
        }
        permissions = UInt32(info.st_mode & 0o7777)
        owner = UserID(info.st_uid)
        group = info.st_gid
        size = Int64(info.st_size)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        modifiedAt = Int64(info.st_mtim.tv_sec)
    }

    public init(kind: Kind, permissions: UInt32, owner: UserID, group: UInt32 = 0) {
        self.kind = kind
        self.permissions = permissions
        self.owner = owner
        self.group = group
        size = 0
        device = 0
        inode = 0
        modifiedAt = 0
    }

    public var isGroupWritable: Bool { permissions & 0o020 != 0 }
    public var isWorldWritable: Bool { permissions & 0o002 != 0 }
}
