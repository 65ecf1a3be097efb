import PsaverState
import PsaverSystem

extension ConsoleLayout {
    /// The entry's history kept beside the state file across engines
    /// (`SHM_DUMP_FILE.history`): its restarts over its whole life, and the events
    /// engines before this one saw (this engine's own are listed above). Nothing when
    /// no history was read.
    static func historyLines(_ entry: EntryKey, model: ConsoleModel, now: WallTime, width: Int) -> [TextLine] {
        guard let history = model.entryHistories[entry.engine], let document = model.engine(entry.engine)?.document,
            let at = document.entries.firstIndex(where: { $0.pentId == entry.pentID })
        else { return [] }
        let record = document.entries[at]
        let key = HistoryKey.keys(of: document.entries)[at]
        let lifetime = history.lifetimeRestarts(of: document)[at]
        var lines = [TextLine(text: "History across engines (\(FileSystem.baseName(of: entry.engine.rawValue)).history)",
                              style: .title)]
        let kept = history.entry(key)
        var summary = "restarts over its life: \(lifetime) (this engine: \(record.restartCount))"
        if let last = kept?.lastRestart ?? record.rerunTime { summary += ", last \(TimeText.full(last))" }
        lines += TextFitting.wrap(summary, to: width - 1, indent: 2).map { TextLine(text: " " + $0) }
        let earlier = (kept?.events ?? []).filter { $0.enginePID != document.pid.rawValue }
        for event in earlier {
            let text = "\(TimeText.event(event.time, now: now)) [pcheck \(event.enginePID)] \(event.text)"
            lines += TextFitting.wrap(text, to: width - 1, indent: 4).map { TextLine(text: " " + $0, style: eventStyle(event.text)) }
        }
        return lines
    }
}
