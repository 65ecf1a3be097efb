public import PsaverConfig
import PsaverProcessTable
public import PsaverState
import PsaverSystem

extension PFile {
    /// Once the supervisor's trackers hold the entries, the engine keeps the pfile
    /// for its path, PARAMs and warnings only: a second copy of every entry cost
    /// 2 MB at 10,000 entries.
    mutating func dropEntriesHeldBySupervisor() { entries = [] }
}

/// The running engine: one epoll loop over the signalfd, the pidfds of watched
/// processes and the control socket, with a deadline from the supervisor.
///
/// It performs what `Supervisor` decides and feeds it what happens; the rules
/// themselves live there. A loop turn: wait; turn every ready source into queued
/// events; handle the queue (what an action leads to is queued too, never handled
/// by recursion); the time-driven work; then one state-file write.
public final class Engine {
    /// What the engine is given to run.
    public struct Options {
        public var pfile: PFile
        public var log: EngineLog
        /// The proc root to scan, `/proc` except in tests.
        public var procRoot: String
        /// Watch by polling even where pidfd works (tests of the fallback).
        public var forcePolling: Bool
        public var registry: EngineRegistry
        /// How often a down or waiting entry is looked for while a restart is under way.
        public var fastScanInterval: Duration
        /// Re-reads the pfile for SIGHUP; nil disables reloading.
        public var reload: (@Sendable () throws -> PFile)?
        /// The cluster resource that runs this engine, recorded in the state file (Engine+Cluster).
        public var cluster: ClusterRecord?
        /// Run at retry over, after the final state is written (Engine+Cluster).
        public var onRetryOver: RetryOverCommand?
        /// How long an entry missing at start-up waits for its process before its first restart.
        public var startupGrace: Duration = .zero

        public init(pfile: PFile, log: EngineLog, procRoot: String = "/proc", forcePolling: Bool = false,
                    registry: EngineRegistry = .standard(), fastScanInterval: Duration = .milliseconds(100),
                    reload: (@Sendable () throws -> PFile)? = nil)
        {
            self.pfile = pfile
            self.log = log
            self.procRoot = procRoot
            self.forcePolling = forcePolling
            self.registry = registry
            self.fastScanInterval = fastScanInterval
            self.reload = reload
        }
    }

    /// Descriptors kept free of pidfds for scans, the state file, scripts' output
    /// and control clients.
    static let descriptorReserve = 64

    var options: Options
    var supervisor: Supervisor
    let lock: InstanceLock
    let epoll: Epoll
    let signals: SignalFD
    let table: ProcessTable
    var watcher: ProcessWatcher
    var scripts: ScriptRunner
    var events = EventRing()
    let facts: Supervisor.EngineFacts
    var control: ControlServer?
    /// The user of each entry's last process that died, for the successor rule.
    var lastUsers: [PentID: UserID] = [:]
    /// Events waiting to be handled in this loop turn, oldest first.
    var queue: [LoopEvent] = []
    /// Whether the queue is being drained: log lines wait in `heldLines` meanwhile.
    var draining = false
    var heldLines: [(LogRecord, WallTime)] = []
    /// Writes the state file; keeps the last one open so a heartbeat copies it.
    var stateWriter: StateFileWriter
    /// The restart history beside the state file (Engine+History), and what Pacemaker is
    /// told when it runs on the node (Engine+Publish).
    var history: EngineHistory
    var publisher: ClusterPublisher
    var stateDirty = false
    /// When the oldest change not yet written was made, and what the last whole
    /// write took (`flushState` holds a change for that long, to take a burst first).
    var unsavedSince: MonotonicInstant?
    var lastWriteCost = Duration.zero
    static let maximumWriteDelay = Duration.milliseconds(50)
    /// Whether anything but the heartbeat changed since the state file was last written.
    var contentChanged = true
    var nextScan = MonotonicInstant.now()
    /// When every entry is next looked for (MONITOR_INTERVAL); passes in between
    /// look only for the entries that await their process.
    var nextFullScan = MonotonicInstant.now()
    /// One matcher per entry (pname resolved once) and their index, rebuilt at reload.
    var matchers: [ProcessMatcher]
    var matcherIndex: MatcherIndex
    /// Every matching process per entry as the last pass saw it: a death's successor
    /// is chosen from these, without a pass on the way to the restart script.
    var known = KnownProcesses()
    /// Each watched process's session, group and reported forks, and the clean-ups
    /// under way after deaths (Engine+Cleanup).
    var families = MainFamilies()
    var cleanups: [PentID: LeftoverCleanup] = [:]
    /// The kernel's report of every exec (root only); nil where it can't be opened,
    /// and passes over /proc find restarted processes instead.
    var processEvents: ProcessEvents?
    /// Whether the kernel reports exits to this engine: only while some watch has
    /// no pidfd (past the descriptor limit), which is then followed through them.
    var exitsReported = false
    /// Whether the log has said so (once: the watches without a pidfd come and go).
    var exitReportsUsed = false
    /// When the watches without a pidfd are next looked at: every second, or with
    /// exit reports every `safetyPollInterval`, in case one was missed (the reports
    /// are complete but for an overflow, which is seen and brings a look at once;
    /// a look at 10,000 processes costs 0.2 s).
    var nextPoll = MonotonicInstant.now()
    static let safetyPollInterval = Duration.seconds(300)
    /// When the kernel's reports, paused after a batch, are read again.
    var processEventsResumeAt: MonotonicInstant?
    static let processEventsPause = Duration.milliseconds(20)
    static let exitReportsPause = Duration.milliseconds(2)
    /// Execs the kernel reported and `checkExecs` has not looked at yet.
    var pendingExecs = PendingExecs()
    /// The pfile being re-read off the loop for SIGHUP, and whether another SIGHUP
    /// came meanwhile (it is read again when this one is done).
    var reloading: BackgroundWork<Result<PFile, any Error>>?
    var reloadAgain = false
    /// Set when the kernel's reports overflowed, until the next full pass.
    var eventsLost = false
    /// When the engine began waiting for restarted processes to appear, if it is.
    var awaitingSince: MonotonicInstant?
    var nextHeartbeat = MonotonicInstant.now()
    /// `Supervisor.nextDeadline` as of a revision of the supervisor (`supervisorDeadline`).
    var deadlineSeen: (revision: UInt64, deadline: MonotonicInstant?)?
    var nextStallCheck = MonotonicInstant.now()
    /// Whether some entry watches for hangs (`stall=`); set at start-up and reload.
    var stallWatched: Bool
    var finished: EngineOutcome?
    /// The soft descriptor limit as raised at start-up, for the log.
    let descriptorLimit: Int
    /// systemd's notification socket, taken before ScriptRunner copies the environment (Engine+Notify).
    let notifier = ServiceNotifier.takeFromEnvironment()
    var nextWatchdog: MonotonicInstant?

    /// Takes the IPCKEY lock and prepares the loop; nothing is watched or started yet.
    /// Throws `InstanceLockError.held` when another engine has the key.
    public init(_ options: Options) throws {
        self.options = options
        descriptorLimit = ResourceLimits.raiseDescriptorLimit()
        ResourceLimits.closeInheritedDescriptorsOnExec()
        lock = try InstanceLock(ipcKey: options.pfile.params.ipcKey, folder: options.registry.folder)
        SignalFD.ignoreBrokenPipes()
        signals = try SignalFD()
        epoll = try Epoll()
        try epoll.add(signals.descriptor, token: LoopToken.signals.rawValue)
        let table = ProcessTable(root: options.procRoot)
        self.table = table
        watcher = ProcessWatcher(forcePolling: options.forcePolling,
                                 descriptorBudget: max(0, descriptorLimit - Self.descriptorReserve))
        supervisor = Supervisor(pfile: options.pfile)
        matchers = options.pfile.entries.map { table.matcher(for: $0) }
        matcherIndex = MatcherIndex(matchers)
        stallWatched = options.pfile.entries.contains { $0.stall != nil }
        let stateFile = options.pfile.params.stateFile
        // The state folder, by the rule for every path the engine owns (TrustedDirectory):
        // a folder another user made or can write is a start-up error naming it.
        stateWriter = StateFileWriter(store: StateFileStore(path: stateFile))
        history = EngineHistory(stateFile: stateFile)
        publisher = ClusterPublisher(ipcKey: options.pfile.params.ipcKey.description, procRoot: options.procRoot)
        try EngineAdmission.admit(options.pfile, creating: true)
        scripts = ScriptRunner(ipcKey: options.pfile.params.ipcKey.description)
        facts = Supervisor.EngineFacts(
            pid: Identity.processID, user: Identity.effectiveUser, host: Identity.hostName,
            startedAt: .now(), pfile: options.pfile.path, controlSocket: stateFile + ".sock",
            startTicks: table.identity(of: Identity.processID)?.startTime, cluster: options.cluster)
    }

    /// Runs until a stop or a retry over; returns how it ended. Throws only for a
    /// fault at start-up (the state file or the control socket cannot be set up).
    public func run() throws -> EngineOutcome {
        let (path, params, warnings) = (options.pfile.path, options.pfile.params, options.pfile.warnings)
        let stateFile = params.stateFile
        // Read before this engine's first write replaces it.
        let adopted = PreviousEngine.runningScripts(stateFile: stateFile, entries: options.pfile.entries, table: table)
        let entries = EnglishCount.of(options.pfile.entries.count, "entry", "entries")
        record(LogRecord(.notice, "Start pcheck!! (pfile=\(path), IPCKEY=\(params.ipcKey), "
                         + "\(entries), watching by \(watcher.polling ? "polling" : "pidfd"))"))
        for warning in warnings { record(LogRecord(.warning, warning.description)) }
        keepRetryOverPredecessor()
        try writeState()
        control = try ControlServer(path: facts.controlSocket, owner: facts.user, epoll: epoll)
        registerAtStartUp()
        defer {
            // DESIGN §5: only a clean stop removes the link. After a retry over it stays,
            // so that a console opened later still shows which entry went FATAL, until an
            // operator dismisses it or a new engine with this IPCKEY replaces it.
            if finished == .stopped {
                options.registry.unregister(ipcKey: params.ipcKey.description, stateFile: stateFile)
            }
            control?.close(epoll: epoll)
            notifyStopping()
        }

        if Identity.effectiveUser == .root && !options.forcePolling && options.procRoot == "/proc" {
            processEvents = try? ProcessEvents()
            if let events = processEvents, (try? epoll.add(events.descriptor, token: LoopToken.processEvents.rawValue)) == nil {
                processEvents = nil
            }
        }
        let now = Moment.now()
        // Subscribed before this pass, so that no exec falls between the two.
        let found = table.findAllMatches(using: matcherIndex)
        known.replaceAll(found)
        nextFullScan = now.monotonic + fullScanInterval
        perform(supervisor.start(found: pick(found), adopted: adopted, startupGrace: options.startupGrace,
                                 at: now))
        options.pfile.dropEntriesHeldBySupervisor()
        drainQueue()
        // The loop flushes only after a wait, and the first wait can last a whole
        // MONITOR_INTERVAL: without this, readers see every entry DOWN until then.
        flushState()
        notifyReady(at: .now())
        scheduleScan(after: now)
        while finished == nil {
            let ready: [Epoll.Ready]
            do {
                ready = try epoll.wait(timeout: timeout(at: .now()))
            } catch {
                record(LogRecord(.error, "epoll_wait failed: \(error); retrying"))
                ready = []
            }
            for event in ready where finished == nil { take(event) }
            drainQueue()
            if ready.contains(where: Self.isDeath) { takeDeathsThatCameMeanwhile() }
            if finished == nil { checkExecs(at: .now()) }
            drainQueue()
            if finished == nil { tick() }
            drainQueue()
            if let shortage = watcher.takeShortage() {
                let instead = processEvents == nil ? "polled every second" : "followed through the kernel's exit reports"
                record(LogRecord(.warning, "short of file descriptors (limit \(descriptorLimit)): \(shortage); "
                                 + "the processes without a pidfd are \(instead) instead"))
            }
            flushState()
        }
        if finished == .retryOver { finishCleanupsBeforeExit() }
        return finished ?? .stopped
    }

    // MARK: - Inputs

    /// A burst of deaths reaches the loop over several wakes (each victim exits on
    /// its own core time): those that came while the first were handled get their
    /// scripts before the execs of the first are checked. A few looks, none waiting.
    private func takeDeathsThatCameMeanwhile() {
        for _ in 0..<4 {
            guard finished == nil, let ready = try? epoll.wait(timeout: .zero), !ready.isEmpty else { return }
            for event in ready where finished == nil { take(event) }
            drainQueue()
            guard ready.contains(where: Self.isDeath) else { return }
        }
    }

    /// Whether a ready source is a watched process's pidfd.
    private static func isDeath(_ event: Epoll.Ready) -> Bool {
        if case .process = LoopToken(rawValue: event.token) { true } else { false }
    }

    /// Turns one ready source into queued events (or handles it, for the control socket).
    private func take(_ event: Epoll.Ready) {
        guard let token = LoopToken(rawValue: event.token) else { return }
        switch token {
        case .signals:
            for signal in signals.drain() where finished == nil { handle(signal: signal) }
        case .process, .adoptedScript:
            if let ended = watcher.ended(token, epoll: epoll) { queue.append(ended) }
        case .processEvents:
            handleProcessEvents(at: .now())
        case .reload:
            drainQueue()
            finishReload()
        case .controlListener, .controlClient:
            guard let control else { return }
            drainQueue()
            for request in control.handle(event, epoll: epoll) where finished == nil { answer(request) }
        }
    }

    private func handle(signal: Int32) {
        switch signal {
        case SignalFD.terminate, SignalFD.interrupt:
            let name = signal == SignalFD.terminate ? "SIGTERM" : "SIGINT"
            record(LogRecord(.notice, "\(name) Catch (\(signal))!!"))
            perform(supervisor.stop())
        case SignalFD.hangUp:
            drainQueue()
            repairOwnedPaths()
            reload()
        case SignalFD.child:
            reapChildren()
        case SignalFD.userOne:
            reopenLogs()
        default:
            break
        }
    }

    private func reapChildren() {
        for (pid, status) in Spawner.reapEnded() {
            guard let run = scripts.finish(pid) else { continue }
            let pname = supervisor.tracker(run.pentID)?.entry.pname ?? "pent_id \(run.pentID)"
            switch run.kind {
            case .restart(let attempt):
                queue.append(.scriptEnded(run.pentID, attempt: attempt, status))
            case .retryOver:
                record(LogRecord(status.succeeded ? .info : .warning,
                                 "(\(pname)) retry-over script ended: \(status)", pentID: run.pentID))
            case .service:
                record(LogRecord(.info, "(\(pname)) pid=\(pid), the program its restart script exec'd, "
                                 + "ended: \(status)", pentID: run.pentID))
            case .orphan:
                record(LogRecord(.info, "restart script pid=\(pid) of a removed entry ended: \(status)"))
            }
        }
    }

    /// Deadlines, scans, polling, stall checks and the heartbeat, once per loop turn.
    private func tick() {
        let now = Moment.now()
        resumeProcessEvents(at: now.monotonic)
        followExitsIfNeeded(at: now.monotonic)
        if watcher.needsPolling, now.monotonic >= nextPoll {
            queue += watcher.pollEnded(table: table, epoll: epoll)
            nextPoll = now.monotonic + (exitsReported && !eventsLost ? Self.safetyPollInterval : .seconds(1))
        }
        drainQueue()
        if !cleanups.isEmpty { advanceCleanups(at: now.monotonic) }
        if now.monotonic >= nextScan {
            scan(at: now)
            scheduleScan(after: now)
        }
        if now.monotonic >= nextStallCheck { checkStalls(at: now) }
        if let deadline = supervisorDeadline(), now.monotonic >= deadline {
            let due = supervisor.judgementsDue(at: now)
            perform(supervisor.timePassed(at: now, found: due.isEmpty ? [:] : lookFor(due)))
        }
        control?.expire(at: now.monotonic, epoll: epoll)
        feedWatchdog(at: now.monotonic)
        publishIfDue(at: now.monotonic)
        if now.monotonic >= nextHeartbeat {
            stateDirty = true
            repairOwnedPaths()
        }
    }

    /// The next /proc pass: once per MONITOR_INTERVAL, or, without the process-events
    /// connector, every fastScanInterval while a restarted process is awaited, five
    /// times slower after its first two seconds so that a long start_wait on a busy
    /// host costs little.
    func scheduleScan(after now: Moment) {
        // With the kernel's reports no fast pass is needed while a script runs: asked
        // first, so a death's script never waits for a look at every entry. Once it has
        // ended (WAITING), passes run whatever the reports say: a server that renames
        // itself after exec (redis-server) matches only from then on.
        guard processEvents == nil ? supervisor.isAwaitingProcesses : supervisor.hasWaitingEntries else {
            awaitingSince = nil
            nextScan = min(nextFullScan, now.monotonic + supervisor.params.monitorInterval)
            return
        }
        let since = awaitingSince ?? now.monotonic
        awaitingSince = since
        let slow = now.monotonic - since > .seconds(2)
        let soon = now.monotonic + options.fastScanInterval * (slow ? 5 : 1)
        // A pass still ahead (a restart began between passes) is only ever brought forward.
        nextScan = nextScan > now.monotonic ? min(nextScan, soon) : soon
    }

    /// The supervisor's next deadline, looked for among the entries only when one
    /// changed since the last look: a loop turn that changed nothing (an exec
    /// elsewhere on the host, a control request) costs the same at any size.
    private func supervisorDeadline() -> MonotonicInstant? {
        if let cached = deadlineSeen, cached.revision == supervisor.revision { return cached.deadline }
        let deadline = supervisor.nextDeadline
        deadlineSeen = (supervisor.revision, deadline)
        return deadline
    }

    private func timeout(at now: MonotonicInstant) -> Duration {
        var deadlines = [nextScan, nextHeartbeat]
        if let deadline = supervisorDeadline() { deadlines.append(deadline) }
        if watcher.needsPolling { deadlines.append(nextPoll) }
        if stallWatched { deadlines.append(nextStallCheck) }
        if let deadline = control?.nextDeadline { deadlines.append(deadline) }
        if let deadline = nextWatchdog { deadlines.append(deadline) }
        if !cleanups.isEmpty, let deadline = cleanupDeadline { deadlines.append(deadline) }
        if let deadline = publisher.deadline { deadlines.append(deadline) }
        if !pendingExecs.isEmpty { deadlines.append(now) }
        if let resume = processEventsResumeAt { deadlines.append(resume) }
        if stateDirty, let since = unsavedSince { deadlines.append(since + min(lastWriteCost, Self.maximumWriteDelay)) }
        let earliest = deadlines.min() ?? now + .seconds(1)
        return earliest > now ? earliest - now : .zero
    }
}
