public import PsaverConfig
public import PsaverProcessTable
public import PsaverSystem

/// The engine's decisions for every entry: DESIGN §2 as a pure state machine.
///
/// Each event method takes the time as an argument and returns the actions the
/// runtime must perform, in order. It never reads a clock, touches a file or
/// spawns anything, so every rule is tested with a fake clock. Once an exit has
/// been decided, every event is ignored: nothing happens after it.
public struct Supervisor: Sendable {
    public internal(set) var trackers: [EntryTracker] {
        didSet { revision &+= 1 }
    }
    /// Moves on at every change to an entry, so that a caller can keep what it derived
    /// from the trackers (`nextDeadline`) until the next change instead of looking
    /// at every entry on every loop turn.
    public private(set) var revision: UInt64 = 0
    public internal(set) var params: Params
    /// Set once an `exit` action has been returned; later events are ignored.
    public internal(set) var outcome: EngineOutcome?
    /// Entries a reload removed while their restart script ran (Supervisor+Identity).
    var departed: [EntryTracker] = []

    /// How long a killed script may take to be reaped before the attempt is judged
    /// without it (a script stuck in uninterruptible sleep must not block the entry).
    public static let killGrace: Duration = .seconds(5)
    /// The first wait after a failed attempt; it doubles up to the entry's backoff.
    /// Seconds, not milliseconds: a script that fails at once because the dead
    /// process is not reaped yet (a zombie holding a lock file) must not spend
    /// every retry before the reaper comes (1 s, 2 s, 4 s, … with the default 10 s).
    public static let firstBackoff: Duration = .seconds(1)

    public init(pfile: PFile) {
        params = pfile.params
        trackers = pfile.entries.map(EntryTracker.init(entry:))
    }

    /// The tracker of an entry, or nil for an unknown pent_id.
    public func tracker(_ id: PentID) -> EntryTracker? {
        index(of: id).map { trackers[$0] }
    }

    // MARK: - Events

    /// Start-up: entries found running are AVAIL; an entry whose restart script an
    /// engine before this one left running waits for that script; the others are
    /// DOWN and restarted (and counted) straight away, as after a death, or with a
    /// `startupGrace` first wait that long for their process (Supervisor+StartupGrace).
    public mutating func start(
        found: [PentID: ProcessIdentity], adopted: [PentID: AdoptedScript] = [:], startupGrace: Duration = .zero,
        at now: Moment
    ) -> [EngineAction] {
        guard outcome == nil else { return [] }
        return finish(startEntries(at: Array(trackers.indices), found: found, adopted: adopted,
                                   startupGrace: startupGrace, now: now))
    }

    mutating func startEntries(
        at indices: [Int], found: [PentID: ProcessIdentity], adopted: [PentID: AdoptedScript] = [:],
        startupGrace: Duration = .zero, now: Moment
    ) -> [EngineAction] {
        var actions: [EngineAction] = []
        for index in indices where outcome == nil {
            let entry = trackers[index].entry
            if let identity = found[entry.id] {
                actions += becomeAvailable(index, identity, at: now)
            } else if let script = adopted[entry.id] {
                actions += adopt(index, script, at: now)
            } else {
                actions.append(.log(LogRecord(.notice, "(\(entry.pname)) is not running at start-up",
                                              pentID: entry.id)))
                trackers[index].nextCause = .missingAtStart
                actions += startupGrace > .zero ? awaitAtStartUp(index, grace: startupGrace, at: now)
                    : handleDown(index, at: now)
            }
        }
        return actions
    }

    /// A watched process ended. `successor` is another process that still matches
    /// and runs as the same user (the runtime looks before calling), which the entry
    /// then follows without a restart.
    public mutating func processExited(
        _ id: PentID, _ identity: ProcessIdentity, successor: ProcessIdentity?, at now: Moment
    ) -> [EngineAction] {
        guard outcome == nil, let index = index(of: id), trackers[index].process == identity else { return [] }
        let entry = trackers[index].entry
        if let successor {
            switch trackers[index].phase {
            case .avail(var up):
                up.process = successor
                up.stalledSince = nil
                up.hung = false
                trackers[index].phase = .avail(up)
            default:
                trackers[index].phase = .fatal(process: successor)
            }
            return finish([
                .log(LogRecord(.notice, "(\(entry.pname) ,pid=\(identity.pid)) ended; "
                               + "still running as pid=\(successor.pid)", pentID: id)),
                .watch(id, successor),
            ])
        }
        var actions: [EngineAction] = [
            .log(LogRecord(.error, "Process [\(entry.pname) , pid=\(identity.pid)] Down", pentID: id))
        ]
        switch trackers[index].phase {
        case .fatal:
            trackers[index].phase = .fatal(process: nil)
        case .avail(let up):
            // Grace is judged at the time of the death, whatever else the loop turn holds.
            actions += resetByGrace(index, upSince: up.since, at: now)
            trackers[index].nextCause = up.hung
                ? .hung(seconds: Int((now.monotonic - (up.stalledSince ?? now.monotonic)).components.seconds)) : .died
            if var attempt = up.script {
                // At most one script per entry: this death waits for it to end.
                attempt.processDied = true
                trackers[index].phase = .restarting(attempt)
                actions.append(.log(LogRecord(
                    .notice, "(\(entry.pname)) its restart script still runs; the restart waits for it to end",
                    pentID: id)))
            } else {
                actions += handleDown(index, at: now)
            }
        default:
            break
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
        guard outcome == nil else { return [] }
        var actions: [EngineAction] = []
        for index in trackers.indices {
            guard let match = found[trackers[index].entry.id] else { continue }
            actions += appeared(index, match, at: now)
        }
        return finish(actions)
    }

    /// The runtime has spawned the script of `attempt`.
    public mutating func restartScriptStarted(
        _ id: PentID, attempt number: Int, script: ProcessIdentity, at now: Moment
    ) -> [EngineAction] {
        guard outcome == nil, let index = index(of: id) else { return [] }
        switch trackers[index].phase {
        case .restarting(var attempt) where attempt.number == number:
            attempt.script = script
            trackers[index].phase = .restarting(attempt)
        case .avail(var up) where up.script?.number == number:
            up.script?.script = script
            trackers[index].phase = .avail(up)
        default:
            return []
        }
        return finish([.writeState])
    }

    /// The script of `attempt` could not be started at all: a failed attempt, unless
    /// the process runs after all (`found`, looked up by the runtime).
    public mutating func restartScriptFailedToStart(
        _ id: PentID, attempt number: Int, reason: String, found: ProcessIdentity?, at now: Moment
    ) -> [EngineAction] {
        guard outcome == nil, let index = index(of: id) else { return [] }
        let entry = trackers[index].entry
        let line = LogRecord(.error, "(\(entry.pname)) restart script \(entry.restartScript) "
                             + "could not be started: \(reason)", pentID: id)
        switch trackers[index].phase {
        case .restarting(let attempt) where attempt.number == number:
            return finish([.log(line)] + judge(index, attempt, scriptSucceeded: false, found: found, at: now))
        case .avail(var up) where up.script?.number == number:
            up.script = nil
            trackers[index].phase = .avail(up)
            return finish([.log(line)])
        default:
            return []
        }
    }

    /// The script of `attempt` ended (`status` nil when unknown: a script adopted
    /// from an engine before this one). The attempt is judged only after a look for
    /// the process (`found`): a script may start the service and still exit non-zero.
    public mutating func restartScriptEnded(
        _ id: PentID, attempt number: Int, status: ChildStatus?, found: ProcessIdentity?, at now: Moment
    ) -> [EngineAction] {
        guard outcome == nil, let index = index(of: id) else { return [] }
        let entry = trackers[index].entry
        let described = status.map(\.description) ?? "status unknown (started by an engine before this one)"
        switch trackers[index].phase {
        case .avail(var up) where up.script?.number == number:
            up.script = nil
            trackers[index].phase = .avail(up)
            let severity: LogRecord.Severity = status?.succeeded == false ? .warning : .info
            return finish([.log(LogRecord(severity, "(\(entry.pname)) restart script ended: \(described); "
                                          + "the process runs", pentID: id))])
        case .restarting(let attempt) where attempt.number == number:
            let succeeded = status?.succeeded ?? true
            let severity: LogRecord.Severity = succeeded ? .info : (found == nil ? .error : .warning)
            let verb = succeeded ? "ended" : "failed"
            let line = LogRecord(severity, "(\(entry.pname)) restart script \(verb): \(described)"
                                 + (found != nil && !succeeded ? "; the process runs, so the restart succeeded" : ""),
                                 pentID: id)
            return finish([.log(line)] + judge(index, attempt, scriptSucceeded: succeeded, found: found, at: now))
        default:
            return []
        }
    }

    /// The entries for which `timePassed(at:found:)` will judge an attempt (start_wait
    /// over, a killed script never reaped): the runtime looks for their processes first.
    public func judgementsDue(at now: Moment) -> [PentID] {
        trackers.compactMap { tracker in
            switch tracker.phase {
            case .waiting(_, let deadline) where now.monotonic >= deadline: tracker.entry.id
            case .restarting(let attempt) where attempt.killed && now.monotonic >= attempt.deadline:
                tracker.entry.id
            default: nil
            }
        }
    }

    /// Time has passed: script timeouts, start_wait expiry, the end of a back-off,
    /// and grace resets. `found` holds the processes of `judgementsDue` entries.
    public mutating func timePassed(at now: Moment, found: [PentID: ProcessIdentity] = [:]) -> [EngineAction] {
        guard outcome == nil else { return [] }
        var actions: [EngineAction] = []
        for index in trackers.indices where outcome == nil {
            actions += deadlinesPassed(index, found: found[trackers[index].entry.id], at: now)
        }
        return finish(actions)
    }

    /// What a look at the watched processes' scheduler states found (for entries
    /// with `stall=`): a process stopped or in uninterruptible sleep too long is hung.
    public mutating func observed(
        _ states: [PentID: (ProcessIdentity, ProcessRecord.State)], at now: Moment
    ) -> [EngineAction] {
        guard outcome == nil else { return [] }
        var actions: [EngineAction] = []
        for (id, (identity, state)) in states.sorted(by: { $0.key < $1.key }) {
            guard let index = index(of: id), let stall = trackers[index].entry.stall,
                case .avail(var up) = trackers[index].phase, up.process == identity, !up.hung
            else { continue }
            guard state.isStalled else {
                up.stalledSince = nil
                trackers[index].phase = .avail(up)
                continue
            }
            let since = up.stalledSince ?? now.monotonic
            up.stalledSince = since
            if now.monotonic - since >= stall {
                up.hung = true
                let entry = trackers[index].entry
                actions += [
                    .log(LogRecord(.error, "(\(entry.pname) ,pid=\(identity.pid)) hung: "
                                   + "\(state.stallDescription) for \(Self.seconds(now.monotonic - since)) s, "
                                   + "longer than stall=\(Self.seconds(stall)); killing it", pentID: id)),
                    .killProcess(id, identity),
                ]
            }
            trackers[index].phase = .avail(up)
        }
        return finish(actions)
    }

    /// The earliest instant at which `timePassed` has something to do, if any.
    public var nextDeadline: MonotonicInstant? {
        trackers.compactMap { tracker -> MonotonicInstant? in
            switch tracker.phase {
            case .restarting(let attempt): return attempt.deadline
            case .waiting(_, let deadline): return deadline
            case .down(let retryAt): return retryAt
            case .avail(let up):
                var deadlines: [MonotonicInstant] = []
                if let script = up.script { deadlines.append(script.deadline) }
                if let grace = tracker.entry.grace, tracker.retryCount > 0 { deadlines.append(up.since + grace) }
                if tracker.flapping { deadlines.append(up.since + Self.flapWindow) }
                return deadlines.min()
            case .fatal: return nil
            }
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

    /// The entries without a process (restarting, waiting, down, or FATAL with
    /// none): what a pass that is not a full one looks for.
    public var entriesWithoutProcess: [PentID] {
        trackers.compactMap { $0.process == nil ? $0.entry.id : nil }
    }

    // MARK: - Helpers

    func index(of id: PentID) -> Int? {
        trackers.indices.contains(id.rawValue - 1) ? id.rawValue - 1 : nil
    }

    /// Appends a state write to any non-empty list, and drops everything after an exit.
    func finish(_ actions: [EngineAction]) -> [EngineAction] {
        if actions.isEmpty { return [] }
        if let exit = actions.firstIndex(where: { if case .exit = $0 { true } else { false } }) {
            return Array(actions[...exit])
        }
        if actions.last == .writeState { return actions }
        return actions.filter { $0 != .writeState } + [.writeState]
    }

    static func seconds(_ duration: Duration) -> String { DurationText.seconds(duration) }
}

/// A restart script that an engine before this one started and left running, as
/// its state file recorded it and as found still running.
public struct AdoptedScript: Sendable, Equatable {
    public var script: ProcessIdentity
    public var retryCount: Int
    public var restartCount: Int

    public init(script: ProcessIdentity, retryCount: Int, restartCount: Int) {
        self.script = script
        self.retryCount = retryCount
        self.restartCount = restartCount
    }
}

/// A request the supervisor refuses.
public enum SupervisorError: Error, Equatable, Sendable {
    case unknownEntry(PentID)
}

extension ProcessRecord.State {
    /// Stopped (`T`, or `t` under a tracer) or in uninterruptible sleep (`D`).
    var isStalled: Bool {
        rawValue == UInt8(ascii: "T") || rawValue == UInt8(ascii: "t") || rawValue == UInt8(ascii: "D")
    }

    var stallDescription: String {
        rawValue == UInt8(ascii: "D") ? "in uninterruptible sleep (state D)" : "stopped (state \(self))"
    }
}

extension Supervisor {
    /// The script of `attempt` exec'd the program itself: it is the entry's process
    /// now, and the attempt succeeded (its status will never come).
    public mutating func scriptBecameProcess(
        _ id: PentID, attempt number: Int, process: ProcessIdentity, at now: Moment
    ) -> [EngineAction] {
        guard outcome == nil, let index = index(of: id),
            case .restarting(let attempt) = trackers[index].phase, attempt.number == number
        else { return [] }
        let entry = trackers[index].entry
        return finish([.log(LogRecord(
            .notice, "(\(entry.pname)) the restart script pid=\(process.pid) exec'd the program itself; it is "
                + "followed as the process (a script that starts the program in the background and exits "
                + "is the usual shape)", pentID: id))]
            + becomeAvailable(index, process, at: now))
    }
}
