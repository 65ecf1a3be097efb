public import PsaverSystem

/// The folder of links through which `psview` finds every running engine (DESIGN §5):
/// one symlink per engine, named after its IPCKEY, pointing at its state file.
public struct EngineRegistry: Sendable {
    public let folder: String

    public init(folder: String) { self.folder = folder }

    /// `/run/psaver` for root; `$XDG_RUNTIME_DIR/psaver`, else `/tmp/psaver-UID`, for a user.
    public static func standard(
        user: UserID = Identity.effectiveUser,
        runtimeDirectory: String? = Identity.environment("XDG_RUNTIME_DIR")
    ) -> EngineRegistry {
        if user == .root { return EngineRegistry(folder: "/run/psaver") }
        if let runtimeDirectory, runtimeDirectory.hasPrefix("/") {
            return EngineRegistry(folder: runtimeDirectory + "/psaver")
        }
        return EngineRegistry(folder: "/tmp/psaver-\(user.rawValue)")
    }

    /// The registries a console run by `user` reads: its own, and for a user other than
    /// root also root's `/run/psaver` (world-readable), whose engines it shows read-only.
    public static func visible(
        user: UserID = Identity.effectiveUser,
        runtimeDirectory: String? = Identity.environment("XDG_RUNTIME_DIR")
    ) -> [EngineRegistry] {
        let own = standard(user: user, runtimeDirectory: runtimeDirectory)
        return user == .root ? [own] : [own, standard(user: .root)]
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
