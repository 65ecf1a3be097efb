import PsaverConfig
import PsaverFuzz
import PsaverProcessTable
import PsaverState
import PsaverSystem
import Testing
@testable import PsaverEngine

/// Random sequences of events against the pure state machine, with DESIGN §2's
/// invariants checked after every step. `PSAVER_PROPERTY_SEQUENCES` asks for more
/// sequences (the default keeps `swift test` fast); a failure names its seed.
@Suite("Supervisor: invariants under random event sequences")
struct SupervisorPropertyTests {
    static let sequences = Int(Identity.environment("PSAVER_PROPERTY_SEQUENCES") ?? "") ?? 3_000
    static let steps = 80

    @Test func everyInvariantHolds_afterEveryStep_ofRandomSequences() {
        var failures: [String] = []
        for seed in 0..<UInt64(Self.sequences) {
            var world = World(seed: seed)
            if let failure = world.run(steps: Self.steps) {
                failures.append("seed \(seed): \(failure)")
                if failures.count >= 3 { break }
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func theGeneratorReachesEveryPhase() {
        var seen: Set<ProcStatus> = []
        for seed in 0..<200 {
            var world = World(seed: UInt64(seed))
            _ = world.run(steps: Self.steps) { seen.formUnion($0.trackers.map(\.procStatus)) }
        }
        #expect(seen.isSuperset(of: [.avail, .down, .restarting, .waiting, .fatal, .hung]))
    }
}

/// The processes and scripts around a supervisor, driven at random.
struct World {
    var random: SeededGenerator
    var supervisor: Supervisor
    var clock = MonotonicInstant.seconds(1000)
    var nextPID: Int32 = 100
    /// Scripts the supervisor asked for and that have not ended: entry → attempt.
    var scripts: [PentID: Int] = [:]
    /// Scripts killed at RESTART_TIMEOUT: they die, and their end may come late.
    var killed: [PentID: Int] = [:]
    /// Every attempt number ever started, per entry, to send stale ends.
    var started: [PentID: [Int]] = [:]
    var restartsSeen: [PentID: Int] = [:]
    /// Processes that run, per entry (the tracked one among them, and look-alikes).
    var running: [PentID: [ProcessIdentity]] = [:]
    var exited = false
    let entryCount: Int

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
        entryCount = Int.random(in: 1...3, using: &random)
        let actions: [RetryOverAction] = [.exit, .stop, .exec("/etc/notify.sh")]
        var entries: [Entry] = []
        for n in 1...entryCount {
            var entry = Entry(id: PentID(n), pname: "/usr/bin/p\(n)", restartScript: "/etc/s\(n).sh",
                              grace: Bool.random(using: &random) ? .seconds(Int64.random(in: 1...30, using: &random)) : nil,
                              retry: Int.random(in: 0...4, using: &random),
                              retryOverAction: actions.randomElement(using: &random)!,
                              startWait: .seconds(Int64.random(in: 1...5, using: &random)))
            if Bool.random(using: &random) { entry.stall = .seconds(Int64.random(in: 1...5, using: &random)) }
            if Bool.random(using: &random) { entry.backoffLimit = .seconds(Int64.random(in: 0...3, using: &random)) }
            entries.append(entry)
        }
        let params = Params(ipcKey: IPCKey(1), stateFile: "/tmp/s", monitorInterval: .seconds(5),
                            restartTimeout: .seconds(Int64.random(in: 2...20, using: &random)))
        supervisor = Supervisor(pfile: PFile(path: "/p", params: params, entries: entries))
    }

    var now: Moment { Moment(monotonic: clock, wall: WallTime(secondsSinceEpoch: 1_800_000_000 + clock.nanoseconds / 1_000_000_000)) }

    mutating func spawnProcess(_ id: PentID) -> ProcessIdentity {
        nextPID += 1
        let process = ProcessIdentity(pid: ProcessID(nextPID), startTime: UInt64(nextPID))
        running[id, default: []].append(process)
        return process
    }

    mutating func found(_ id: PentID) -> ProcessIdentity? { running[id]?.first }

    /// Runs a sequence; returns the first broken invariant, if any.
    mutating func run(steps: Int, observe: (Supervisor) -> Void = { _ in }) -> String? {
        let initial = Dictionary(uniqueKeysWithValues: (1...entryCount).compactMap { n -> (PentID, ProcessIdentity)? in
            let id = PentID(n)
            return Bool.random(using: &random) ? (id, spawnProcess(id)) : nil
        })
        if let failure = apply(supervisor.start(found: initial, at: now), event: "start", before: snapshot()) {
            return failure
        }
        for step in 0..<steps {
            let before = snapshot()
            let (revision, deadline) = (supervisor.revision, supervisor.nextDeadline)
            let (event, actions) = randomEvent()
            // The engine keeps nextDeadline until the revision moves (Engine.supervisorDeadline).
            if supervisor.revision == revision, supervisor.nextDeadline != deadline {
                return "step \(step) \(event): the next deadline changed but the revision did not"
            }
            if let failure = apply(actions, event: "step \(step) \(event)", before: before) { return failure }
            observe(supervisor)
        }
        return nil
    }

    typealias Snapshot = [(status: ProcStatus, monitorOn: Bool, scriptRunning: Bool)]

    func snapshot() -> Snapshot {
        supervisor.trackers.map { ($0.procStatus, $0.monitorOn, $0.scriptRunning) }
    }

    mutating func randomEvent() -> (String, [EngineAction]) {
        let id = PentID(Int.random(in: 1...entryCount, using: &random))
        switch Int.random(in: 0..<14, using: &random) {
        case 0, 1:
            guard let process = supervisor.tracker(id)?.process else { return ("no death", []) }
            running[id]?.removeAll { $0 == process }
            let successor = Int.random(in: 0..<4, using: &random) == 0 ? found(id) : nil
            return ("death of \(process.pid)", supervisor.processExited(id, process, successor: successor, at: now))
        case 2:
            // A stale death: a process the entry does not track.
            return ("stale death", supervisor.processExited(id, ProcessIdentity(pid: ProcessID(1), startTime: 1),
                                                           successor: nil, at: now))
        case 3, 4:
            guard let attempt = scripts[id] else { return ("no script", []) }
            scripts[id] = nil
            if Bool.random(using: &random) { _ = spawnProcess(id) }
            let statuses: [ChildStatus?] = [.exited(0), .exited(3), .signaled(9), nil]
            return ("script \(attempt) ended", supervisor.restartScriptEnded(
                id, attempt: attempt, status: statuses.randomElement(using: &random)!, found: found(id), at: now))
        case 5:
            guard let attempt = started[id]?.randomElement(using: &random), attempt != scripts[id] else {
                return ("no stale end", [])
            }
            return ("stale end of \(attempt)", supervisor.restartScriptEnded(
                id, attempt: attempt, status: .exited(0), found: nil, at: now))
        case 6:
            guard let attempt = scripts[id] else { return ("no spawn failure", []) }
            scripts[id] = nil
            return ("spawn failed", supervisor.restartScriptFailedToStart(
                id, attempt: attempt, reason: "EACCES", found: found(id), at: now))
        case 7:
            if Bool.random(using: &random) { _ = spawnProcess(id) }
            let all = Dictionary(uniqueKeysWithValues: (1...entryCount).compactMap { n -> (PentID, ProcessIdentity)? in
                found(PentID(n)).map { (PentID(n), $0) }
            })
            return ("scan", supervisor.scanned(all, at: now))
        case 8, 9:
            clock = clock + .milliseconds(Int64.random(in: 1...8_000, using: &random))
            let due = supervisor.judgementsDue(at: now)
            let found = Dictionary(uniqueKeysWithValues: due.compactMap { id in self.found(id).map { (id, $0) } })
            return ("time", supervisor.timePassed(at: now, found: found))
        case 10:
            let on = Bool.random(using: &random)
            let target = Bool.random(using: &random) ? id : nil
            return ("monitor \(on)", (try? supervisor.setMonitor(on, for: target, requester: "t", at: now)) ?? [])
        case 11:
            return ("reset", (try? supervisor.resetRetryCount(for: id, requester: "t", at: now)) ?? [])
        case 12:
            guard let process = supervisor.tracker(id)?.process else { return ("no observation", []) }
            let stopped = ProcessRecord.State(rawValue: UInt8(ascii: "T"))
            let states: [ProcessRecord.State] = [.running, stopped, stopped, stopped]
            return ("observe", supervisor.observed([id: (process, states.randomElement(using: &random)!)], at: now))
        default:
            return Int.random(in: 0..<10, using: &random) == 0 ? ("stop", supervisor.stop()) : ("nothing", [])
        }
    }

    /// Applies the world's side of the actions and checks every invariant.
    mutating func apply(_ actions: [EngineAction], event: String, before: Snapshot) -> String? {
        if exited && !actions.isEmpty { return "\(event): actions after the exit: \(actions)" }
        var restartedNow: Set<PentID> = []
        for action in actions {
            switch action {
            case .runRestartScript(let id, let attempt):
                if let running = scripts[id], killed[id] != running {
                    return "\(event): a second script for \(id) while \(running) runs"
                }
                if before[id.rawValue - 1].status == .fatal && !event.hasSuffix(" reset") {
                    return "\(event): FATAL entry \(id) restarted"
                }
                scripts[id] = attempt
                started[id, default: []].append(attempt)
                restartsSeen[id, default: 0] += 1
                restartedNow.insert(id)
            case .killRestartScript(let id, let attempt, _):
                if scripts[id] == attempt { killed[id] = attempt }
            case .killProcess(let id, let process):
                // A hung process dies of the kill; the engine hears it from the watch.
                running[id]?.removeAll { $0 == process }
            case .exit:
                exited = true
            default:
                break
            }
        }
        for tracker in supervisor.trackers {
            let id = tracker.entry.id
            if tracker.restartCount != restartsSeen[id, default: 0] {
                return "\(event): restart_count \(tracker.restartCount) of \(id) but \(restartsSeen[id, default: 0]) scripts started"
            }
            if tracker.retryCount > tracker.entry.retry {
                return "\(event): retry_count \(tracker.retryCount) over retry \(tracker.entry.retry) for \(id)"
            }
            // A killed script the supervisor stopped waiting for (stuck after SIGKILL) is the one exception.
            if scripts[id] != nil, killed[id] == scripts[id], !tracker.scriptRunning { scripts[id] = nil }
            if tracker.scriptRunning != (scripts[id] != nil) && !exited {
                return "\(event): \(id) scriptRunning \(tracker.scriptRunning) but the world has \(String(describing: scripts[id]))"
            }
            if tracker.procStatus == .fatal && tracker.scriptRunning { return "\(event): FATAL \(id) with a script" }
        }
        if event.hasPrefix("step"), event.contains("death of"), !exited {
            // Every death is followed, restarted, deferred, taken as retry over, or (monitoring off) recorded.
            let downs = actions.filter { if case .log(let line) = $0 { line.text.hasSuffix("] Down") } else { false } }
            let followed = actions.contains { if case .watch = $0 { true } else { false } }
            let handled = followed || !downs.isEmpty
            if !handled { return "\(event): a death neither followed nor logged Down: \(actions)" }
            if !downs.isEmpty, let id = downs.first.flatMap({ if case .log(let l) = $0 { l.pentID } else { nil } }) {
                let tracker = supervisor.tracker(id)!
                let ok = restartedNow.contains(id) || tracker.procStatus == .fatal || !tracker.monitorOn
                    || tracker.scriptRunning
                if !ok { return "\(event): death of \(id) left it \(tracker.procStatus) without a restart" }
            }
        }
        return nil
    }
}
