public import PsaverConfig
import PsaverProcessTable
public import PsaverState
import PsaverSystem

/// The running engine: one epoll loop over the signalfd, the pidfds of watched
/// processes and the control socket, with a deadline from the supervisor.
///
/// It performs what `Supervisor` decides and feeds it what happens; the rules
/// themselves live there.
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
        public var reload: (() throws -> PFile)?

        public init(pfile: PFile, log: EngineLog, procRoot: String = "/proc", forcePolling: Bool = false,
                    registry: EngineRegistry = .standard(), fastScanInterval: Duration = .milliseconds(100),
                    reload: (() throws -> PFile)? = nil)
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

    static let signalToken: UInt64 = 1

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
    var stateDirty = false
    var nextScan = MonotonicInstant.now()
    /// When the engine began waiting for restarted processes to appear, if it is.
    var awaitingSince: MonotonicInstant?
    var nextHeartbeat = MonotonicInstant.now()
    var finished: EngineOutcome?

    /// Takes the IPCKEY lock and prepares the loop; nothing is watched or started yet.
    /// Throws `InstanceLockError.held` when another engine has the key.
    public init(_ options: Options) throws {
        self.options = options
        lock = try InstanceLock(ipcKey: options.pfile.params.ipcKey)
        SignalFD.ignoreBrokenPipes()
        signals = try SignalFD()
        epoll = try Epoll()
        try epoll.add(signals.descriptor, token: Self.signalToken)
        table = ProcessTable(root: options.procRoot)
        watcher = ProcessWatcher(forcePolling: options.forcePolling)
        supervisor = Supervisor(pfile: options.pfile)
        let stateFile = options.pfile.params.stateFile
        // The scripts' output file (under syslog) lives beside the state file.
        try FileSystem.makeDirectory(FileSystem.directoryName(of: stateFile))
        scripts = ScriptRunner()
        facts = Supervisor.EngineFacts(
            pid: Identity.processID, user: Identity.effectiveUser, host: Identity.hostName,
            startedAt: .now(), pfile: options.pfile.path, controlSocket: stateFile + ".sock")
    }

    /// Runs until a stop or a retry over; returns how it ended. Throws only for a
    /// fault at start-up (the state file or the control socket cannot be set up).
    public func run() throws -> EngineOutcome {
        let pfile = options.pfile
        let stateFile = pfile.params.stateFile
        record(LogRecord(.notice, "Start pcheck!! (pfile=\(pfile.path), IPCKEY=\(pfile.params.ipcKey), "
                         + "\(pfile.entries.count) entries, watching by \(watcher.polling ? "polling" : "pidfd"))"))
        for warning in pfile.warnings { record(LogRecord(.warning, warning.description)) }
        try writeState()
        control = try ControlServer(path: facts.controlSocket, owner: facts.user, epoll: epoll)
        try? options.registry.register(ipcKey: pfile.params.ipcKey.description, stateFile: stateFile)
        defer {
            // DESIGN §5: only a clean stop removes the link. After a retry over it stays,
            // so that a console opened later still shows which entry went FATAL, until an
            // operator dismisses it or a new engine with this IPCKEY replaces it.
            if finished == .stopped {
                options.registry.unregister(ipcKey: pfile.params.ipcKey.description, stateFile: stateFile)
            }
            control?.close(epoll: epoll)
        }

        let now = Moment.now()
        perform(supervisor.start(found: table.findMatches(for: supervisor.trackers.map(\.entry)), at: now))
        // The loop flushes only after a wait, and the first wait can last a whole
        // MONITOR_INTERVAL: without this, readers see every entry DOWN until then.
        flushState()
        scheduleScan(after: now)
        while finished == nil {
            let ready: [Epoll.Ready]
            do {
                ready = try epoll.wait(timeout: timeout(at: .now()))
            } catch {
                record(LogRecord(.error, "epoll_wait failed: \(error); retrying"))
                ready = []
            }
            for event in ready where finished == nil { handle(event) }
            if finished == nil { tick() }
            flushState()
        }
        return finished ?? .stopped
    }

    // MARK: - Inputs

    private func handle(_ event: Epoll.Ready) {
        if event.token == Self.signalToken {
            for signal in signals.drain() where finished == nil { handle(signal: signal) }
        } else if let (id, identity) = watcher.ended(token: event.token, epoll: epoll) {
            processEnded(id, identity)
        } else if let control {
            for request in control.handle(event, epoll: epoll) { answer(request) }
        }
    }

    private func handle(signal: Int32) {
        switch signal {
        case SignalFD.terminate, SignalFD.interrupt:
            let name = signal == SignalFD.terminate ? "SIGTERM" : "SIGINT"
            record(LogRecord(.notice, "\(name) Catch (\(signal))!!"))
            perform(supervisor.stop())
        case SignalFD.hangUp:
            reload()
        case SignalFD.child:
            reapChildren()
        default:
            break
        }
    }

    func processEnded(_ id: PentID, _ identity: ProcessIdentity) {
        guard let entry = supervisor.tracker(id)?.entry else { return }
        let successor = table.findMatches(for: [entry])[id].flatMap { $0 == identity ? nil : $0 }
        perform(supervisor.processExited(id, identity, successor: successor, at: .now()))
    }

    private func reapChildren() {
        for (pid, status) in Spawner.reapEnded() {
            guard let run = scripts.finish(pid), let entry = supervisor.tracker(run.pentID)?.entry else { continue }
            if run.killed || run.kind == .retryOver {
                let what = run.kind == .restart ? "restart script (killed at timeout)" : "retry-over script"
                record(LogRecord(status.succeeded ? .info : .warning,
                                 "(\(entry.pname)) \(what) ended: \(status)", pentID: entry.id))
                continue
            }
            perform(supervisor.restartScriptEnded(run.pentID, status: status, at: .now()))
            if supervisor.tracker(run.pentID)?.procStatus == .waiting { nextScan = .now() }
        }
    }

    /// Deadlines, scans, polling and the heartbeat, once per loop turn.
    private func tick() {
        let now = Moment.now()
        if watcher.needsPolling {
            for (id, identity) in watcher.pollEnded(table: table, epoll: epoll) { processEnded(id, identity) }
        }
        if now.monotonic >= nextScan {
            perform(supervisor.scanned(table.findMatches(for: supervisor.trackers.map(\.entry)), at: now))
            scheduleScan(after: now)
        }
        perform(supervisor.timePassed(at: now))
        control?.expire(at: now.monotonic, epoll: epoll)
        if now.monotonic >= nextHeartbeat { stateDirty = true }
    }

    /// The next /proc pass: once per MONITOR_INTERVAL, or every fastScanInterval
    /// while a restarted process is awaited, five times slower after its first two
    /// seconds so that a long start_wait on a busy host costs little.
    func scheduleScan(after now: Moment) {
        guard supervisor.isAwaitingProcesses else {
            awaitingSince = nil
            nextScan = now.monotonic + supervisor.params.monitorInterval
            return
        }
        let since = awaitingSince ?? now.monotonic
        awaitingSince = since
        let slow = now.monotonic - since > .seconds(2)
        let soon = now.monotonic + options.fastScanInterval * (slow ? 5 : 1)
        // A pass still ahead (a restart began between passes) is only ever brought forward.
        nextScan = nextScan > now.monotonic ? min(nextScan, soon) : soon
    }

    private func timeout(at now: MonotonicInstant) -> Duration {
        var deadlines = [nextScan, nextHeartbeat]
        if let deadline = supervisor.nextDeadline { deadlines.append(deadline) }
        if watcher.needsPolling { deadlines.append(now + .seconds(1)) }
        if let deadline = control?.nextDeadline { deadlines.append(deadline) }
        let earliest = deadlines.min() ?? now + .seconds(1)
        return earliest > now ? earliest - now : .zero
    }
}
