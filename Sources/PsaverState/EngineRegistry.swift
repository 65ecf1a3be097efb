public import PsaverSystem

/// The folder of links through which `psview` finds every running engine (DESIGN §5):
/// one symlink per engine, named after its IPCKEY, pointing at its state file.
public struct EngineRegistry: Sendable {
    public let folder: String

    public init(folder: String) { self.folder = folder }

    /// `/run/psaver` for root. For a user, the first of `candidates` that is the
    /// user's own (or can be made so): `$XDG_RUNTIME_DIR/psaver`, else
    /// `/tmp/psaver-UID`, else `$HOME/.psaver`. A folder that another user created
    /// first (a squatter in the shared /tmp) is passed over, never written through,
    /// so nobody can stop another user's engine from starting (DESIGN §5); only when
    /// none is usable is the first returned, and the engine says why it can't use it.
    public static func standard(
        user: UserID = Identity.effectiveUser,
        runtimeDirectory: String? = Identity.environment("XDG_RUNTIME_DIR"),
        home: String? = Identity.environment("HOME"),
        usable: (String) -> Bool = EngineRegistry.isUsable
    ) -> EngineRegistry {
        if user == .root { return EngineRegistry(folder: "/run/psaver") }
        let all = candidates(user: user, runtimeDirectory: runtimeDirectory, home: home)
        return all.first { usable($0.folder) } ?? all[0]
    }

    /// Where a user's engine may register, in order of preference.
    public static func candidates(user: UserID, runtimeDirectory: String?, home: String?) -> [EngineRegistry] {
        var folders: [String] = []
        if let runtimeDirectory, runtimeDirectory.hasPrefix("/") { folders.append(runtimeDirectory + "/psaver") }
        folders.append("/tmp/psaver-\(user.rawValue)")
        if let home, home.hasPrefix("/"), home != "/" { folders.append(home + "/.psaver") }
        return folders.map(EngineRegistry.init(folder:))
    }

    /// Whether the engine can keep its lock and links in `folder`: it is, or can be
    /// created as, a folder of the engine's user that nobody else may write.
    public static func isUsable(_ folder: String) -> Bool {
        (try? TrustedDirectory(folder, creatingWith: Identity.effectiveUser == .root ? 0o755 : 0o700)) != nil
    }

    /// The registries a console run by `user` reads: every folder its engines may
    /// register in that belongs to it (or does not exist yet), and for a user other than root also root's
    /// `/run/psaver` (world-readable), whose engines it shows read-only. A folder
    /// someone else made is never read: its links could point anywhere.
    public static func visible(
        user: UserID = Identity.effectiveUser,
        runtimeDirectory: String? = Identity.environment("XDG_RUNTIME_DIR"),
        home: String? = Identity.environment("HOME")
    ) -> [EngineRegistry] {
        if user == .root { return [EngineRegistry(folder: "/run/psaver")] }
        let own = candidates(user: user, runtimeDirectory: runtimeDirectory, home: home).filter {
            // One that does not exist yet may appear when an engine starts; watch it.
            guard let status = try? FileSystem.status(of: $0.folder, followLinks: false) else { return true }
            return status.kind == .directory && status.owner == user
        }
        return own + [EngineRegistry(folder: "/run/psaver")]
    }

    /// Links `IPCKEY` to `stateFile`, creating the folder (0755 for root, 0700 for a
    /// user) by the engine's rule for its own paths (`TrustedDirectory`): a folder
    /// that another user made first, or can write, is refused, never written through.
    public func register(ipcKey: String, stateFile: String) throws {
        let user = Identity.effectiveUser
        try TrustedDirectory(folder, creatingWith: user == .root ? 0o755 : 0o700).link(ipcKey, to: stateFile)
    }

    /// Removes the link, but only if it still points at `stateFile` (a newer engine
    /// with the same key may have replaced it).
    public func unregister(ipcKey: String, stateFile: String) {
        guard let trusted = try? TrustedDirectory(folder) else { return }
        if (try? trusted.readLink(ipcKey)) == stateFile { try? trusted.remove(ipcKey) }
    }

    /// Whether the link for `ipcKey` is there and points at `stateFile`.
    public func isRegistered(ipcKey: String, stateFile: String) -> Bool {
        (try? FileSystem.readLink(linkPath(ipcKey))) == stateFile
    }

    /// The state files of every registered engine, sorted; dangling links are skipped.
    public func stateFiles() -> [String] {
        links().map(\.stateFile)
    }

    /// Every registered engine's link and the state file it points at, sorted by link
    /// name; dangling links are skipped.
    public func links() -> [(link: String, stateFile: String)] {
        let names = (try? FileSystem.contents(ofDirectory: folder)) ?? []
        return names.sorted().compactMap { name in
            let link = "\(folder)/\(name)"
            guard !name.hasPrefix("."), let target = try? FileSystem.readLink(link), FileSystem.exists(target)
            else { return nil }
            return (link, target)
        }
    }

    func linkPath(_ ipcKey: String) -> String { "\(folder)/\(ipcKey)" }
}
