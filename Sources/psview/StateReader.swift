import PsaverConsole
import PsaverState
import PsaverSystem

/// Reads one engine's state file and says how the engine is, for `ConsoleUpdate.engineUpdated`.
enum StateReader {
    /// The document (nil when unreadable) and the liveness: `.gone` when the engine's pid
    /// no longer exists on this host. A file written on another host (shared storage)
    /// is judged by its heartbeat alone, which the console does at each tick.
    ///
    /// `previous` is the last reading of the same file: a rewrite that only moved the
    /// heartbeat (once per MONITOR_INTERVAL per engine) then costs no JSON decode.
    static func read(
        _ path: String, host: String, previous: StateFileStore.Reading?
    ) -> (StateFileStore.Reading?, EngineLiveness) {
        let reading: StateFileStore.Reading
        do {
            reading = try StateFileStore(path: path).read(after: previous)
        } catch .unreadable(_, let reason) {
            return (nil, .unreadable(reason))
        } catch {
            return (nil, .unreadable("\(error)"))
        }
        return (reading, liveness(of: reading.document, host: host))
    }

    static func liveness(of document: StateDocument, host: String) -> EngineLiveness {
        if document.host != host { return .running }
        return StateFreshness.processExists(document.pid) ? .running : .gone
    }
}
