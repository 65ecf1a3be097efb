import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem

/// What an engine before this one, with the same state file, left running.
enum PreviousEngine {
    /// The restart scripts the previous engine recorded as running and that still
    /// run (same pid and start time), by the entry of this pfile that has the same
    /// pname and restart script. Nothing when the file is missing or unreadable, or
    /// when its engine still runs (then the IPCKEY lock has already refused us).
    static func runningScripts(
        stateFile: String, entries: [Entry], table: ProcessTable
    ) -> [PentID: AdoptedScript] {
        guard let document = try? StateFileStore(path: stateFile).read() else { return [:] }
        var adopted: [PentID: AdoptedScript] = [:]
        for record in document.entries {
            guard let script = record.script, script.startTime != 0 else { continue }
            let identity = ProcessIdentity(pid: ProcessID(script.pid), startTime: script.startTime)
            guard table.liveness(of: identity) == .alive,
                let entry = entries.first(where: { $0.pname == record.pname && $0.restartScript == record.restartScript }),
                adopted[entry.id] == nil
            else { continue }
            adopted[entry.id] = AdoptedScript(
                script: identity, retryCount: record.retryCount, restartCount: max(record.restartCount, script.attempt))
        }
        return adopted
    }
}
