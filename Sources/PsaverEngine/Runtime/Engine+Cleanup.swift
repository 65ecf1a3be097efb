import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem

/// DESIGN §2: what a dead process leaves behind is its own, not its successor, and
/// is ended before the restart script runs; the script runs once the dead process
/// and its leftovers are gone from the process table (LeftoverCleanup).
extension Engine {
    /// A watch began: the process's session and group are read now, while it runs.
    func noteWatched(_ id: PentID, _ identity: ProcessIdentity) {
        cleanups[id] = nil
        guard let kinship = ProcessKinship.read(identity.pid, root: options.procRoot), kinship.identity == identity
        else { return }
        var family = MainFamily(identity: identity, group: kinship.group, session: kinship.session)
        family.forksComplete = reportsComplete
        family.descendants = Set(ProcessKinship.descendants(of: identity.pid, root: options.procRoot).map(\.identity))
        families.watched(id, family)
    }

    /// Without the kernel's fork reports, the children a watched process forked since
    /// its watch began are learnt once per full pass (they are lost at its death,
    /// when the kernel hands them to PID 1).
    func refreshFamilies() {
        guard processEvents == nil else { return }
        for tracker in supervisor.trackers {
            guard let process = tracker.process, families.family(of: tracker.entry.id)?.identity == process else {
                continue
            }
            let children = ProcessKinship.descendants(of: process.pid, root: options.procRoot).map(\.identity)
            families.adopt(tracker.entry.id, children)
        }
    }

    /// The kernel reported a fork: a child of a watched process (or of its children) is family.
    func noteFork(parent: ProcessID, child: ProcessID) {
        guard families.hasMember(parent), let childIdentity = table.identity(of: child) else { return }
        families.forked(parent: parent, child: childIdentity,
                        parentStart: { ProcessKinship.read(parent, root: options.procRoot)?.identity.startTime },
                        isGone: { self.table.liveness(of: $0) == .gone })
    }

    /// The successor of a death among `candidates`, by the whole rule; the dead
    /// process's family is kept for the clean-up when there is none.
    func successor(
        of id: PentID, _ identity: ProcessIdentity, among candidates: [ProcessIdentity], diedAs user: UserID?
    ) -> ProcessIdentity? {
        let family = families.take(id, identity)
        let kin = Dictionary(candidates.compactMap { candidate in
            ProcessKinship.read(candidate.pid, root: options.procRoot).map { (candidate, $0) }
        }, uniquingKeysWith: { first, _ in first })
        let chosen = SuccessorRule.choose(
            among: candidates, diedAs: user, userOf: { self.table.realUser(of: $0.pid) },
            matchesOnItsOwn: { candidate in
                self.table.matches(of: candidate.pid, using: self.matcherIndex)
                    .map { $0.0 == candidate && $0.1.contains(id) } ?? false
            },
            isLeftover: { candidate in
                guard let family, let kinship = kin[candidate] else { return false }
                return family.keeps(kinship)
            })
        if chosen == nil, let family, let entry = supervisor.tracker(id)?.entry {
            cleanups[id] = LeftoverCleanup(entry: entry, family: family)
        }
        return chosen
    }

    /// Holds a restart script while its entry's dead process is being cleaned up
    /// after; true when it was held (it runs from `advanceCleanups`).
    func holdForCleanup(_ id: PentID, attempt: Int) -> Bool {
        beginCleanup(id, attempt: attempt)
    }

    /// A death that left its entry FATAL (retry over) restarts nothing, but its
    /// leftovers still hold the port on this node after a failover: they are ended too.
    func cleanUpAfterRetryOver(_ id: PentID) {
        guard supervisor.tracker(id)?.procStatus == .fatal else { return }
        _ = beginCleanup(id, attempt: nil)
    }

    /// At a retry-over exit, the clean-ups under way are finished before the engine
    /// ends (bounded by cleanup_wait and the wait after SIGKILL); nothing is reaped.
    func finishCleanupsBeforeExit() {
        let longest = cleanups.values.map(\.entry.cleanupWait).max() ?? .zero
        let deadline = MonotonicInstant.now() + longest + LeftoverCleanup.killWait
        while cleanups.values.contains(where: { $0.stage != .dead && $0.attempt == nil }),
            MonotonicInstant.now() < deadline
        {
            MonotonicInstant.sleep(LeftoverCleanup.pollInterval)
            advanceCleanups(at: .now())
        }
        writeHeldLines()
        // The final state file holds what the clean-up logged.
        flushState()
    }

    /// Starts a clean-up: SIGTERM to the leftovers found now; `attempt` is the
    /// restart it holds, nil when none follows (retry over).
    private func beginCleanup(_ id: PentID, attempt: Int?) -> Bool {
        guard var cleanup = cleanups[id], cleanup.stage == .dead else { return false }
        let now = MonotonicInstant.now()
        cleanup.attempt = attempt
        if cleanup.entry.cleanup {
            // Every later member of a session descends from its leader: with every fork
            // reported since the watch began, the descendants are all there is, and the
            // way from a death to its script reads no directory.
            let all = cleanup.family.forksComplete && reportsComplete
                ? cleanup.family.descendants.compactMap { ProcessKinship.read($0.pid, root: options.procRoot) }
                : ProcessKinship.readAll(root: options.procRoot)
            let selfPID = Identity.processID
            // Those that ended already (PostgreSQL's children end with it) are still
            // waited for, until their parent reaps them.
            let owned = all.filter { $0.pid.rawValue > 1 && $0.pid != selfPID && cleanup.family.owns($0) }
            cleanup.leftovers = owned.map(\.identity)
            cleanup.running = owned.filter { !$0.exited }.map(\.identity)
        }
        for leftover in cleanup.running { signal(ProcessSignals.terminate, leftover, cleanup) }
        if !cleanup.running.isEmpty {
            record(LogRecord(.notice, "\(cleanup.prefix) ended; ending what it left running first: "
                             + "pid=\(cleanup.running.map(\.pid.description).joined(separator: ",")) (SIGTERM, "
                             + "SIGKILL after cleanup_wait=\(Supervisor.seconds(cleanup.entry.cleanupWait)) s)",
                             pentID: id))
        }
        cleanup.stage = .ending(until: now + cleanup.entry.cleanupWait)
        cleanups[id] = cleanup
        advanceCleanup(id, at: now)
        return true
    }

    /// Moves every clean-up on; the scripts of those that are done start.
    func advanceCleanups(at now: MonotonicInstant) {
        for id in Array(cleanups.keys) where cleanups[id]?.stage != .dead { advanceCleanup(id, at: now) }
    }

    /// When a clean-up under way next needs a look.
    var cleanupDeadline: MonotonicInstant? {
        cleanups.values.contains { $0.stage != .dead } ? .now() + LeftoverCleanup.pollInterval : nil
    }

    private func advanceCleanup(_ id: PentID, at now: MonotonicInstant) {
        guard var cleanup = cleanups[id] else { return }
        let root = options.procRoot
        let ended = cleanup.running.filter { table.liveness(of: $0) == .gone }
        for leftover in ended {
            record(LogRecord(.notice, "\(cleanup.prefix) leftover pid=\(leftover.pid) ended", pentID: id))
        }
        cleanup.running.removeAll { ended.contains($0) }
        switch cleanup.stage {
        case .dead:
            return
        case .ending(let until):
            if !cleanup.running.isEmpty {
                guard now >= until else { break }
                for leftover in cleanup.running { signal(ProcessSignals.kill, leftover, cleanup) }
                record(LogRecord(.warning, "\(cleanup.prefix) leftover pid="
                                 + cleanup.running.map(\.pid.description).joined(separator: ",")
                                 + " still ran \(Supervisor.seconds(cleanup.entry.cleanupWait)) s after SIGTERM; "
                                 + "sent SIGKILL", pentID: id))
                cleanup.stage = .killed(until: now + LeftoverCleanup.killWait)
                break
            }
            cleanup.stage = .reaping(until: now + LeftoverCleanup.reapWait)
        case .killed(let until):
            if !cleanup.running.isEmpty && now < until { break }
            cleanup.stage = .reaping(until: now + LeftoverCleanup.reapWait)
        case .reaping:
            break
        }
        // With no script to follow, nothing needs the table free of them.
        if case .reaping = cleanup.stage, cleanup.attempt == nil {
            cleanups[id] = nil
            return
        }
        if case .reaping(let until) = cleanup.stage {
            let unreaped = ([cleanup.family.identity] + cleanup.leftovers).filter {
                ProcessKinship.isInTable($0, root: root)
            }
            guard unreaped.isEmpty || now >= until else {
                cleanups[id] = cleanup
                return
            }
            if !unreaped.isEmpty {
                let parents = Set(unreaped.compactMap { ProcessKinship.read($0.pid, root: root)?.parentPID })
                    .map(\.description).sorted().joined(separator: ",")
                record(LogRecord(.warning, "\(cleanup.prefix) pid=\(unreaped.map(\.pid.description).joined(separator: ","))"
                                 + " ended but \(Supervisor.seconds(LeftoverCleanup.reapWait)) s later "
                                 + "\(unreaped.count == 1 ? "is still a zombie" : "are still zombies"): their parent "
                                 + "(pid=\(parents.isEmpty ? "?" : parents)) did not reap them; running the restart "
                                 + "script anyway", pentID: id))
            }
            cleanups[id] = nil
            if let attempt = cleanup.attempt, supervisor.tracker(id)?.runningAttempt?.number == attempt,
                supervisor.tracker(id)?.runningAttempt?.script == nil
            {
                startRestartScript(id, attempt: attempt)
                scheduleScan(after: .now())
            }
            return
        }
        cleanups[id] = cleanup
    }

    private func signal(_ signal: Int32, _ process: ProcessIdentity, _ cleanup: LeftoverCleanup) {
        guard table.liveness(of: process) == .alive else { return }
        do {
            try ProcessSignals.send(signal, to: process.pid)
        } catch {
            record(LogRecord(.warning, "\(cleanup.prefix) cannot signal leftover pid=\(process.pid): \(error)",
                             pentID: cleanup.entry.id))
        }
    }
}
