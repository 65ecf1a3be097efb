/// A path the engine or a reader will not use, with what is wrong and the fix.
///
/// Thrown by `TrustedDirectory` and the defensive readers; `description` is one
/// sentence an operator can act on, naming the path.
public struct PathRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// A link that another user made (or any link where none may be).
        case symbolicLink
        /// A FIFO, socket, device or folder where a regular file belongs, or a file where a folder does.
        case wrongKind(String)
        /// Belongs to someone other than the engine's user (or root, for folders).
        case wrongOwner(UserID)
        /// Others could replace what is in it, or write into it.
        case writableByOthers(UInt32)
        /// Bigger than any file of this kind could sanely be.
        case tooLarge(size: Int64, limit: Int64)
    }

    public var path: String
    public var problem: Problem
    /// What to do about it.
    public var fix: String
    /// What the path is for, such as "the state folder (SHM_DUMP_FILE /x/state)".
    public var role: String?

    public init(_ path: String, _ problem: Problem, fix: String) {
        self.path = path
        self.problem = problem
        self.fix = fix
    }

    /// What is wrong, without the path or the fix, where the path is shown beside it
    /// (psview's "unreadable: a FIFO or device, not a regular file").
    public var reason: String {
        switch problem {
        case .symbolicLink: "a symbolic link that neither root nor this engine's user made"
        case .wrongKind(let kind): kind
        case .wrongOwner(let owner): "owned by \(Self.name(owner)), \(Self.notOwners("by"))"
        case .writableByOthers(let mode): "writable by other users (mode \(Self.octal(mode)))"
        case .tooLarge(let size, let limit): "\(size) bytes, more than the \(limit) bytes such a file can sanely hold"
        }
    }

    public var description: String {
        let what: String
        switch problem {
        case .wrongOwner(let owner):
            what = "\(path) belongs to \(Self.name(owner)), \(Self.notOwners("to"))"
        case .writableByOthers(let mode):
            what = "\(path) may be written by other users (mode \(Self.octal(mode)))"
        case .symbolicLink, .wrongKind, .tooLarge:
            what = "\(path) is \(reason)"
        }
        return (role.map { "\($0): " } ?? "") + what + "; " + fix
    }

    /// "not to root", or "not to root or tomcat (uid 1001)" for an ordinary user.
    private static func notOwners(_ preposition: String) -> String {
        let me = Identity.effectiveUser
        return "not \(preposition) root" + (me == .root ? "" : " or \(name(me))")
    }

    /// The same refusal, saying what the path was for.
    public func about(_ role: String) -> PathRefusal {
        var copy = self
        copy.role = role
        return copy
    }

    static func name(_ user: UserID) -> String {
        let name = Identity.userName(of: user)
        return name == user.description ? "uid \(user)" : "\(name) (uid \(user))"
    }

    static func octal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// "a FIFO", "a socket": how a file kind reads in a sentence.
    static func kindName(_ kind: FileStatus.Kind) -> String {
        switch kind {
        case .regular: "a regular file"
        case .directory: "a folder"
        case .symbolicLink: "a symbolic link"
        case .socket: "a socket"
        case .other: "a FIFO or device, not a regular file"
        }
    }
}
