import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem

/// What an engine before this one, with the same state file, left running.
enum PreviousEngine {
    /// The restart scripts the previous engine recorded as running and that still
    /// run (same pid and start time), each by the entry of this pfile it belonged to;
    /// after an engine that did not stop cleanly, also those it started but had not
    /// recorded yet, found by the marks every script carries in its environment.
    /// Nothing when the file is missing or unreadable, or when its engine still runs
    /// (then the IPCKEY lock has already refused us).
    static func runningScripts(
        stateFile: String, entries: [Entry], table: ProcessTable
    ) -> [PentID: AdoptedScript] {
        guard let document = try? StateFileStore(path: stateFile).read() else { return [:] }
        let recorded = adopt(document.entries, by: entries) { table.liveness(of: $0) == .alive }
        // An engine that did not stop cleanly may have been killed before it recorded
        // every script it started: look for them by what they carry.
        guard document.engineSts == .running, recorded.count < entries.count else { return recorded }
        return adopt(scriptsByEnvironment(ipcKey: document.ipckey), by: entries, besides: recorded)
    }

    /// Attaches each recorded running script to one entry: entries may share a script
    /// (one `start.sh` for every instance of an application), so a record goes to the
    /// entry that watches the same thing (pname, script, include and exclude strings,
    /// user), the one at the same pent_id first, and never to an entry that already
    /// has a script. Only when no entry watches the same thing (the pfile changed while
    /// no engine ran) does pname and script alone decide.
    static func adopt(
        _ records: [EntryRecord], by entries: [Entry], isAlive: (ProcessIdentity) -> Bool
    ) -> [PentID: AdoptedScript] {
        var adopted: [PentID: AdoptedScript] = [:]
        var loose: [(EntryRecord, ProcessIdentity)] = []
        for record in records {
            guard let script = record.script, script.startTime != 0 else { continue }
            let identity = ProcessIdentity(pid: ProcessID(script.pid), startTime: script.startTime)
            guard isAlive(identity) else { continue }
            let same = entries.filter { adopted[$0.id] == nil && watchesTheSame($0, record) }
            if let entry = same.first(where: { $0.id.rawValue == record.pentId }) ?? same.first {
                adopted[entry.id] = AdoptedScript(record, identity)
            } else {
                loose.append((record, identity))
            }
        }
        for (record, identity) in loose {
            if let entry = entries.first(where: {
                adopted[$0.id] == nil && $0.pname == record.pname && $0.restartScript == record.restartScript
            }) {
                adopted[entry.id] = AdoptedScript(record, identity)
            }
        }
        return adopted
    }

    /// Whether an entry of this pfile is the one a record of the previous engine describes.
    static func watchesTheSame(_ entry: Entry, _ record: EntryRecord) -> Bool {
        entry.pname == record.pname && entry.restartScript == record.restartScript
            && entry.includeStringsText == record.includeStrings
            && entry.excludeStrings.joined(separator: "&") == record.excludeStrings && entry.user == record.user
    }
}

extension AdoptedScript {
    init(_ record: EntryRecord, _ script: ProcessIdentity) {
        self.init(script: script, retryCount: record.retryCount,
                  restartCount: max(record.restartCount, record.script?.attempt ?? 0))
    }
}
