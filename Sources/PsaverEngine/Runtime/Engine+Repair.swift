import PsaverConfig
import PsaverState
import PsaverSystem

extension Engine {
    /// Puts back what the engine owns when it vanished (DESIGN §3), at every
    /// heartbeat and on SIGHUP: the control socket is listened on again, and the
    /// state folder comes back with the next state write (`StateFileStore.folder()`
    /// creates it by the same rule as at start-up).
    func repairOwnedPaths() {
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

    /// Writes the state file for a change made on request; nil when it is written,
    /// else why not (the change holds in the engine, the file does not show it).
    func recordChange() -> String? {
        do {
            try writeState()
            return nil
        } catch {
            // As flushState does: try again at the next heartbeat, keep monitoring.
            stateDirty = false
            nextHeartbeat = .now() + supervisor.params.monitorInterval
            options.log.write(LogRecord(.error, "cannot write the state file: \(error)"))
            return "\(error)"
        }
    }
}
