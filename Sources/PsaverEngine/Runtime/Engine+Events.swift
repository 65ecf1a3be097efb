import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem

extension Engine {
    /// Handles queued events in order, including those their actions queue, until
    /// none is left or the engine has decided to exit.
    func drainQueue() {
        let outermost = !draining
        draining = true
        defer {
            if outermost {
                draining = false
                writeHeldLines()
            }
        }
        while finished == nil, !queue.isEmpty {
            handle(queue.removeFirst())
        }
        if finished != nil { queue.removeAll() }
    }

    private func handle(_ event: LoopEvent) {
        let now = Moment.now()
        switch event {
        case .processEnded(let id, let identity, let user):
            // From what the last pass and the kernel's reports knew: nothing on the way from
            // a death to its script scans /proc. Reports still queued (a fork just before
            // this exit: a daemon detaching) are read first, while the dead process is
            // still known as its child's parent.
            if processEvents != nil { handleProcessEvents(at: now) }
            known.remove(identity)
            guard let tracker = supervisor.tracker(id), tracker.process == identity else { return }
            if let user { lastUsers[id] = user }
            var candidates = known[id].filter { $0 != identity && table.liveness(of: $0) == .alive }
            // Without those reports, a process that dies young may have handed over to a
            // child it forked: only then is that child looked for before the restart.
            if candidates.isEmpty, processEvents == nil, let since = tracker.upSince,
                now.monotonic - since < Self.youngDeath
            {
                candidates = (lookAll([id])[id] ?? []).filter { $0 != identity }
            }
            let successor = successor(of: id, identity, among: candidates, diedAs: user)
            perform(supervisor.processExited(id, identity, successor: successor, at: now))
            cleanUpAfterRetryOver(id)
        case .scriptStarted(let id, let attempt, let script):
            perform(supervisor.restartScriptStarted(id, attempt: attempt, script: script, at: now))
        case .scriptFailedToStart(let id, let attempt, let reason):
            perform(supervisor.restartScriptFailedToStart(
                id, attempt: attempt, reason: reason, found: lookFor([id])[id], at: now))
        case .scriptEnded(let id, let attempt, let status):
            // A failure is judged only after a pass; a script that ended well needs none.
            let succeeded = status?.succeeded ?? true
            let found = succeeded ? quickLook(id) : lookFor([id])[id]
            perform(supervisor.restartScriptEnded(id, attempt: attempt, status: status, found: found, at: now))
            // A script may end before the service it forked has exec'd. With every exec
            // reported, that exec is awaited, not looked for: a pass reads every process
            // on the host (160 ms at 10,000), and a death during it waits. Passes still
            // come once per MONITOR_INTERVAL and at start_wait, for a program whose
            // argv matches only after it rewrites it.
            if !reportsComplete, supervisor.tracker(id)?.procStatus == .waiting { nextScan = .now() }
            if supervisor.tracker(id)?.procStatus == .waiting { scheduleScan(after: now) }
        }
    }

    /// A process up for less than this when it dies may have forked its successor.
    static let youngDeath: Duration = .seconds(2)

    /// The look before an attempt is judged failed: one pass for these entries.
    func lookFor(_ ids: [PentID]) -> [PentID: ProcessIdentity] {
        pick(lookAll(ids))
    }

    /// A look that needs no pass while the kernel reports every exec and none was
    /// lost: what is known once the reported execs are checked. For a script that
    /// ended well, whose process, if it is not known yet, is awaited anyway.
    func quickLook(_ id: PentID) -> ProcessIdentity? {
        guard reportsComplete else { return lookFor([id])[id] }
        handleProcessEvents(at: .now())
        while !pendingExecs.isEmpty { checkExecs(at: .now()) }
        let alive = known[id].filter { table.liveness(of: $0) != .gone }
        return alive.isEmpty ? nil : pick([id: alive])[id]
    }

    /// Every match of these entries, in one pass; what is found becomes what is known.
    func lookAll(_ ids: [PentID]) -> [PentID: [ProcessIdentity]] {
        let found = table.findAllMatches(using: MatcherIndex(ids.compactMap {
            matchers.indices.contains($0.rawValue - 1) ? matchers[$0.rawValue - 1] : nil
        }))
        for id in ids { known.replace(id, found[id] ?? []) }
        return found
    }

    /// The process each entry is given from a pass's matches: the oldest; but an
    /// entry whose process died is given only a process of the same user as that
    /// one (DESIGN §2), so a look-alike another user started is never taken for
    /// the restarted service.
    func pick(_ all: [PentID: [ProcessIdentity]]) -> [PentID: ProcessIdentity] {
        var picked: [PentID: ProcessIdentity] = [:]
        for (id, processes) in all {
            guard let oldest = processes.first else { continue }
            guard supervisor.tracker(id)?.process == nil, let user = lastUsers[id] else {
                picked[id] = oldest
                continue
            }
            picked[id] = SuccessorRule.choose(among: processes, diedAs: user, userOf: { self.table.realUser(of: $0.pid) })
        }
        return picked
    }

    /// The /proc pass of a loop turn: every entry once per full-scan interval (which
    /// also refreshes the successors known for a death), and in between only the
    /// entries without a process; none at all while every entry is up.
    func scan(at now: Moment) {
        noticeExecdScripts(at: now)
        if now.monotonic >= nextFullScan {
            let found = table.findAllMatches(using: matcherIndex)
            known.replaceAll(found)
            nextFullScan = now.monotonic + fullScanInterval
            eventsLost = false
            perform(supervisor.scanned(pick(found), at: now))
            refreshFamilies()
            // A pass reads a record of every process on the host and frees them at
            // once: hand the pages back, as after a whole state write.
            if supervisor.trackers.count >= 1_000 { ResourceLimits.returnFreedMemory() }
        } else {
            let missing = supervisor.entriesWithoutProcess
            if missing.isEmpty { return }
            perform(supervisor.scanned(pick(lookAll(missing)), at: now))
        }
    }

    /// Whether the kernel reports every exec to this engine and none has been lost
    /// since the last full pass. (A program that rewrites its argv after exec only
    /// matches from then on: passes still look for entries without a process, once
    /// per MONITOR_INTERVAL, and before any attempt is judged failed.)
    var reportsComplete: Bool { processEvents != nil && !eventsLost }

    /// A full pass every MONITOR_INTERVAL; with the process-events connector, which
    /// reports every exec as it happens, one a minute is enough as a safety net.
    var fullScanInterval: Duration {
        let interval = supervisor.params.monitorInterval
        return processEvents == nil ? interval : max(interval, .seconds(60))
    }

    /// Reads what the kernel reported. A fork of a known process makes its child a
    /// known successor at once (a daemon that detaches hands over to it); execs are
    /// only noted here and checked by `checkExecs`, after the deaths of the turn, so
    /// that a host that execs a lot never stands between a death and its script.
    func handleProcessEvents(at now: Moment) {
        guard let processEvents else { return }
        let events: [ProcessEvents.Event]
        do {
            events = try processEvents.read()
        } catch {
            // Lost events: a full pass finds whatever they were.
            eventsLost = true
            families.forksLost()
            nextFullScan = now.monotonic
            nextScan = now.monotonic
            nextPoll = now.monotonic
            return
        }
        // On a busy host reports come thousands a second: read them at most every
        // processEventsPause, a batch a time, instead of waking for each (the kernel
        // keeps them in the socket meanwhile; an overflow costs a full pass).
        if !events.isEmpty, processEventsResumeAt == nil,
            (try? epoll.modify(processEvents.descriptor, token: LoopToken.processEvents.rawValue, events: 0)) != nil
        {
            // Deaths past the descriptor limit come as reports: wait less while they do.
            processEventsResumeAt = now.monotonic + (exitsReported ? Self.exitReportsPause : Self.processEventsPause)
        }
        for event in events {
            switch event {
            case .exec(let pid):
                pendingExecs.append(pid)
            case .exit(let pid):
                if exitsReported { queue += watcher.reportedExit(pid, table: table, epoll: epoll) }
            case .fork(let parent, let child):
                noteFork(parent: parent, child: child)
                if pendingExecs.contains(parent) {
                    pendingExecs.append(child)
                    continue
                }
                let entries = known.entries(of: parent)
                guard !entries.isEmpty, let identity = table.identity(of: child) else { continue }
                for id in entries { known.add(id, identity) }
            }
        }
    }

    /// Asks the kernel for exit reports while some watch has no pidfd, and stops
    /// them once none has: such a process is then seen dead when the report comes,
    /// not at a poll of every one of them every second (10,000 past the limit cost a
    /// third of a core). Turned on, the watches are looked at once at once, for a
    /// death before the reports began.
    func followExitsIfNeeded(at now: MonotonicInstant) {
        guard let processEvents, watcher.needsPolling != exitsReported else { return }
        let wanted = watcher.needsPolling
        do {
            try processEvents.reportExits(wanted)
            exitsReported = wanted
            if wanted {
                nextPoll = now
                if !exitReportsUsed {
                    exitReportsUsed = true
                    record(LogRecord(.notice, "the processes without a pidfd are followed through the kernel's "
                                     + "exit reports (and looked at every 5 minutes)"))
                }
            }
        } catch {
            // Polled every second, as without the reports.
            exitsReported = false
            record(LogRecord(.warning, "cannot ask the kernel for exit reports (\(error)); the processes without "
                             + "a pidfd are polled every second"))
        }
    }

    /// Takes the kernel's reports again once their pause is over.
    func resumeProcessEvents(at now: MonotonicInstant) {
        guard let resume = processEventsResumeAt, now >= resume, let processEvents else { return }
        processEventsResumeAt = nil
        do {
            try epoll.modify(processEvents.descriptor, token: LoopToken.processEvents.rawValue, events: Epoll.readable)
        } catch {
            // Without the reports, passes find restarted processes (as for an ordinary user).
            options.log.write(LogRecord(.warning, "process events: cannot listen again (\(error)); "
                                        + "looking for processes by /proc passes instead"))
            self.processEvents = nil
            // Watches without a pidfd had only the reports: they are polled every second again.
            exitsReported = false
            (nextFullScan, nextScan, nextPoll) = (now, now, now)
        }
    }

    /// Checks up to `execBatch` reported execs against their candidate entries only:
    /// a match becomes a known successor, and an entry without a process is up at
    /// once, without waiting for a pass. The rest wait for the next loop turn.
    func checkExecs(at now: Moment) {
        guard !pendingExecs.isEmpty else { return }
        let batch = pendingExecs.takeBatch(Self.execBatch)
        let scriptPIDs = Set(scripts.restartScripts.map(\.0))
        var touched: Set<PentID> = []
        var scriptExeced = false
        for pid in batch {
            if scriptPIDs.contains(pid) { scriptExeced = true }
            guard let (identity, ids) = table.matches(of: pid, using: matcherIndex) else { continue }
            for id in ids where known.add(id, identity) { touched.insert(id) }
        }
        if scriptExeced { noticeExecdScripts(at: now) }
        let waiting = touched.filter { supervisor.tracker($0)?.process == nil }
        guard !waiting.isEmpty else { return }
        let alive = waiting.map { id in (id, known[id].filter { table.liveness(of: $0) != .gone }) }
        perform(supervisor.scanned(pick(Dictionary(uniqueKeysWithValues: alive)), at: now))
    }

    static let execBatch = 512

    /// A restart script that exec'd the program itself is the entry's process, and
    /// still this engine's child (which a pass never matches): noticed here, from
    /// the scripts this engine runs for entries that await their process.
    func noticeExecdScripts(at now: Moment) {
        for (pid, id, attempt) in scripts.restartScripts {
            guard let tracker = supervisor.tracker(id), tracker.procStatus == .restarting,
                let record = table.record(of: pid), !record.state.hasExited
            else { continue }
            // The script is our child; judge it as any process, the parent rule aside.
            let matcher = ProcessMatcher(entry: tracker.entry, resolvedPname: try? FileSystem.resolve(tracker.entry.pname),
                                         selfPID: ProcessID(0))
            guard matcher.matches(record, executable: { self.table.executable(of: pid) },
                                  realUser: { self.table.realUser(of: pid) })
            else { continue }
            let actions = supervisor.scriptBecameProcess(id, attempt: attempt, process: record.identity, at: now)
            if !actions.isEmpty { scripts.becameService(pid) }
            perform(actions)
        }
    }

    /// Reads the scheduler state of every up process whose entry has `stall=`.
    func checkStalls(at now: Moment) {
        guard stallWatched else { return }
        var shortest: Duration = .seconds(1)
        var states: [PentID: (ProcessIdentity, ProcessRecord.State)] = [:]
        for tracker in supervisor.trackers {
            guard let stall = tracker.entry.stall, tracker.procStatus == .avail, let process = tracker.process,
                let state = table.state(of: process)
            else { continue }
            shortest = min(shortest, stall / 4)
            states[tracker.entry.id] = (process, state)
        }
        nextStallCheck = now.monotonic + max(shortest, .milliseconds(250))
        if !states.isEmpty { perform(supervisor.observed(states, at: now)) }
    }
}

/// DESIGN §2: when a tracked process dies, another match is followed instead of a
/// restart only if it runs as the same user. Pure, so it is tested without /proc.
enum SuccessorRule {
    /// The oldest candidate that runs as `diedAs`; none when that user is unknown.
    static func choose(
        among candidates: [ProcessIdentity], diedAs user: UserID?, userOf: (ProcessIdentity) -> UserID?
    ) -> ProcessIdentity? {
        guard let user else { return nil }
        return candidates.sorted { $0.isOlder(than: $1) }.first { userOf($0) == user }
    }
}
