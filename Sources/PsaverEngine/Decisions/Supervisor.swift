public import PsaverConfig
public import PsaverProcessTable
public import PsaverSystem

/// The engine's decisions for every entry: DESIGN §2 as a pure state machine.
///
/// Each event method takes the time as an argument and returns the actions the
/// runtime must perform, in order. It never reads a clock, touches a file or
/// spawns anything, so every rule is tested with a fake clock.
public struct Supervisor: Sendable {
    public internal(set) var trackers: [EntryTracker]
    public internal(set) var params: Params
    /// Set once an `exit` action has been returned; later events are ignored.
    public private(set) var outcome: EngineOutcome?

    public init(pfile: PFile) {
        params = pfile.params
        trackers = pfile.entries.map(EntryTracker.init(entry:))
    }

    /// The tracker of an entry, or nil for an unknown pent_id.
    public func tracker(_ id: PentID) -> EntryTracker? {
        trackers.indices.contains(id.rawValue - 1) ? trackers[id.rawValue - 1] : nil
    }

    // MARK: - Events

    /// Start-up: entries found running are AVAIL; the others are DOWN and
    /// restarted (and counted) straight away, as after a death.
    public mutating func start(found: [PentID: ProcessIdentity], at now: Moment) -> [EngineAction] {
        finish(startEntries(at: Array(trackers.indices), found: found, now: now))
    }

    mutating func startEntries(at indices: [Int], found: [PentID: ProcessIdentity], now: Moment) -> [EngineAction] {
        var actions: [EngineAction] = []
        for index in indices {
            let entry = trackers[index].entry
            if let identity = found[entry.id] {
                actions += becomeAvailable(index, identity, at: now)
            } else {
                actions.append(.log(LogRecord(.notice, "(\(entry.pname)) is not running at start-up",
                                              pentID: entry.id)))
                actions += handleDown(index, at: now)
            }
        }
        return actions
    }

    /// A watched process ended. `successor` is another process that still matches
    /// (the engine rescans before calling), which the entry then follows without a restart.
    public mutating func processExited(
        _ id: PentID, _ identity: ProcessIdentity, successor: ProcessIdentity?, at now: Moment
    ) -> [EngineAction] {
        guard let index = index(of: id), trackers[index].process == identity else { return [] }
        let entry = trackers[index].entry
        if let successor {
            trackers[index].phase = phaseFollowing(trackers[index].phase, to: successor)
            return finish([
                .log(LogRecord(.notice, "(\(entry.pname) ,pid=\(identity.pid)) ended; "
                               + "still running as pid=\(successor.pid)", pentID: id)),
                .watch(id, successor),
            ])
        }
        var actions: [EngineAction] = [
            .log(LogRecord(.error, "Process [\(entry.pname) , pid=\(identity.pid)] Down", pentID: id))
        ]
        if case .fatal = trackers[index].phase {
            trackers[index].phase = .fatal(process: nil)
        } else {
            actions += handleDown(index, at: now)
        }
        return finish(actions)
    }

    /// The result of a /proc pass: the oldest match per entry. Picks up processes
    /// that appeared (after a restart, or started by hand).
    ///
    /// A tracked process missing from the pass is not taken for dead: its watch
    /// (pidfd, or the identity poll) is what reports deaths. A program that rewrites
    /// its argv (`nginx: master process`) stops matching include_strings while it
    /// runs, and restarting it then would start a second instance.
    public mutating func scanned(_ found: [PentID: ProcessIdentity], at now: Moment) -> [EngineAction] {
        var actions: [EngineAction] = []
        for index in trackers.indices {
            let tracker = trackers[index]
            guard let match = found[tracker.entry.id] else { continue }
            switch tracker.phase {
            case .avail:
                break
            case .down, .restarting, .waiting:
                actions += becomeAvailable(index, match, at: now)
            case .fatal(let current):
                if current == nil {
                    trackers[index].phase = .fatal(process: match)
                    actions += [.log(upRecord(tracker.entry, match)), .watch(tracker.entry.id, match)]
                }
            }
        }
        return finish(actions)
    }

    /// The restart script could not be started at all (spawn failed): a failed attempt.
    public mutating func restartScriptFailedToStart(
        _ id: PentID, reason: String, at now: Moment
    ) -> [EngineAction] {
        guard let index = index(of: id) else { return [] }
        trackers[index].scriptRunning = false
        trackers[index].scriptDeadline = nil
        let entry = trackers[index].entry
        var actions: [EngineAction] = [
            .log(LogRecord(.error, "(\(entry.pname)) restart script \(entry.restartScript) "
                           + "could not be started: \(reason)", pentID: id))
        ]
        if case .restarting = trackers[index].phase { actions += handleDown(index, at: now) }
        return finish(actions)
    }

    /// The restart script ended. Success starts the wait for the process; failure
    /// is a failed attempt, unless the process has already appeared.
    ///
    /// Only for the script of the current attempt: the runtime reaps a script it
    /// killed at RESTART_TIMEOUT without reporting it here.
    public mutating func restartScriptEnded(
        _ id: PentID, status: ChildStatus, at now: Moment
    ) -> [EngineAction] {
        guard let index = index(of: id), trackers[index].scriptRunning else { return [] }
        trackers[index].scriptRunning = false
        trackers[index].scriptDeadline = nil
        let entry = trackers[index].entry
        guard case .restarting = trackers[index].phase else {
            let severity: LogRecord.Severity = status.succeeded ? .info : .warning
            return finish([.log(LogRecord(severity, "(\(entry.pname)) restart script ended: \(status)",
                                          pentID: id))])
        }
        if status.succeeded {
            trackers[index].phase = .waiting(deadline: now.monotonic + startWait(entry))
            return finish([.log(LogRecord(.info, "(\(entry.pname)) restart script ended: \(status)",
                                          pentID: id))])
        }
        return finish(
            [.log(LogRecord(.error, "(\(entry.pname)) restart script failed: \(status)", pentID: id))]
                + handleDown(index, at: now))
    }

    /// Time has passed: restart-script timeouts, start_wait expiry and grace resets.
    public mutating func timePassed(at now: Moment) -> [EngineAction] {
        var actions: [EngineAction] = []
        for index in trackers.indices {
            let entry = trackers[index].entry
            if let deadline = trackers[index].scriptDeadline, now.monotonic >= deadline {
                trackers[index].scriptDeadline = nil
                trackers[index].scriptRunning = false
                actions.append(.log(LogRecord(
                    .error, "(\(entry.pname)) restart script timed out after "
                        + "\(Self.seconds(params.restartTimeout)) s; killing its process group",
                    pentID: entry.id)))
                actions.append(.killRestartScript(entry.id))
                if case .restarting = trackers[index].phase { actions += handleDown(index, at: now) }
            }
            switch trackers[index].phase {
            case .waiting(let deadline) where now.monotonic >= deadline:
                actions.append(.log(LogRecord(
                    .error, "(\(entry.pname)) no process appeared within start_wait "
                        + "(\(Self.seconds(startWait(entry))) s) after the restart script ended",
                    pentID: entry.id)))
                actions += handleDown(index, at: now)
            case .avail(_, let since):
                if let grace = entry.grace, trackers[index].retryCount > 0, now.monotonic >= since + grace {
                    trackers[index].retryCount = 0
                    actions += [
                        .log(LogRecord(.notice, "(\(entry.pname)) retry_count reset to 0: up for "
                                       + "the grace period of \(Self.seconds(grace)) s", pentID: entry.id)),
                    ]
                }
            default:
                break
            }
        }
        return finish(actions)
    }

    /// The earliest instant at which `timePassed` has something to do, if any.
    public var nextDeadline: MonotonicInstant? {
        trackers.compactMap { tracker -> MonotonicInstant? in
            var deadlines: [MonotonicInstant] = []
            if let deadline = tracker.scriptDeadline { deadlines.append(deadline) }
            switch tracker.phase {
            case .waiting(let deadline): deadlines.append(deadline)
            case .avail(_, let since):
                if let grace = tracker.entry.grace, tracker.retryCount > 0 { deadlines.append(since + grace) }
            default: break
            }
            return deadlines.min()
        }.min()
    }

    /// Whether some entry waits for its process to appear, so /proc should be
    /// scanned often rather than once per MONITOR_INTERVAL.
    public var isAwaitingProcesses: Bool {
        trackers.contains { tracker in
            switch tracker.phase {
            case .restarting, .waiting: true
            default: false
            }
        }
    }

    // MARK: - Operator requests

    /// Switches monitoring for one entry, or all when `id` is nil. Turning it on
    /// while the process is down starts normal handling at once.
    public mutating func setMonitor(
        _ on: Bool, for id: PentID?, requester: String, at now: Moment
    ) throws(SupervisorError) -> [EngineAction] {
        var actions: [EngineAction] = []
        for index in try indices(for: id) {
            let entry = trackers[index].entry
            let changed = trackers[index].monitorOn != on
            trackers[index].monitorOn = on
            actions.append(.log(LogRecord(
                .notice, "(\(entry.pname)) monitoring \(on ? "on" : "off")"
                    + (changed ? "" : " (already \(on ? "on" : "off"))") + " by \(requester)",
                pentID: entry.id)))
            if on && changed, case .down = trackers[index].phase { actions += handleDown(index, at: now) }
        }
        return finish(actions + [.writeState])
    }

    /// Sets retry_count to 0 for one entry, or all when `id` is nil (restart_count
    /// stays). A FATAL entry becomes live again: AVAIL if its process runs,
    /// otherwise DOWN and restarted at once if monitoring is on.
    public mutating func resetRetryCount(
        for id: PentID?, requester: String, at now: Moment
    ) throws(SupervisorError) -> [EngineAction] {
        var actions: [EngineAction] = []
        for index in try indices(for: id) {
            let entry = trackers[index].entry
            trackers[index].retryCount = 0
            actions.append(.log(LogRecord(.notice, "(\(entry.pname)) retry_count reset to 0 by \(requester)",
                                          pentID: entry.id)))
            if case .fatal(let process) = trackers[index].phase {
                if let process {
                    trackers[index].phase = .avail(process, since: now.monotonic)
                } else {
                    trackers[index].phase = .down
                    actions += handleDown(index, at: now)
                }
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

    // MARK: - Rules

    private mutating func becomeAvailable(
        _ index: Int, _ identity: ProcessIdentity, at now: Moment
    ) -> [EngineAction] {
        let entry = trackers[index].entry
        trackers[index].phase = .avail(identity, since: now.monotonic)
        return [.log(upRecord(entry, identity)), .watch(entry.id, identity)]
    }

    /// The entry has no process (death, missing at start-up, or a failed attempt):
    /// restart it while retries remain, otherwise retry over.
    private mutating func handleDown(_ index: Int, at now: Moment) -> [EngineAction] {
        let entry = trackers[index].entry
        trackers[index].phase = .down
        guard trackers[index].monitorOn else { return [] }
        guard trackers[index].retryCount < entry.retry else { return retryOver(index) }
        trackers[index].retryCount += 1
        trackers[index].restartCount += 1
        trackers[index].rerunTime = now.wall
        trackers[index].phase = .restarting
        trackers[index].scriptRunning = true
        trackers[index].scriptDeadline = now.monotonic + params.restartTimeout
        return [.runRestartScript(entry.id)]
    }

    private mutating func retryOver(_ index: Int) -> [EngineAction] {
        let entry = trackers[index].entry
        trackers[index].phase = .fatal(process: nil)
        let fatal = EngineAction.log(LogRecord(.error, "(\(entry.pname)) FATAL", pentID: entry.id))
        switch entry.retryOverAction {
        case .exit:
            outcome = .retryOver
            return [.log(LogRecord(.error, "(\(entry.pname)) RETRY_OVER:EXIT", pentID: entry.id)), fatal,
                    .writeState, .exit(.retryOver)]
        case .stop:
            return [.log(LogRecord(.error, "(\(entry.pname)) RETRY_OVER:STOP", pentID: entry.id)), fatal]
        case .exec(let path):
            return [.log(LogRecord(.error, "(\(entry.pname)) RETRY_OVER:EXEC", pentID: entry.id)),
                    .runRetryOverScript(entry.id, path: path), fatal]
        }
    }

    private func phaseFollowing(_ phase: EntryTracker.Phase, to successor: ProcessIdentity) -> EntryTracker.Phase {
        switch phase {
        case .avail(_, let since): .avail(successor, since: since)
        default: .fatal(process: successor)
        }
    }

    private func upRecord(_ entry: Entry, _ identity: ProcessIdentity) -> LogRecord {
        LogRecord(.notice, "(\(entry.pname) ,pid=\(identity.pid)) Up", pentID: entry.id)
    }

    private func startWait(_ entry: Entry) -> Duration { entry.startWait ?? params.monitorInterval }

    /// Appends a state write to any non-empty list, and drops everything after an exit.
    private func finish(_ actions: [EngineAction]) -> [EngineAction] {
        if actions.isEmpty { return [] }
        if let exit = actions.firstIndex(where: { if case .exit = $0 { true } else { false } }) {
            return Array(actions[...exit])
        }
        if actions.last == .writeState { return actions }
        return actions.filter { $0 != .writeState } + [.writeState]
    }

    private func index(of id: PentID) -> Int? {
        trackers.indices.contains(id.rawValue - 1) ? id.rawValue - 1 : nil
    }

    private func indices(for id: PentID?) throws(SupervisorError) -> Range<Int> {
        guard let id else { return trackers.indices }
        guard let index = index(of: id) else { throw .unknownEntry(id) }
        return index..<(index + 1)
    }

    static func seconds(_ duration: Duration) -> String {
        let whole = duration.components.seconds
        return Double(whole) == duration.seconds ? String(whole) : String(duration.seconds)
    }
}

/// A request the supervisor refuses.
public enum SupervisorError: Error, Equatable, Sendable {
    case unknownEntry(PentID)
}
