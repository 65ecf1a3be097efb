import PsaverState

extension ConsoleModel {
    /// Takes in what the app learned (a state file read, time, a control answer).
    ///
    /// The selection stays on the same entry when rows move; when its entry disappears
    /// the selection moves to the row that took its place.
    public mutating func apply(_ update: ConsoleUpdate) {
        switch update {
        case .engineUpdated(let id, let document, let liveness):
            if let index = engines.firstIndex(where: { $0.id == id }) {
                engines[index].liveness = liveness
                if let document { engines[index].document = document }
            } else {
                engines.append(ConsoleEngine(id: id, document: document, liveness: liveness))
                engines.sort { $0.id < $1.id }
            }
        case .engineRemoved(let id):
            engines.removeAll { $0.id == id }
            switch mode {
            case .details(let key) where key.engine == id:
                mode = .normal
            case .confirming(let action) where action.entry.engine == id:
                mode = .normal
                statusMessage = "Engine \(id) went away; nothing sent."
            default:
                break
            }
        case .tick(let time):
            // Time changes what the rows say (staleness, the clock), never which rows
            // there are: skip the filter and sort over every entry, once a second.
            now = time
            return
        case .actionResult(let message):
            statusMessage = message
        }
        rebuildLines()
    }

    /// Recomputes `lines` from the engines, filter and sort, keeps the selection on its
    /// entry (or on the row at the same position), and scrolls it into view.
    mutating func rebuildLines() {
        let oldIndex = selectedIndex ?? 0
        var result: [ConsoleLine] = []
        for engine in engines {
            result.append(.engine(engine.id))
            let records = (engine.document?.entries ?? []).filter(matchesFilter)
            for record in sorted(records) {
                result.append(.entry(EntryKey(engine: engine.id, pentID: record.pentId)))
            }
        }
        lines = result
        let entries = visibleEntries
        if let selection, entries.contains(selection) {
            // Still listed: keep it.
        } else if entries.isEmpty {
            selection = nil
        } else {
            selection = entries[min(oldIndex, entries.count - 1)]
        }
        scrollSelectionIntoView()
    }

    /// Whether the filter lets this entry through.
    func matchesFilter(_ record: EntryRecord) -> Bool {
        guard !filter.isEmpty else { return true }
        let needle = filter.lowercased()
        return [record.pname, record.includeStrings, record.excludeStrings].contains {
            $0.lowercased().contains(needle)
        }
    }

    /// The records in `sortKey` order; ties keep pent_id order.
    func sorted(_ records: [EntryRecord]) -> [EntryRecord] {
        records.sorted { a, b in
            switch sortKey {
            case .pentID:
                break
            case .severity:
                let (sa, sb) = (Self.severity(a.procSts), Self.severity(b.procSts))
                if sa != sb { return sa < sb }
            case .pname:
                if a.pname != b.pname { return a.pname < b.pname }
            case .restartCount:
                if a.restartCount != b.restartCount { return a.restartCount > b.restartCount }
            }
            return a.pentId < b.pentId
        }
    }

    /// Rank of a proc_sts, worst first.
    static func severity(_ status: ProcStatus) -> Int {
        switch status {
        case .fatal: 0
        case .hung: 1
        case .down: 2
        case .restarting: 3
        case .waiting: 4
        case .avail: 5
        }
    }

    /// Scrolls so the selected entry is on screen, its group line too when it is the
    /// group's first entry, and no empty space is left below the last line.
    mutating func scrollSelectionIntoView() {
        let height = geometry.listHeight
        if let selection, let line = lines.firstIndex(of: .entry(selection)) {
            var top = line
            if line > 0, case .engine = lines[line - 1] { top = line - 1 }
            if top < scrollOffset { scrollOffset = top }
            if line >= scrollOffset + height { scrollOffset = line - height + 1 }
        }
        scrollOffset = max(0, min(scrollOffset, lines.count - height))
    }
}
