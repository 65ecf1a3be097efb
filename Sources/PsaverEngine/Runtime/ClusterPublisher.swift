import PsaverState
import PsaverSystem

/// Publishes the engine's summary and health to Pacemaker's attribute manager when
/// Pacemaker runs on the node (`PacemakerAttributes`): `attrd_updater` run as a child,
/// never waited for in the loop, one at a time.
///
/// - The summary (`psaver-IPCKEY`, private) on change, at most once a second, and
///   again every `heartbeat` so that readers can tell live data from old.
/// - `#health-psaver` (public) through `HealthDamper`: red at once, other changes once
///   they have held for ten seconds. A red on the node is never replaced by this
///   engine (the guard reads the value first): it stays until an operator clears it.
/// - The node's index (`psaver-engines`) names this engine: checked at the first
///   publication and once a minute.
///
/// Without Pacemaker it only looks again, once a minute, with a read of
/// `/proc/net/unix`.
struct ClusterPublisher {
    static let minimumInterval = Duration.seconds(1)
    static let heartbeat = Duration.seconds(30)
    static let indexInterval = Duration.seconds(60)
    static let detectInterval = Duration.seconds(60)
    /// A child that runs longer than this is taken as lost (a hung attrd): killed, and the next one starts.
    static let childTimeout = Duration.seconds(10)

    let ipcKey: String
    let procRoot: String
    private(set) var available = false
    private var nextDetect = MonotonicInstant.now()
    private var damper = HealthDamper()
    private var healthDue: NodeHealth?
    private var lastHealth: NodeHealth?
    /// The summary to publish, and the last one published (compared without its time).
    private var pending: ClusterSummary?
    private var published: ClusterSummary?
    private var lastSummarySent: MonotonicInstant?
    private var nextIndex = MonotonicInstant.now()
    private var child: (pid: ProcessID, since: MonotonicInstant)?
    private var sink: FileDescriptor?

    init(ipcKey: String, procRoot: String) {
        self.ipcKey = ipcKey
        self.procRoot = procRoot
    }

    /// Takes a state document the engine just wrote in full.
    mutating func observe(_ document: StateDocument, at now: MonotonicInstant, wall: WallTime) {
        detectIfDue(at: now)
        guard available else { return }
        let health = NodeHealth.judge(document)
        lastHealth = health
        if let due = damper.observe(health, at: now) { healthDue = due }
        let summary = ClusterSummary(document, health: health, at: wall,
                                     heartbeatSeconds: Int(Self.heartbeat.components.seconds))
        if !Self.sameContent(summary, published) { pending = summary }
    }

    /// When something is due, for the loop's deadline; nil when nothing is.
    var deadline: MonotonicInstant? {
        guard available else { return nextDetect }
        // The engine's SIGCHLD wakes the loop when a child ends; this is the fallback.
        if child != nil { return .now() + .seconds(1) }
        var times: [MonotonicInstant] = []
        if let due = damper.deadline { times.append(due) }
        if healthDue != nil { times.append(.now()) }
        if pending != nil { times.append((lastSummarySent ?? .now()) + Self.minimumInterval) }
        if published != nil, let sent = lastSummarySent { times += [sent + Self.heartbeat, nextIndex] }
        return times.min()
    }

    /// Starts the next child if its time has come and none runs.
    mutating func run(at now: MonotonicInstant, wall: WallTime, log: (LogRecord) -> Void) {
        detectIfDue(at: now)
        guard available, childEnded(at: now) else { return }
        if let health = lastHealth, let due = damper.observe(health, at: now) { healthDue = due }
        let changeDue = pending != nil && (lastSummarySent.map { now >= $0 + Self.minimumInterval } ?? true)
        let heartbeatDue = published != nil && (lastSummarySent.map { now >= $0 + Self.heartbeat } ?? false)
        if let health = healthDue {
            healthDue = nil
            spawn(Self.healthGuard, ["sh", health.rawValue], at: now, log: log)
        } else if changeDue || heartbeatDue, var summary = pending ?? published {
            summary.publishedAt = wall.iso8601
            pending = nil
            published = summary
            lastSummarySent = now
            spawn(PacemakerAttributes.attrdUpdater, ["-p", "-n", PacemakerAttributes.summary(ipcKey: ipcKey),
                                                     "-U", summary.encoded()], at: now, log: log, direct: true)
        } else if now >= nextIndex, published != nil {
            nextIndex = now + Self.indexInterval
            spawn(Self.indexGuard, ["sh", ipcKey], at: now, log: log)
        }
    }

    /// On the way out (the final state is written): publishes the last summary and
    /// health, waiting for each at most two seconds, so that a retry over is red on
    /// the node before Pacemaker moves the group.
    mutating func finish(_ document: StateDocument, wall: WallTime, log: (LogRecord) -> Void) {
        detectIfDue(at: .now(), force: true)
        guard available else { return }
        waitForChild(upTo: .seconds(2))
        var summary = ClusterSummary(document, health: NodeHealth.judge(document), at: wall,
                                     heartbeatSeconds: Int(Self.heartbeat.components.seconds))
        summary.publishedAt = wall.iso8601
        spawn(PacemakerAttributes.attrdUpdater, ["-p", "-n", PacemakerAttributes.summary(ipcKey: ipcKey),
                                                 "-U", summary.encoded()], at: .now(), log: log, direct: true)
        waitForChild(upTo: .seconds(2))
        if let health = damper.observe(NodeHealth.judge(document), at: .now()) ?? (document.engineSts == .retryOver
            ? NodeHealth.red : nil)
        {
            spawn(Self.healthGuard, ["sh", health.rawValue], at: .now(), log: log)
            waitForChild(upTo: .seconds(2))
        }
    }

    // MARK: - Children

    /// `sh -c` scripts, given their values as arguments (never spliced into the text).
    static let healthGuard = """
        v=$(attrd_updater -Q -n '#health-psaver' 2>/dev/null)
        case "$v" in *'value="red"'*) [ "$1" = red ] || exit 0 ;; esac
        exec attrd_updater -n '#health-psaver' -U "$1"
        """
    static let indexGuard = """
        v=$(attrd_updater -Q -n psaver-engines 2>/dev/null | sed -n 's/.* value="\\(.*\\)"$/\\1/p')
        case " $v " in *" $1 "*) exit 0 ;; esac
        exec attrd_updater -p -n psaver-engines -U "${v:+$v }$1"
        """

    private mutating func spawn(_ program: String, _ arguments: [String], at now: MonotonicInstant,
                                log: (LogRecord) -> Void, direct: Bool = false)
    {
        let (path, argv) = direct ? (program, arguments) : ("/bin/sh", ["-c", program] + arguments)
        do {
            if sink == nil { sink = try FileDescriptor.openForAppending("/dev/null") }
            guard let sink else { return }
            let pid = try Spawner.spawn(path, arguments: argv, environment: PacemakerAttributes.environment,
                                        output: sink)
            child = (pid, now)
        } catch {
            log(LogRecord(.warning, "cannot run attrd_updater to publish to Pacemaker: \(error)"))
        }
    }

    /// Whether no child runs now; one that ran past its timeout is killed. The engine
    /// reaps every child on SIGCHLD, so one that ended no longer exists.
    private mutating func childEnded(at now: MonotonicInstant) -> Bool {
        guard let running = child else { return true }
        if !ProcessSignals.exists(running.pid) {
            child = nil
            return true
        }
        if now - running.since > Self.childTimeout {
            try? ProcessSignals.sendToGroup(ProcessSignals.kill, group: running.pid)
            child = nil
            return true
        }
        return false
    }

    /// On the way out only: the loop no longer reaps, so this does.
    private mutating func waitForChild(upTo limit: Duration) {
        guard let running = child else { return }
        let deadline = MonotonicInstant.now() + limit
        while MonotonicInstant.now() < deadline {
            if Spawner.reapEnded().contains(where: { $0.0 == running.pid }) || !ProcessSignals.exists(running.pid) {
                child = nil
                return
            }
            MonotonicInstant.sleep(.milliseconds(5))
        }
        child = nil
    }

    private mutating func detectIfDue(at now: MonotonicInstant, force: Bool = false) {
        guard force || now >= nextDetect else { return }
        nextDetect = now + Self.detectInterval
        available = PacemakerAttributes.available(procRoot: procRoot)
    }

    private static func sameContent(_ a: ClusterSummary, _ b: ClusterSummary?) -> Bool {
        guard var b else { return false }
        b.publishedAt = a.publishedAt
        return a == b
    }
}
