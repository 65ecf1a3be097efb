public import PsaverSystem

/// Whether psaver may trust a file it reads or runs (a pfile, a restart script),
/// judged from its owner and permission bits alone.
///
/// Whoever can change a restart script runs code as the engine's user, and
/// whoever can change the pfile chooses the scripts. So as root a file must be
/// owned by root and writable by nobody else; as an ordinary user it must be
/// owned by that user or root and be neither group- nor world-writable. Pure, so
/// both cases are testable without being root; `PFileLoader` does the `stat`.
public struct FileSafetyRule: Sendable, Equatable {
    /// One reason to refuse a file.
    public enum Problem: Sendable, Equatable {
        /// As root: the file belongs to another user, who could rewrite it.
        case notOwnedByRoot(owner: UserID)
        /// As an ordinary user: the file belongs to neither that user nor root.
        case ownedByAnotherUser(owner: UserID)
        case groupWritable
        case worldWritable
    }

    /// The user the engine runs as.
    public var user: UserID

    public init(runningAs user: UserID) {
        self.user = user
    }

    /// Every reason to refuse a file with `status`; empty when it is safe.
    public func problems(with status: FileStatus) -> [Problem] {
        var result: [Problem] = []
        if user == .root, status.owner != .root {
            result.append(.notOwnedByRoot(owner: status.owner))
        } else if user != .root, status.owner != user, status.owner != .root {
            result.append(.ownedByAnotherUser(owner: status.owner))
        }
        if status.isGroupWritable { result.append(.groupWritable) }
        if status.isWorldWritable { result.append(.worldWritable) }
        return result
    }

    /// One message for all of a file's problems: what is wrong, why psaver
    /// refuses it, and the commands that fix it. `name` reads like
    /// "the restart script"; `ownerName` turns a user id into a login name.
    public func explanation(
        of problems: [Problem], file path: String, named name: String, mode: UInt32,
        ownerName: (UserID) -> String = { "uid \($0)" }
    ) -> String {
        var reasons: [String] = []
        var fixes: [String] = []
        for problem in problems {
            switch problem {
            case .notOwnedByRoot(let owner):
                reasons.append("owned by \(ownerName(owner)) instead of root")
                fixes.append("chown root \(path)")
            case .ownedByAnotherUser(let owner):
                reasons.append("owned by \(ownerName(owner)), who is neither \(ownerName(user)) nor root")
                fixes.append("chown root \(path) (as root), or use a copy you own")
            case .groupWritable:
                reasons.append("writable by its group")
            case .worldWritable:
                reasons.append("writable by every user")
            }
        }
        if problems.contains(.groupWritable) || problems.contains(.worldWritable) {
            fixes.append("chmod go-w \(path)")
        }
        let why = user == .root
            ? "psaver running as root refuses files that anyone but root can change"
            : "psaver refuses files that other users can change"
        let octal = String(mode, radix: 8)
        let modeText = String(repeating: "0", count: max(0, 4 - octal.count)) + octal
        return "\(name) \(path) is \(Self.list(reasons)) (mode \(modeText)); \(why). Fix: "
            + fixes.joined(separator: " and ")
    }

    /// `a`, `a and b`, `a, b and c`.
    private static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }
}
