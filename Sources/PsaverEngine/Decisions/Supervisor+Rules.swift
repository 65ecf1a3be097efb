import PsaverConfig
import PsaverProcessTable
import PsaverSystem

/// DESIGN §2's rules, shared by the events.
extension Supervisor {
    mutating func becomeAvailable(
        _ index: Int, _ identity: ProcessIdentity, script: Attempt? = nil, at now: Moment
    ) -> [EngineAction] {
        let entry = trackers[index].entry
        trackers[index].phase = .avail(EntryTracker.Up(process: identity, since: now.monotonic, script: script))
        trackers[index].failedAttempts = 0
        return [.log(upRecord(entry, identity)), .watch(entry.id, identity)]
    }

    /// A match found by a pass, whatever the entry was doing.
    mutating func appeared(_ index: Int, _ match: ProcessIdentity, at now: Moment) -> [EngineAction] {
        let entry = trackers[index].entry
        switch trackers[index].phase {
        case .avail:
            return []
        case .down, .waiting:
            return becomeAvailable(index, match, at: now)
        case .restarting(var attempt):
            if attempt.processDied {
                // A newer process than the one that died: the deferred death is moot.
                attempt.processDied = false
            }
            return becomeAvailable(index, match, script: attempt, at: now)
        case .fatal(let current):
            guard current == nil else { return [] }
            trackers[index].phase = .fatal(process: match)
            return [.log(upRecord(entry, match)), .watch(entry.id, match)]
        }
    }

    /// Start-up found the restart script of an engine before this one still running.
    mutating func adopt(_ index: Int, _ adopted: AdoptedScript, at now: Moment) -> [EngineAction] {
        let entry = trackers[index].entry
        trackers[index].retryCount = min(adopted.retryCount, entry.retry)
        trackers[index].restartCount = adopted.restartCount
        let attempt = Attempt(number: adopted.restartCount, script: adopted.script,
                              deadline: now.monotonic + params.restartTimeout)
        trackers[index].phase = .restarting(attempt)
        return [
            .log(LogRecord(.notice, "(\(entry.pname)) restart script pid=\(adopted.script.pid) started by an "
                           + "engine before this one still runs; waiting for it instead of starting another",
                           pentID: entry.id)),
            .watchAdoptedScript(entry.id, attempt: attempt.number, script: adopted.script),
        ]
    }

    /// The entry has no process and no script (a death, missing at start-up, or a
    /// script that ended after its process died): restart it at once while retries
    /// remain, otherwise retry over.
    mutating func handleDown(_ index: Int, at now: Moment) -> [EngineAction] {
        trackers[index].phase = .down(retryAt: nil)
        guard trackers[index].monitorOn else { return [] }
        guard trackers[index].retryCount < trackers[index].entry.retry else { return retryOver(index) }
        return startAttempt(index, at: now)
    }

    /// Starts a restart attempt; `counted` is false for the one an operator's reset
    /// of a FATAL entry grants, which restart_count counts and retry_count does not.
    mutating func startAttempt(_ index: Int, counted: Bool = true, at now: Moment) -> [EngineAction] {
        if counted { trackers[index].retryCount += 1 }
        trackers[index].restartCount += 1
        trackers[index].rerunTime = now.wall
        noteRestart(index, at: now)
        let attempt = Attempt(number: trackers[index].restartCount, deadline: now.monotonic + params.restartTimeout)
        trackers[index].phase = .restarting(attempt)
        return [.runRestartScript(trackers[index].entry.id, attempt: attempt.number)]
    }

    /// Judges an attempt whose script has ended (or could not start, or was given up
    /// on after a kill): the process found means success whatever the script said.
    mutating func judge(
        _ index: Int, _ attempt: Attempt, scriptSucceeded: Bool, found: ProcessIdentity?, at now: Moment
    ) -> [EngineAction] {
        if let found { return becomeAvailable(index, found, at: now) }
        if attempt.processDied { return handleDown(index, at: now) }
        trackers[index].nextCause = attempt.killed ? .scriptTimedOut : .scriptFailed
        if scriptSucceeded {
            trackers[index].phase = .waiting(
                attempt: attempt.number, deadline: now.monotonic + startWait(trackers[index].entry))
            return []
        }
        return failedAttempt(index, at: now)
    }

    /// A failed attempt: another one after a back-off while retries remain, else retry over.
    mutating func failedAttempt(_ index: Int, at now: Moment) -> [EngineAction] {
        trackers[index].failedAttempts += 1
        trackers[index].phase = .down(retryAt: nil)
        guard trackers[index].monitorOn else { return [] }
        let entry = trackers[index].entry
        guard trackers[index].retryCount < entry.retry else { return retryOver(index) }
        let delay = backoff(after: trackers[index].failedAttempts, limit: entry.backoffLimit)
        guard delay > .zero else { return startAttempt(index, at: now) }
        trackers[index].phase = .down(retryAt: now.monotonic + delay)
        return [.log(LogRecord(
            .notice, "(\(entry.pname)) next restart attempt in \(Self.seconds(delay)) s, after "
                + "\(trackers[index].failedAttempts) failed attempt\(trackers[index].failedAttempts == 1 ? "" : "s")",
            pentID: entry.id))]
    }

    /// 1 s after the first failed attempt, doubling, at most `limit`.
    func backoff(after failures: Int, limit: Duration) -> Duration {
        guard failures > 0, limit > .zero else { return .zero }
        var delay = Self.firstBackoff
        for _ in 1..<min(failures, 32) where delay < limit { delay = delay * 2 }
        return min(delay, limit)
    }

    mutating func retryOver(_ index: Int) -> [EngineAction] {
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

    /// retry_count back to 0 when the process has been up for the grace period.
    mutating func resetByGrace(_ index: Int, upSince since: MonotonicInstant, at now: Moment) -> [EngineAction] {
        let entry = trackers[index].entry
        guard let grace = entry.grace, trackers[index].retryCount > 0, now.monotonic >= since + grace else {
            return []
        }
        trackers[index].retryCount = 0
        return [.log(LogRecord(.notice, "(\(entry.pname)) retry_count reset to 0: up for the grace period of "
                               + "\(Self.seconds(grace)) s", pentID: entry.id))]
    }

    /// Whatever of one entry's deadlines has passed by `now`.
    mutating func deadlinesPassed(_ index: Int, found: ProcessIdentity?, at now: Moment) -> [EngineAction] {
        let entry = trackers[index].entry
        switch trackers[index].phase {
        case .restarting(var attempt) where now.monotonic >= attempt.deadline:
            if attempt.killed {
                trackers[index].phase = .restarting(attempt)
                return [.log(LogRecord(.error, "(\(entry.pname)) restart script did not end "
                                       + "\(Self.seconds(Self.killGrace)) s after it was killed; no longer waiting "
                                       + "for it", pentID: entry.id))]
                    + judge(index, attempt, scriptSucceeded: false, found: found, at: now)
            }
            attempt.killed = true
            attempt.deadline = now.monotonic + Self.killGrace
            trackers[index].phase = .restarting(attempt)
            return [
                .log(LogRecord(.error, "(\(entry.pname)) restart script timed out after "
                               + "\(Self.seconds(params.restartTimeout)) s; killing its process group",
                               pentID: entry.id)),
                .killRestartScript(entry.id, attempt: attempt.number, wholeGroup: true),
            ]
        case .waiting(let attempt, let deadline) where now.monotonic >= deadline:
            if attempt == Self.startupGraceAttempt { return startupGraceEnded(index, found: found, at: now) }
            if let found { return becomeAvailable(index, found, at: now) }
            trackers[index].nextCause = .noProcess
            return [.log(LogRecord(.error, "(\(entry.pname)) no process appeared within start_wait "
                                   + "(\(Self.seconds(startWait(entry))) s) after the restart script ended",
                                   pentID: entry.id))]
                + failedAttempt(index, at: now)
        case .down(let retryAt?) where now.monotonic >= retryAt:
            return handleDown(index, at: now)
        case .avail(var up):
            steadyAgain(index, upSince: up.since, at: now)
            var actions = resetByGrace(index, upSince: up.since, at: now)
            if let script = up.script, now.monotonic >= script.deadline {
                if script.killed {
                    up.script = nil
                } else {
                    // The service it started runs and may share its process group: kill the script alone.
                    up.script?.killed = true
                    up.script?.deadline = now.monotonic + Self.killGrace
                    actions += [
                        .log(LogRecord(.warning, "(\(entry.pname)) restart script still runs after "
                                       + "\(Self.seconds(params.restartTimeout)) s though the process is up; "
                                       + "killing the script alone", pentID: entry.id)),
                        .killRestartScript(entry.id, attempt: script.number, wholeGroup: false),
                    ]
                }
                trackers[index].phase = .avail(up)
            }
            return actions
        default:
            return []
        }
    }

    func upRecord(_ entry: Entry, _ identity: ProcessIdentity) -> LogRecord {
        LogRecord(.notice, "(\(entry.pname) ,pid=\(identity.pid)) Up", pentID: entry.id)
    }

    func startWait(_ entry: Entry) -> Duration { entry.startWait ?? params.monitorInterval }
}
