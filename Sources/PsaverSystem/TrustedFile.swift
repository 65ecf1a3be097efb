#if canImport(Glibc)
import Glibc
#endif

/// A file the engine reads or runs but never writes (the pfile, a restart script),
/// reached so that nobody but root and the engine's user can change what its path
/// names (DESIGN §3).
///
/// Checking the file's own owner and mode is not enough: whoever can write in a
/// folder on its path could put another file there after the check, and the engine
/// runs a script by its path when a service dies, long after loading the pfile. So
/// the folder is walked from `/` like a `TrustedDirectory`, stricter: every folder on
/// the way must belong to root or the engine's user and be writable by nobody else
/// unless sticky, as /tmp is. A link, on the way or at the end, is followed only when
/// root or the engine's user made it. The file is then looked at relative to the
/// folder's descriptor, and read from the descriptor its status came from.
public final class TrustedFile {
    /// The path with every link in it followed.
    public let resolvedPath: String
    /// What the file was when it was reached (a link at the end already followed).
    public let status: FileStatus
    /// Held so that `folder`, which it keeps open, stays open while this file is used.
    private let folders: Folders
    private let folder: Int32
    /// Whether `folder` is this file's alone (the walked folders were too many to keep).
    private let ownsFolder: Bool
    private let name: String

    /// Walks to `path` (relative: to the current folder) for the user of `folders`.
    /// Throws `PathRefusal` naming the folder or link that others could change, and
    /// `SystemError` (such as ENOENT) when a folder on the way cannot be opened.
    public init(_ path: String, in folders: Folders) throws {
        var path = path.hasPrefix("/") ? path : FileSystem.absolute(path, relativeTo: FileSystem.currentDirectory())
        var links = 0
        let user = folders.user
        while true {
            let folderPath = FileSystem.directoryName(of: path)
            let name = FileSystem.baseName(of: path)
            let (fd, kept) = try folders.open(folderPath)
            let status: FileStatus
            do {
                status = FileStatus(try Syscalls.statAt(fd, name, followLinks: false))
            } catch {
                if !kept { Syscalls.close(fd) }
                throw error
            }
            guard status.kind == .symbolicLink else {
                self.folders = folders
                self.status = status
                folder = fd
                ownsFolder = !kept
                self.name = name
                resolvedPath = path
                return
            }
            defer { if !kept { Syscalls.close(fd) } }
            guard status.owner == .root || status.owner == user else {
                throw PathRefusal(path, .symbolicLink, fix: """
                    \(PathRefusal.name(status.owner)) made it, and could point it elsewhere: name the file \
                    itself, or let root make the link
                    """)
            }
            links += 1
            guard links <= TrustedDirectory.maximumLinks else { throw SystemError("open", path, code: ELOOP) }
            let target = try Syscalls.readlinkAt(fd, name)
            path = target.hasPrefix("/") ? target : TrustedDirectory.join(folderPath, target)
        }
    }

    deinit { if ownsFolder { Syscalls.close(folder) } }

    /// Whether the calling process's real user may run it.
    public var isExecutable: Bool { Syscalls.accessAt(folder, name, X_OK) }

    /// The whole file, at most `limit` bytes, with the status of the descriptor it
    /// was read from: what `FileSystem.readRegular` reads and refuses, never blocking.
    public func read(what: String, limit: Int64) throws -> (bytes: [UInt8], status: FileStatus) {
        let fd = try Syscalls.openAt(folder, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW)
        defer { Syscalls.close(fd) }
        return try FileSystem.readRegular(opened: fd, resolvedPath, what: what, limit: limit)
    }
}

extension TrustedFile {
    /// The folders walked for one user while loading one pfile, each walked once
    /// however many scripts it holds (10,000 entries may name 10,000 scripts in one
    /// folder), and closed when the last `TrustedFile` in them goes. At most
    /// `kept` are held open, so that scripts in thousands of folders cost no more
    /// descriptors than a few; past that a folder is walked for each file in it.
    public final class Folders {
        public let user: UserID
        private var walked: [String: Result<Int32, any Error>] = [:]
        private var open = 0
        static let kept = 32

        public init(user: UserID) {
            self.user = user
        }

        deinit {
            for case .success(let fd) in walked.values { Syscalls.close(fd) }
        }

        /// The descriptor of the folder at `path`, or what refused it, the same each
        /// time; `kept` is false for one the caller must close.
        func open(_ path: String) throws -> (fd: Int32, kept: Bool) {
            if let known = walked[path] { return (try known.get(), true) }
            let result = Result { try TrustedDirectory.walk(path, user: user, creatingWith: nil, policy: .engineRuns) }
            switch result {
            case .success(let fd) where open >= Self.kept: return (fd, false)
            case .success: open += 1
            case .failure: break
            }
            walked[path] = result
            return (try result.get(), true)
        }
    }
}
