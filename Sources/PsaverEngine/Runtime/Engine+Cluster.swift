import PsaverConfig
import PsaverState
import PsaverSystem

extension Engine {
    /// Before the first write of its own state: when the engine before it ended at
    /// retry over, its state file is the only record of which entry went FATAL, and
    /// writing over it would erase the evidence an operator needs. Keep it beside.
    func keepRetryOverPredecessor() {
        let store = StateFileStore(path: supervisor.params.stateFile)
        let name = FileSystem.baseName(of: store.path)
        let kept = store.previousPath
        // The state folder by the engine's own rule, and in it only a regular file of
        // the engine's user (or root): a link or a file planted by someone else is not
        // evidence, and is never followed.
        guard let folder = try? store.folder(), let status = folder.status(of: name), status.kind == .regular,
            status.owner == facts.user || status.owner == .root,
            let bytes = try? FileSystem.readRegular(store.path, what: "state file",
                                                     limit: StateFileStore.maximumSize),
            let previous = try? StateCodec.decode(bytes), previous.engineSts == .retryOver
        else { return }
        do {
            try folder.replace(FileSystem.baseName(of: kept), with: bytes, permissions: 0o644)
            let fatal = previous.entries.filter { $0.procSts == .fatal }.map(\.pname).joined(separator: ", ")
            record(LogRecord(.notice, "the previous engine (pid \(previous.pid)) ended at retry over at "
                             + "\(previous.heartbeatAt)\(fatal.isEmpty ? "" : " (FATAL: \(fatal))"); its final "
                             + "state is kept in \(kept) (padmin -c show pent --previous)"))
        } catch {
            record(LogRecord(.error, "cannot keep the previous engine's retry-over state in \(kept): \(error)"))
        }
    }

    /// Runs the retry-over command, if one was given, after the final state is
    /// written and before the engine exits; waits for it at most its timeout, then
    /// kills its process group. Its end is logged and written to the state file.
    public func runRetryOverCommand() {
        guard finished == .retryOver, let command = options.onRetryOver else { return }
        let fatal = supervisor.trackers.filter { $0.procStatus == .fatal }.map(\.entry.pname)
        var environment = Identity.environmentStrings().filter { !$0.hasPrefix("PSAVER_") } + [
            "PSAVER_PFILE=\(options.pfile.path)", "PSAVER_STATE_FILE=\(supervisor.params.stateFile)",
            "PSAVER_IPCKEY=\(supervisor.params.ipcKey)", "PSAVER_FATAL=\(fatal.joined(separator: " "))",
        ]
        if let cluster = options.cluster { environment.append("PSAVER_CLUSTER_RESOURCE=\(cluster.resource)") }
        let sink = options.log.scriptOutput ?? .standardError
        let pid: ProcessID
        do {
            pid = try Spawner.spawn(command.program, arguments: command.arguments, environment: environment,
                                    output: sink)
        } catch {
            record(LogRecord(.error, "retry-over command \(command.commandLine) could not be started: \(error)"))
            flushState()
            return
        }
        record(LogRecord(.notice, "retry-over command \(command.commandLine) started, pid=\(pid)"))
        let deadline = MonotonicInstant.now() + command.timeout
        var ended: ChildStatus?
        while ended == nil {
            // SIGCHLD is taken by the signalfd, so the child is looked for by polling:
            // a few milliseconds at most, and only once, on the way out.
            ended = Spawner.reapEnded().first { $0.0 == pid }?.1
            if ended != nil { break }
            if MonotonicInstant.now() >= deadline {
                try? ProcessSignals.sendToGroup(ProcessSignals.kill, group: pid)
                record(LogRecord(.error, "retry-over command \(command.commandLine) did not end within "
                                 + "\(command.timeout.components.seconds) s; killed"))
                break
            }
            MonotonicInstant.sleep(.milliseconds(5))
        }
        if let ended {
            record(LogRecord(ended.succeeded ? .notice : .error,
                             "retry-over command \(command.commandLine) ended: \(ended)"))
        }
        flushState()
    }
}
