import PsaverState
import PsaverSystem

/// Publishes the engine's summary and health to Pacemaker's attribute manager when
/// Pacemaker runs on the node (`PacemakerAttributes`): `attrd_updater` run as a child,
/// never waited for in the loop, one at a time.
///
/// - The summary (`psaver-IPCKEY`, private) on change, at most once a second and,
///   past a burst of five, once a minute; again every `heartbeat` (a minute) so that
///   readers can tell live data from old.
/// - `#health-psaver` (public) through `HealthDamper`: red at once, other changes once
///   they have held for ten seconds. A red on the node is never replaced by this
///   engine (the guard reads the value first): it stays until an operator clears it.
/// - The node's index (`psaver-engines`) names this engine: checked at the first
///   publication and every five minutes.
///
/// Without Pacemaker it only looks again, once a minute, with a read of
/// `/proc/net/unix`.
struct ClusterPublisher {
    static let minimumInterval = Duration.seconds(1)
    static let heartbeat = Duration.seconds(60)
    static let indexInterval = Duration.seconds(300)
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
    /// The last document written, whether it changed since the last publication, and
    /// the last value published with its time left out (to skip one that says nothing new).
    private var latest: StateDocument?
    private var changed = false
    private var publishedContent: String?
    /// Publications allowed now: one back every `refill`, at most `burst`. A change
    /// after a quiet spell is published at once (five in a row, a second apart); a
    /// stream of changes (a restart every second) is published once a `refill`, so
    /// that attrd_updater (6 to 20 ms of CPU a run) stays under 0.1 % of a core.
    private var tokens = ClusterPublisher.burst
    private var lastRefill = MonotonicInstant.now()
    static let burst = 5.0
    static let refill = Duration.seconds(60)
    private var lastSummarySent: MonotonicInstant?
    private var nextIndex = MonotonicInstant.now()
    private var child: (pid: ProcessID, since: MonotonicInstant)?
    private var sink: FileDescriptor?

    init(ipcKey: String, procRoot: String) {
        self.ipcKey = ipcKey
        self.procRoot = procRoot
    }

    /// Takes a state document the engine just wrote in full: kept, and judged for
    /// health (one pass over the entries). The summary is built only when published.
    mutating func observe(_ document: StateDocument, at now: MonotonicInstant, wall: WallTime) {
        detectIfDue(at: now)
        guard available else { return }
        let health = NodeHealth.judge(document)
        lastHealth = health
        if let due = damper.observe(health, at: now) { healthDue = due }
        latest = document
        changed = true
    }

    /// When something is due, for the loop's deadline; nil when nothing is.
    var deadline: MonotonicInstant? {
        guard available else { return nextDetect }
        // The engine's SIGCHLD wakes the loop when a child ends; this is the fallback.
        if child != nil { return .now() + .seconds(1) }
        var times: [MonotonicInstant] = []
        if let due = damper.deadline { times.append(due) }
        if healthDue != nil { times.append(.now()) }
        if changed { times.append(changeDueAt) }
        if publishedContent != nil, let sent = lastSummarySent { times += [sent + Self.heartbeat, nextIndex] }
        return times.min()
    }

    /// When a change may be published: a second after the last publication, and once
    /// a token is there.
    private var changeDueAt: MonotonicInstant {
        // The first publication is due at once.
        let spaced = lastSummarySent.map { $0 + Self.minimumInterval } ?? lastRefill
        guard tokens < 1 else { return spaced }
        return max(spaced, lastRefill + Self.refill * (1 - tokens))
    }

    private mutating func refillTokens(at now: MonotonicInstant) {
        let gained = Double((now - lastRefill).components.seconds) / Double(Self.refill.components.seconds)
            + Double((now - lastRefill).components.attoseconds) / 1e18 / Double(Self.refill.components.seconds)
        tokens = min(Self.burst, tokens + gained)
        lastRefill = now
    }

    /// Starts the next child if its time has come and none runs.
    mutating func run(at now: MonotonicInstant, wall: WallTime, log: (LogRecord) -> Void) {
        detectIfDue(at: now)
        guard available, childEnded(at: now) else { return }
        if let health = lastHealth, let due = damper.observe(health, at: now) { healthDue = due }
        refillTokens(at: now)
        let changeDue = changed && now >= changeDueAt
        let heartbeatDue = publishedContent != nil && (lastSummarySent.map { now >= $0 + Self.heartbeat } ?? false)
        if let health = healthDue {
            healthDue = nil
            spawn(Self.healthGuard, ["sh", health.rawValue], at: now, log: log)
        } else if changeDue || heartbeatDue, let document = latest {
            var summary = ClusterSummary(document, health: lastHealth ?? .green, at: wall,
                                         heartbeatSeconds: Int(Self.heartbeat.components.seconds))
            summary.publishedAt = ""
            let content = summary.encoded()
            changed = false
            guard content != publishedContent || heartbeatDue else { return }
            if changeDue { tokens = max(0, tokens - 1) }
            summary.publishedAt = wall.iso8601
            publishedContent = content
            lastSummarySent = now
            spawn(PacemakerAttributes.attrdUpdater, ["-p", "-n", PacemakerAttributes.summary(ipcKey: ipcKey),
                                                     "-U", summary.encoded()], at: now, log: log, direct: true)
        } else if now >= nextIndex, publishedContent != nil {
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
}
