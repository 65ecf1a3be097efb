import PsaverSystem

/// The inotify side of psview: watches the folders that hold the state files shown and
/// the registry folder, and turns events into "reread these files" and "rescan the
/// registry".
///
/// Folders, not files: the engine replaces its state file by renaming a new one over it,
/// which a watch on the file would miss. A folder that does not exist yet (or went away)
/// is watched again at the next `retryMissing()`.
final class StateWatcher {
    /// What a batch of events asks for.
    struct Changes {
        var stateFiles: Set<String> = []
        var registry = false
        /// The kernel dropped events: read everything again.
        var everything = false
    }

    let inotify: Inotify
    private var watchedFiles: Set<String> = []
    private var registryFolders: Set<String> = []
    private var watches: [String: Inotify.Watch] = [:]
    private var foldersOfWatch: [Inotify.Watch: Set<String>] = [:]

    init() throws {
        inotify = try Inotify()
    }

    /// Watches the folder of `stateFile` (once per folder).
    func watch(stateFile: String) {
        watchedFiles.insert(stateFile)
        _ = watchFolder(FileSystem.directoryName(of: stateFile))
    }

    /// Stops reading `stateFile` (its engine left the screen); its folder stays watched.
    func forget(stateFile: String) {
        watchedFiles.remove(stateFile)
    }

    /// Watches a registry folder for links coming and going.
    func watchRegistry(_ folder: String) {
        registryFolders.insert(folder)
        _ = watchFolder(folder)
    }

    /// Tries again the folders that are not watched; true when a registry folder has
    /// just become watched (its links may need reading).
    func retryMissing() -> Bool {
        for folder in Set(watchedFiles.map(FileSystem.directoryName(of:))) where watches[folder] == nil {
            _ = watchFolder(folder)
        }
        var registryAppeared = false
        for folder in registryFolders where watches[folder] == nil {
            if watchFolder(folder) { registryAppeared = true }
        }
        return registryAppeared
    }

    /// Sorts a batch of events into the files to reread and whether the registry changed.
    func changes(from events: [Inotify.Event]) -> Changes {
        var changes = Changes()
        for event in events {
            if event.mask.contains(.overflowed) {
                changes.everything = true
                continue
            }
            let folders = foldersOfWatch[event.watch] ?? []
            if event.mask.contains(.watchRemoved) || event.mask.contains(.watchedDeleted)
                || event.mask.contains(.watchedMoved)
            {
                forget(event.watch)
                changes.everything = true
                continue
            }
            for folder in folders {
                if registryFolders.contains(folder) { changes.registry = true }
                let path = folder == "/" ? "/" + event.name : folder + "/" + event.name
                if watchedFiles.contains(path) { changes.stateFiles.insert(path) }
            }
        }
        return changes
    }

    private func watchFolder(_ folder: String) -> Bool {
        guard watches[folder] == nil else { return false }
        guard let watch = try? inotify.addWatch(folder, mask: Inotify.Mask.folderChanges.union(.onlyDirectory))
        else { return false }
        watches[folder] = watch
        foldersOfWatch[watch, default: []].insert(folder)
        return true
    }

    private func forget(_ watch: Inotify.Watch) {
        for folder in foldersOfWatch[watch] ?? [] { watches[folder] = nil }
        foldersOfWatch[watch] = nil
        inotify.removeWatch(watch)
    }
}
