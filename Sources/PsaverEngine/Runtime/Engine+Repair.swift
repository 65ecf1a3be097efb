import PsaverConfig
import PsaverState
import PsaverSystem

extension Engine {
    /// Puts back what the engine owns when it vanished (DESIGN §3), at every
    /// heartbeat and on SIGHUP: the control socket is listened on again, and the
    /// state folder comes back with the next state write (`StateFileStore.folder()`
    /// creates it by the same rule as at start-up).
    func repairOwnedPaths() {
        let key = options.pfile.params.ipcKey.description
        let stateFile = options.pfile.params.stateFile
        // A removed registry link would hide the engine from psview: put it back quietly.
        if !options.registry.isRegistered(ipcKey: key, stateFile: stateFile) {
            try? options.registry.register(ipcKey: key, stateFile: stateFile)
        }
        guard let control, !control.isInPlace else { return }
        do {
            try control.restore(epoll: epoll)
            record(LogRecord(.warning, "the control socket \(control.path) had been removed or replaced; "
                             + "listening on it again"))
        } catch {
            record(LogRecord(.error, "cannot restore the control socket \(control.path): \(error); "
                             + "padmin and psview cannot change this engine until it is back"))
        }
    }

    /// Links the engine into the registry, saying in the log why not when it cannot
    /// (psview would not find it), and names a squatter on the lock's abstract name,
    /// which the lock ignored.
    func registerAtStartUp() {
        let key = options.pfile.params.ipcKey
        if let squatter = lock.squatter {
            record(LogRecord(.warning, "the abstract name psaver/ipckey/\(key) is held by pid \(squatter.pid), "
                             + "uid \(squatter.user), neither root nor this engine's user: ignored (the IPCKEY lock is "
                             + "the flock in \(options.registry.folder))"))
        }
        let preferred = EngineRegistry.standard { _ in true }.folder
        if preferred != options.registry.folder {
            record(LogRecord(.warning, "\(preferred) is not usable (another user made it, or others can write it); "
                             + "the IPCKEY lock and registry link are in \(options.registry.folder) instead"))
        }
        do {
            try options.registry.register(ipcKey: key.description, stateFile: options.pfile.params.stateFile)
        } catch {
            record(LogRecord(.warning, "not registered in \(options.registry.folder), so psview without arguments "
                             + "will not list this engine: \(error)"))
        }
    }

    /// Writes the state file for a change made on request; nil when it is written,
    /// else why not (the change holds in the engine, the file does not show it).
    func recordChange() -> String? {
        do {
            try writeState()
            return nil
        } catch {
            // As flushState does: try again at the next heartbeat, keep monitoring.
            (stateDirty, unsavedSince) = (false, nil)
            nextHeartbeat = .now() + supervisor.params.monitorInterval
            options.log.write(LogRecord(.error, "cannot write the state file: \(error)"))
            return "\(error)"
        }
    }
}
