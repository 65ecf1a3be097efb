import PsaverState
import PsaverSystem

extension Engine {
    /// After a whole state write: keeps the restart history beside the state file up to
    /// date (`EngineHistory`). After a heartbeat (`document` nil) only writes what waits.
    /// A failure is logged and monitoring goes on; the history is tried again later.
    func keepHistory(_ document: StateDocument?) {
        if let document {
            history.absorb(document) { record(LogRecord(.warning, $0)) }
        }
        do {
            try history.flush(force: finished != nil)
        } catch {
            options.log.write(LogRecord(.error, "cannot write the restart history \(history.store.path): \(error)"))
        }
    }
}
