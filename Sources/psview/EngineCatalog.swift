import PsaverConsole
import PsaverState
import PsaverSystem

/// The engines psview shows and what it knows about each outside the model: the registry
/// link it came from, its last reading, and whether its pid existed at the last look.
///
/// The registry is the truth for which engines to show: a link that goes (a clean stop,
/// a dismissal from another console) takes its engine off the screen; a link that stays
/// after a retry over or a crash keeps it there, marked, until someone dismisses it.
struct EngineCatalog {
    private struct Known {
        var link: String?
        var reading: StateReading?
        var pid: ProcessID?
        var alive = false
    }

    let source: EngineSource
    let host: String
    private var known: [String: Known] = [:]
    /// Named files the operator dismissed: not shown again in this session.
    private var dismissedFiles: Set<String> = []

    init(source: EngineSource, host: String) {
        self.source = source
        self.host = host
    }

    /// The state files shown.
    var paths: [String] { Array(known.keys) }

    /// The state files to show now: the named ones, or every registered one (once, even
    /// if two registries name it). A link whose engine says it stopped cleanly is left
    /// out (an older engine left it behind); engines that hit retry over or died are
    /// shown. Returns what came and what went.
    mutating func discover() -> (added: [String], removed: [String]) {
        var wanted: [String: String?] = [:]
        switch source {
        case .files(let paths):
            for path in paths where !dismissedFiles.contains(path) { wanted[path] = .some(nil) }
        case .registry(let registries):
            for registry in registries {
                for (link, stateFile) in registry.links() where wanted[stateFile] == nil {
                    wanted[stateFile] = link
                }
            }
        }
        var added: [String] = [], removed: [String] = []
        for path in known.keys where wanted[path] == nil {
            known[path] = nil
            removed.append(path)
        }
        for (path, link) in wanted.sorted(by: { $0.key < $1.key }) where known[path] == nil {
            if link != nil {
                let (reading, _) = StateReader.read(path, host: host, previous: nil)
                if reading?.document.engineSts == .stopped { continue }
            }
            known[path] = Known(link: link)
            added.append(path)
        }
        return (added, removed)
    }

    /// Reads the file again; the model's update, nil for a file not shown.
    mutating func reread(_ path: String) -> ConsoleUpdate? {
        guard var entry = known[path] else { return nil }
        let (reading, liveness) = StateReader.read(path, host: host, previous: entry.reading)
        if let reading {
            entry.reading = reading
            entry.pid = reading.document.pid
            entry.alive = liveness != .gone
        }
        known[path] = entry
        return .engineUpdated(EngineID(path), reading.map { LocaleText.displayed($0.document) }, liveness)
    }

    /// Engines whose pid appeared or vanished since their last reading.
    func enginesWhosePidChanged() -> [String] {
        known.compactMap { path, entry in
            guard let document = entry.reading?.document, document.host == host else { return nil }
            return EngineProcess.runs(document) != entry.alive ? path : nil
        }
    }

    /// Forgets an engine that stopped or died: removes its registry link (only if it still
    /// points at this file). Nil when done, else why not, for the status line.
    mutating func dismiss(_ path: String) -> String? {
        guard let entry = known[path] else { return nil }
        if let link = entry.link {
            guard (try? FileSystem.readLink(link)) == path else {
                known[path] = nil
                return nil  // already replaced or removed
            }
            do {
                try FileSystem.remove(link)
            } catch let error as SystemError
                where error.code == SystemError.permissionDenied || error.code == SystemError.notPermitted
            {
                return "Not dismissed: \(FileSystem.directoryName(of: link)) is not yours to change "
                    + "(only root or the engine's user may dismiss it)."
            } catch {
                return "Not dismissed: cannot remove \(link): \(error)"
            }
        } else {
            dismissedFiles.insert(path)
        }
        known[path] = nil
        return nil
    }
}
