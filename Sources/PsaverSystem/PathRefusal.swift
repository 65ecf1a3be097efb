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

    public init(_ path: String, _ problem: Problem, fix: String) {
        self.path = path
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        let what: String
        switch problem {
        case .symbolicLink:
            what = "\(path) is a symbolic link that neither root nor this engine's user made"
        case .wrongKind(let kind):
            what = "\(path) is \(kind)"
        case .wrongOwner(let owner):
            what = "\(path) belongs to \(Self.name(owner)), not to root or \(Self.name(Identity.effectiveUser))"
        case .writableByOthers(let mode):
            what = "\(path) may be written by other users (mode \(Self.octal(mode)))"
        case .tooLarge(let size, let limit):
            what = "\(path) is \(size) bytes, more than the \(limit) bytes such a file can sanely hold"
        }
        return what + "; " + fix
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
