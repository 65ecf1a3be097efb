import PsaverConfig
import PsaverProcessTable
import PsaverState
import PsaverSystem

extension Engine {
    /// Carries out the supervisor's actions in order; failures that the supervisor
    /// must know about (a script that can't start) are fed back to it.
    func perform(_ actions: [EngineAction]) {
        for action in actions {
            switch action {
            case .log(let line):
                record(line)
            case .watch(let id, let identity):
                if !watcher.watch(id, identity, epoll: epoll, table: table) { processEnded(id, identity) }
            case .runRestartScript(let id):
                startRestartScript(id)
                scheduleScan(after: .now())
            case .runRetryOverScript(let id, let path):
                guard let tracker = supervisor.tracker(id) else { continue }
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
            case .killRestartScript(let id):
                scripts.killRestartScript(of: id)
            case .writeState:
                stateDirty = true
            case .exit(let outcome):
                finished = outcome
                stateDirty = true
                flushState()
                return
            }
        }
    }

    private func startRestartScript(_ id: PentID) {
        guard let tracker = supervisor.tracker(id) else { return }
        let entry = tracker.entry
        do {
            let pid = try scripts.start(entry.restartScript, for: entry, kind: .restart,
                                        retryCount: tracker.retryCount, restartCount: tracker.restartCount,
                                        output: options.log.scriptOutput)
            record(LogRecord(.notice, "(\(entry.pname)) restart script \(entry.restartScript) started, pid=\(pid) "
                             + "(retry_count=\(tracker.retryCount)/\(entry.retry), restart_count=\(tracker.restartCount))",
                             pentID: id))
        } catch {
            let reason = (error as? SystemError)?.reason ?? "\(error)"
            perform(supervisor.restartScriptFailedToStart(id, reason: reason, at: .now()))
        }
    }

    /// Logs a line and keeps it in the state file's event ring.
    func record(_ line: LogRecord) {
        let now = WallTime.now()
        options.log.write(line, at: now)
        events.append(EventRecord(time: now.iso8601, pentId: line.pentID?.rawValue, text: line.text))
        stateDirty = true
    }

    /// Writes the state file now; a failure is thrown (at start-up it is fatal).
    func writeState() throws {
        let status: EngineStatus =
            switch finished {
            case nil: .running
            case .stopped: .stopped
            case .retryOver: .retryOver
            }
        var document = supervisor.document(facts: facts, status: status, events: events.events, at: .now())
        // Where to look for the whole story (psview's details point there).
        (document.log, document.scriptOutput) = (options.log.destinationName, options.log.scriptOutputPath)
        try StateFileStore(path: supervisor.params.stateFile).write(document)
        stateDirty = false
        nextHeartbeat = .now() + supervisor.params.monitorInterval
    }

    /// Writes the state file if anything changed; a failure is logged and retried
    /// at the next change or heartbeat, while monitoring goes on.
    func flushState() {
        guard stateDirty else { return }
        do {
            try writeState()
        } catch {
            stateDirty = false
            nextHeartbeat = .now() + supervisor.params.monitorInterval
            options.log.write(LogRecord(.error, "cannot write the state file: \(error)"))
        }
    }

    /// SIGHUP: re-reads the pfile; a bad one is refused and the old one stays in force.
    func reload() {
        options.log.reopen()
        guard let load = options.reload else { return }
        record(LogRecord(.notice, "SIGHUP Catch (1)!! log reopened; re-reading \(options.pfile.path)"))
        let fresh: PFile
        do {
            fresh = try load()
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
        watcher.unwatchAll(epoll: epoll)
        let found = table.findMatches(for: fresh.entries)
        let (actions, mapping) = supervisor.reload(fresh, found: found, at: .now())
        scripts.renumber(mapping)
        options.pfile = fresh
        perform(actions)
    }
}
