public import PsaverConfig

/// What an operator asks for through padmin or psview.
extension Supervisor {
    /// Switches monitoring for one entry, or all when `id` is nil. Turning it on
    /// while the process is down starts normal handling at once; turning it off
    /// cancels a pending back-off (a running script is let finish).
    public mutating func setMonitor(
        _ on: Bool, for id: PentID?, requester: String, at now: Moment
    ) throws(SupervisorError) -> [EngineAction] {
        guard outcome == nil else { return [] }
        var actions: [EngineAction] = []
        for index in try indices(for: id) where outcome == nil {
            let entry = trackers[index].entry
            let changed = trackers[index].monitorOn != on
            trackers[index].monitorOn = on
            actions.append(.log(LogRecord(
                .notice, "(\(entry.pname)) monitoring \(on ? "on" : "off")"
                    + (changed ? "" : " (already \(on ? "on" : "off"))") + " by \(requester)",
                pentID: entry.id)))
            guard changed, case .down = trackers[index].phase else { continue }
            if on { trackers[index].nextCause = .monitorOn }
            if on { actions += handleDown(index, at: now) } else { trackers[index].phase = .down(retryAt: nil) }
        }
        return finish(actions + [.writeState])
    }

    /// Sets retry_count to 0 for one entry, or all when `id` is nil (restart_count
    /// stays). A FATAL entry gets a fresh start: AVAIL if its process runs;
    /// otherwise, with monitoring on, one restart attempt at once that retry_count
    /// does not count (so it is granted even with retry 0); if it fails, the usual
    /// rules follow, up to retry over and its action again.
    public mutating func resetRetryCount(
        for id: PentID?, requester: String, at now: Moment
    ) throws(SupervisorError) -> [EngineAction] {
        guard outcome == nil else { return [] }
        var actions: [EngineAction] = []
        for index in try indices(for: id) {
            let entry = trackers[index].entry
            trackers[index].retryCount = 0
            trackers[index].failedAttempts = 0
            actions.append(.log(LogRecord(.notice, "(\(entry.pname)) retry_count reset to 0 by \(requester)",
                                          pentID: entry.id)))
            guard case .fatal(let process) = trackers[index].phase else { continue }
            if let process {
                trackers[index].phase = .avail(EntryTracker.Up(process: process, since: now.monotonic))
            } else {
                trackers[index].phase = .down(retryAt: nil)
                trackers[index].nextCause = .reset
                if trackers[index].monitorOn { actions += startAttempt(index, counted: false, at: now) }
            }
        }
        return finish(actions + [.writeState])
    }

    /// A clean stop (signal or request): the final state, then exit 0.
    public mutating func stop() -> [EngineAction] {
        guard outcome == nil else { return [] }
        outcome = .stopped
        return [.log(LogRecord(.notice, "Stop pcheck!!")), .writeState, .exit(.stopped)]
    }

    private func indices(for id: PentID?) throws(SupervisorError) -> Range<Int> {
        guard let id else { return trackers.indices }
        guard let index = index(of: id) else { throw .unknownEntry(id) }
        return index..<(index + 1)
    }
}
