import PsaverState

extension ConsoleModel {
    /// Recomputes `lines` from the engines, filter and sort, keeps the selection on its
    /// entry (or on the row at the same position; on the first row until the operator
    /// moves), and scrolls it into view.
    ///
    /// Runs at every change of any engine, over every entry of every engine: records are
    /// looked at where they lie and only positions are sorted (a record is a dozen
    /// strings to copy, and 20 engines may list 10,000).
    mutating func rebuildLines() {
        let oldIndex = selectedIndex ?? 0
        var result: [ConsoleLine] = []
        if sortKey.isFlat {
            result = engines.filter { Self.hasBanner($0.health(at: now)) }.map { .banner($0.id) }
            var keyed: [(rank: ProblemRank, key: EntryKey)] = []
            for engine in engines {
                let live = engine.health(at: now).isLive
                let records = engine.document?.entries ?? []
                for index in records.indices where matchesFilter(records[index], of: engine) {
                    keyed.append((ProblemRank(records[index], engineLive: live),
                                  EntryKey(engine: engine.id, pentID: records[index].pentId)))
                }
            }
            // Stable: engines in id order, entries in pent_id order within a rank.
            result += keyed.enumerated().sorted { a, b in
                a.element.rank != b.element.rank ? a.element.rank < b.element.rank : a.offset < b.offset
            }.map { .entry($0.element.key) }
        } else {
            result = groupedLines()
        }
        lines = result
        listedRanks = engines.map { $0.health(at: now).rank }
        let entries = visibleEntries
        if !userMoved {
            selection = entries.first
            scrollOffset = 0
        } else if let selection, entries.contains(selection) {
            // Still listed: keep it.
        } else if entries.isEmpty {
            selection = nil
        } else {
            selection = entries[min(oldIndex, entries.count - 1)]
        }
        scrollSelectionIntoView()
    }

    /// One group per engine, worst engine first: the engines that are not running (retry
    /// over, gone, unreadable, stale, stopped) at the top with their banners and their
    /// problem rows (or their first row, to select them by); then the running engines; then,
    /// under a `.lastRows` heading, the other rows of the engines that are not running. So
    /// every failed engine is on the first screen, however many rows each one has.
    private func groupedLines() -> [ConsoleLine] {
        var top: [ConsoleLine] = [], middle: [ConsoleLine] = [], bottom: [ConsoleLine] = []
        let ordered = engines.enumerated().sorted { a, b in
            let (ra, rb) = (a.element.health(at: now).rank, b.element.health(at: now).rank)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        for engine in ordered {
            let health = engine.health(at: now)
            let records = engine.document?.entries ?? []
            let listed = records.indices.filter { matchesFilter(records[$0], of: engine) }
                .sorted { precedes(records[$0], records[$1]) }
            // A filter hides the engines it leaves empty.
            if listed.isEmpty, !filter.isEmpty { continue }
            let keys = listed.map { EntryKey(engine: engine.id, pentID: records[$0].pentId) }
            guard !health.isLive else {
                middle.append(.engine(engine.id))
                middle += keys.map { .entry($0) }
                continue
            }
            top.append(.engine(engine.id))
            if Self.hasBanner(health) { top.append(.banner(engine.id)) }
            var shown = listed.indices.filter { ProblemRank(records[listed[$0]], engineLive: true).isProblem }
            if shown.isEmpty, !keys.isEmpty { shown = [0] }
            top += shown.map { .entry(keys[$0]) }
            let others = keys.indices.filter { !shown.contains($0) }
            if !others.isEmpty {
                bottom.append(.lastRows(engine.id))
                bottom += others.map { .entry(keys[$0]) }
            }
        }
        return top + middle + bottom
    }

    /// Whether the filter lets this entry through: case-insensitive text in pname,
    /// include_strings, exclude_strings, the proc_sts word, `off` for monitoring off, or
    /// the engine's IPCKEY or pfile.
    func matchesFilter(_ record: EntryRecord, of engine: ConsoleEngine) -> Bool {
        guard !filter.isEmpty else { return true }
        let needle = filter.lowercased()
        var haystack = [record.pname, record.includeStrings, record.excludeStrings, record.procSts.rawValue]
        if record.monitorSts == .off { haystack.append("monitor off") }
        if record.isFlapping { haystack.append("flapping") }
        if let document = engine.document { haystack += [document.ipckey, document.pfile] }
        return haystack.contains { $0.lowercased().contains(needle) }
    }

    /// Whether `a` comes before `b` in `sortKey` order; ties go by pent_id.
    func precedes(_ a: EntryRecord, _ b: EntryRecord) -> Bool {
        switch sortKey {
        case .pentID, .problems:
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

    /// Whether an engine in this health gets a banner: it exited at retry over, or died
    /// without a last word, and the operator should see that until dismissing it.
    static func hasBanner(_ health: EngineHealth) -> Bool {
        health == .retryOver || health == .gone
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
            while top > 0, lines[top - 1].isHeading { top -= 1 }
            if top < scrollOffset { scrollOffset = top }
            if line >= scrollOffset + height { scrollOffset = line - height + 1 }
        }
        scrollOffset = max(0, min(scrollOffset, lines.count - height))
    }
}
