import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem

extension Engine {
    /// Carries out the supervisor's actions in order. What an action leads to (a
    /// script's pid, a watch that found its process gone, a spawn that failed) is
    /// queued for the supervisor, never fed back from here.
    func perform(_ actions: [EngineAction]) {
        for action in actions {
            switch action {
            case .log(let line):
                record(line)
            case .watch(let id, let identity):
                if !watcher.watch(id, identity, epoll: epoll, table: table) {
                    queue.append(.processEnded(id, identity, user: nil))
                } else {
                    noteWatched(id, identity)
                }
            case .watchAdoptedScript(let id, let attempt, let script):
                if !watcher.watchScript(id, attempt: attempt, script, epoll: epoll, table: table) {
                    queue.append(.scriptEnded(id, attempt: attempt, nil))
                }
            case .runRestartScript(let id, let attempt):
                // After a death, the script waits for the clean-up (Engine+Cleanup).
                if holdForCleanup(id, attempt: attempt) { continue }
                startRestartScript(id, attempt: attempt)
                scheduleScan(after: .now())
            case .runRetryOverScript(let id, let path):
                runRetryOverScript(id, path: path)
            case .killRestartScript(let id, let attempt, let wholeGroup):
                killRestartScript(id, attempt: attempt, wholeGroup: wholeGroup)
            case .killProcess(let id, let identity):
                do {
                    if table.liveness(of: identity) == .alive { try ProcessSignals.send(ProcessSignals.kill, to: identity.pid) }
                } catch {
                    record(LogRecord(.error, "cannot kill hung pid=\(identity.pid): \(error)", pentID: id))
                }
            case .writeState:
                stateDirty = true
                contentChanged = true
            case .exit(let outcome):
                finished = outcome
                stateDirty = true
                contentChanged = true
                flushState()
                return
            }
        }
    }

    /// Spawns first and logs after, so nothing stands between a death and its script.
    func startRestartScript(_ id: PentID, attempt: Int) {
        guard let tracker = supervisor.tracker(id) else { return }
        let entry = tracker.entry
        do {
            let pid = try scripts.start(entry.restartScript, for: entry, kind: .restart(attempt: attempt),
                                        retryCount: tracker.retryCount, restartCount: tracker.restartCount,
                                        output: options.log.scriptOutput)
            // Our child, unreaped: its pid names it until we reap it. Only its start time is read.
            let identity = table.identity(of: pid) ?? ProcessIdentity(pid: pid, startTime: 0)
            queue.append(.scriptStarted(id, attempt: attempt, identity))
            record(LogRecord(.notice, "(\(entry.pname)) restart script \(entry.restartScript) started, pid=\(pid) "
                             + "(retry_count=\(tracker.retryCount)/\(entry.retry), restart_count=\(tracker.restartCount))",
                             pentID: id))
        } catch {
            let reason = (error as? SystemError)?.reason ?? "\(error)"
            queue.append(.scriptFailedToStart(id, attempt: attempt, reason: reason))
        }
    }

    private func runRetryOverScript(_ id: PentID, path: String) {
        guard let tracker = supervisor.tracker(id) else { return }
        do {
            let pid = try scripts.start(path, for: tracker.entry, kind: .retryOver,
                                        retryCount: tracker.retryCount, restartCount: tracker.restartCount,
                                        output: options.log.scriptOutput)
            record(LogRecord(.notice, "(\(tracker.entry.pname)) retry-over script \(path) started, pid=\(pid)",
                             pentID: id))
        } catch {
            record(LogRecord(.error, "(\(tracker.entry.pname)) retry-over script \(path) could not be started: \(error)",
                             pentID: id))
        }
    }

    /// Kills an attempt's script: ours by its pid, or one adopted from an engine
    /// before this one. A script leads its own session, so its group id is its pid.
    private func killRestartScript(_ id: PentID, attempt: Int, wholeGroup: Bool) {
        let pid: ProcessID
        if let ours = scripts.script(of: id, attempt: attempt) {
            pid = ours
        } else if let adopted = watcher.adoptedScript(of: id, attempt: attempt), table.liveness(of: adopted) == .alive {
            pid = adopted.pid
        } else {
            return
        }
        do {
            if wholeGroup {
                try ProcessSignals.sendToGroup(ProcessSignals.kill, group: pid)
            } else {
                try ProcessSignals.send(ProcessSignals.kill, to: pid)
            }
        } catch {
            record(LogRecord(.error, "cannot kill restart script pid=\(pid): \(error)", pentID: id))
        }
    }

    /// Logs a line and keeps it in the state file's event ring. While the queue is
    /// drained the line is written when the drain ends, with the time it was made:
    /// a burst's later deaths get their scripts before the earlier ones' lines are
    /// formatted and written (the ring, which the state file shows, is kept at once).
    func record(_ line: LogRecord) {
        let now = WallTime.now()
        if draining {
            heldLines.append((line, now))
        } else {
            options.log.write(line, at: now)
        }
        events.append(EventRecord(time: now.iso8601, pentId: line.pentID?.rawValue, text: line.text))
        stateDirty = true
        contentChanged = true
    }

    /// Writes the lines held during a drain, in the order they were made.
    func writeHeldLines() {
        for (line, time) in heldLines { options.log.write(line, at: time) }
        heldLines.removeAll(keepingCapacity: true)
    }

    /// Writes the state file now; a failure is thrown (at start-up it is fatal).
    func writeState() throws {
        let status: EngineStatus =
            switch finished {
            case nil: .running
            case .stopped: .stopped
            case .retryOver: .retryOver
            }
        let now = WallTime.now()
        // A heartbeat with nothing changed copies the file before but for its time:
        // no entry is encoded again, and the kernel copies the rest (StateFileWriter).
        let heartbeatWritten = contentChanged ? false : try stateWriter.writeHeartbeat(now.iso8601)
        var written: StateDocument?
        defer { afterStateWrite(written) }
        if !heartbeatWritten {
            var document = supervisor.document(facts: facts, status: status, events: events.events, at: now)
            // Where to look for the whole story (psview's details point there).
            (document.log, document.scriptOutput) = (options.log.destinationName, options.log.scriptOutputPath)
            try stateWriter.write(document)
            written = document
            // A large engine builds megabytes for such a write and frees them at once:
            // hand them back, so they don't stay resident between writes.
            if supervisor.trackers.count >= 1_000 { ResourceLimits.returnFreedMemory() }
        }
        contentChanged = false
        stateDirty = false
        unsavedSince = nil
        nextHeartbeat = .now() + supervisor.params.monitorInterval
    }

    /// Writes the state file if anything changed; a failure is logged and retried
    /// at the next change or heartbeat, while monitoring goes on.
    ///
    /// A change waits for as long as the last whole write took (at most
    /// `maximumWriteDelay`), so that what else is ready meanwhile is taken first: in
    /// a burst of deaths at 10,000 entries each write costs ~20 ms, and the deaths
    /// after the first would otherwise wait behind it. At 10 entries the wait is a
    /// fraction of a millisecond. The final state and heartbeats are never held.
    func flushState() {
        guard stateDirty else { return }
        let now = MonotonicInstant.now()
        if finished == nil, contentChanged {
            let since = unsavedSince ?? now
            unsavedSince = since
            if now < since + min(lastWriteCost, Self.maximumWriteDelay) { return }
        }
        let whole = contentChanged
        do {
            try writeState()
            if whole { lastWriteCost = .now() - now }
        } catch {
            (stateDirty, unsavedSince) = (false, nil)
            nextHeartbeat = .now() + supervisor.params.monitorInterval
            options.log.write(LogRecord(.error, "cannot write the state file: \(error)"))
        }
    }

    /// SIGHUP: re-reads the pfile; a bad one is refused and the old one stays in force.
    ///
    /// The pfile is parsed on a thread of its own (a large or hostile one takes a
    /// while), so monitoring goes on meanwhile; `finishReload` applies it.
    func reload() {
        options.log.reopen()
        guard let load = options.reload else { return }
        record(LogRecord(.notice, "SIGHUP Catch (1)!! log reopened; re-reading \(options.pfile.path)"))
        guard reloading == nil else {
            reloadAgain = true
            return
        }
        do {
            let path = options.pfile.path
            let work = try BackgroundWork { Result { try PFileSettling.load(path, using: load) } }
            try epoll.add(work.descriptor, token: LoopToken.reload.rawValue)
            reloading = work
        } catch {
            record(LogRecord(.error, "pfile reload refused: cannot read it off the loop: \(error)"))
        }
    }

    /// Applies the pfile read for SIGHUP, or refuses it; the old one stays in force
    /// when it is bad.
    func finishReload() {
        guard let work = reloading, let outcome = work.take() else { return }
        epoll.remove(work.descriptor)
        reloading = nil
        defer {
            if reloadAgain {
                reloadAgain = false
                reload()
            }
        }
        let fresh: PFile
        do {
            fresh = try outcome.get()
        } catch {
            record(LogRecord(.error, "pfile reload refused, the previous configuration stays in force: \(error)"))
            return
        }
        guard fresh.params.ipcKey == supervisor.params.ipcKey, fresh.params.stateFile == supervisor.params.stateFile else {
            record(LogRecord(.error, "pfile reload refused: IPCKEY and SHM_DUMP_FILE cannot change while running; "
                             + "restart pcheck to change them"))
            return
        }
        for warning in fresh.warnings { record(LogRecord(.warning, warning.description)) }
        matchers = fresh.entries.map { table.matcher(for: $0) }
        matcherIndex = MatcherIndex(matchers)
        let found = table.findAllMatches(using: matcherIndex)
        known.replaceAll(found)
        lastUsers = [:]
        let (actions, mapping) = supervisor.reload(fresh, found: pick(found), at: .now())
        watcher.reload(mapping, epoll: epoll)
        scripts.renumber(mapping)
        options.pfile = fresh
        options.pfile.dropEntriesHeldBySupervisor()
        stallWatched = fresh.entries.contains { $0.stall != nil }
        nextStallCheck = .now()
        perform(actions)
    }
}
