import PsaverState

extension ConsoleModel {
    /// Takes in what the app learned (a state file read, time, a control answer).
    ///
    /// The selection stays on the same entry when rows move; when its entry disappears
    /// the selection moves to the row that took its place.
    ///
    /// Returns false when the screen cannot differ from the one before: a heartbeat of a
    /// running engine that stays running, whose time no open view shows. Each engine
    /// writes one per MONITOR_INTERVAL, so on a quiet host with many engines this is most
    /// updates, and the app need not render for them.
    @discardableResult
    public mutating func apply(_ update: ConsoleUpdate) -> Bool {
        switch update {
        case .engineUpdated(let id, let document, let liveness):
            if let index = engines.firstIndex(where: { $0.id == id }), let document,
                let old = engines[index].document, engines[index].liveness == liveness,
                old.engineSts == document.engineSts, old.entries == document.entries, old.events == document.events
            {
                // A heartbeat: nothing listed changes.
                let before = engines[index].health(at: now)
                engines[index].document = document
                var apartFromTheTime = document
                apartFromTheTime.heartbeatAt = old.heartbeatAt
                // Worst engines first: a heartbeat that ends staleness moves the engine.
                if engines[index].health(at: now).rank != before.rank { rebuildLines() }
                return apartFromTheTime != old || before != .running || engines[index].health(at: now) != .running
                    || showsHeartbeat(of: id)
            }
            var listedAsBefore = false
            if let index = engines.firstIndex(where: { $0.id == id }) {
                let before = engines[index]
                engines[index].liveness = liveness
                if let document { engines[index].document = document }
                listedAsBefore = listsTheSame(before, engines[index])
            } else {
                engines.append(ConsoleEngine(id: id, document: document, liveness: liveness))
                engines.sort { $0.id < $1.id }
            }
            if let document { remember(document.events, of: id) }
            settlePending(of: id)
            // New events alone (a busy engine's rewrites) change no line of the list:
            // no relisting of every entry of every engine for them.
            if listedAsBefore { return true }
        case .engineRemoved(let id), .dismissed(let id, refusal: nil):
            forget(id)
            if case .dismissed = update { statusMessage = "Dismissed engine \(id)." }
        case .dismissed(_, let refusal?):
            statusMessage = refusal
        case .tick(let time):
            // Time changes what the rows say (staleness, the clock), never which rows
            // there are: skip the filter and sort over every entry, once a second.
            now = time
            // Unless an engine went stale (or came back): engines are listed worst first.
            if engines.map({ $0.health(at: now).rank }) != listedRanks { rebuildLines() }
            return true
        case .controlAnswered(let entry, let outcome):
            answered(entry, outcome)
        case .scriptOutput(let entry, let output):
            scriptOutputEntry = entry
            scriptOutput = output
            return true
        case .previousEngine(let engine, let document):
            previousEngines[engine] = document
            return true
        case .actionResult(let message):
            statusMessage = message
        }
        rebuildLines()
        return true
    }

    /// Whether the list would hold the same lines for `new` as for `old`, the same
    /// engine before and after an update: the same entries, health (banners, and
    /// problem ranks in the problems view) and the IPCKEY and pfile the filter looks at.
    private func listsTheSame(_ old: ConsoleEngine, _ new: ConsoleEngine) -> Bool {
        old.document?.entries == new.document?.entries && old.health(at: now) == new.health(at: now)
            && old.document?.ipckey == new.document?.ipckey && old.document?.pfile == new.document?.pfile
    }

    /// Whether an open view shows the engine's heartbeat time: the details of one of its
    /// entries ("state as of …").
    private func showsHeartbeat(of id: EngineID) -> Bool {
        if case .details(let key) = mode { return key.engine == id }
        return false
    }

    private mutating func forget(_ id: EngineID) {
        engines.removeAll { $0.id == id }
        history[id] = nil
        eventLog.removeAll { $0.id == id }
        pending = pending.filter { $0.key.engine != id }
        switch mode {
        case .details(let key) where key.engine == id:
            mode = .normal
        case .confirming(let action) where action.engines.contains(id):
            mode = .normal
            statusMessage = "Engine \(id) went away; nothing sent."
        default:
            break
        }
    }

    /// Adds the events of a new document that psview has not seen yet to the engine's
    /// history. The state file keeps only the last events; the history keeps more.
    private mutating func remember(_ events: [EventRecord], of id: EngineID) {
        var known = history[id] ?? []
        let added: [EventRecord]
        if let last = known.last {
            if let index = events.lastIndex(of: last) {
                added = Array(events[(index + 1)...])
            } else {
                // The ring moved past everything known (a burst, or a new engine with this
                // file): take what is not already there.
                let recent = Set(known.suffix(events.count).map { "\($0.time)\u{1}\($0.text)" })
                added = events.filter { !recent.contains("\($0.time)\u{1}\($0.text)") }
            }
        } else {
            added = events
        }
        guard !added.isEmpty else { return }
        known += added
        if known.count > Self.historyLimit { known.removeFirst(known.count - Self.historyLimit) }
        history[id] = known
        let document = engine(id)?.document
        let name = document?.ipckey ?? id.rawValue
        let pfile = document.map { FileName.short($0.pfile) } ?? ""
        for record in added { insertInLog(ShownEvent(id: id, engine: name, pfile: pfile, record: record)) }
        if eventLog.count > Self.eventLogLimit { eventLog.removeFirst(eventLog.count - Self.eventLogLimit) }
    }

    /// Puts an event in the merged log by time, after any of the same time (events
    /// almost always arrive newest, so this is an append).
    private mutating func insertInLog(_ event: ShownEvent) {
        guard let time = event.time, let lastTime = eventLog.last?.time, time < lastTime else {
            eventLog.append(event)
            return
        }
        var low = 0, high = eventLog.count
        while low < high {
            let middle = (low + high) / 2
            if let other = eventLog[middle].time, other > time { high = middle } else { low = middle + 1 }
        }
        eventLog.insert(event, at: low)
    }

    /// Clears the pending changes of an engine that its new state file confirms, and
    /// those of an engine that can no longer make them. A stale engine may still: one
    /// that was stopped (SIGSTOP) applies the request when it runs again.
    private mutating func settlePending(of id: EngineID) {
        let live = health(of: id).isLive
        for (key, change) in pending where key.engine == id {
            if let record = record(key), change.isConfirmed(by: record) {
                pending[key] = nil
                statusMessage = "Confirmed by the state file: \(Self.confirmation(of: change.command)) for \(describe(key))."
            } else if !live || record(key) == nil {
                pending[key] = nil
                statusMessage = "Not confirmed: the engine of \(describe(key)) is \(health(of: id).word)."
            }
        }
    }

    private mutating func answered(_ entry: EntryKey, _ outcome: ControlOutcome) {
        guard var change = pending[entry] else { return }
        let what = Self.confirmation(of: change.command)
        switch outcome {
        case .accepted:
            change.accepted = true
            pending[entry] = change
            statusMessage = "Accepted, waiting for the state file: \(what) for \(describe(entry))…"
            settlePending(of: entry.engine)
        case .refused(let reason):
            pending[entry] = nil
            statusMessage = "Refused: \(reason) (\(describe(entry)))"
        case .notSent(let reason):
            pending[entry] = nil
            statusMessage = "Not sent: \(reason) (\(describe(entry)))"
        case .noAnswerYet(let seconds):
            statusMessage = "No answer yet after \(seconds) s (\(what) for \(describe(entry))); the engine may "
                + "still apply it. The row shows what the state file says."
        }
    }

    /// `monitoring OFF`, `retry_count reset`: what a change does, for messages.
    static func confirmation(of command: ControlCommand) -> String {
        switch command {
        case .monitor(let on, _): "monitoring \(on ? "ON" : "OFF")"
        case .reset: "retry_count reset"
        }
    }
}
