import PsaverState
import PsaverSystem

extension AdminTask {
    /// `monitor`, `reset` and `stop`: one request on the control socket. Prints
    /// the entries as the engine left them, or for `stop` that the engine has ended.
    func change(_ request: ControlRequest, _ target: EngineTarget) throws(PadminFailure) -> PadminExitCode {
        let answer: ControlAnswer
        // The state file names the engine; only that pid, as that user, is told anything.
        let engine = (try? target.store.read()).map { ExpectedEngine(pid: $0.pid, user: $0.uid) }
        do {
            answer = try ControlClient(socketPath: target.socketPath, timeout: target.timeout, engine: engine)
                .send(request)
        } catch {
            throw explain(error, target)
        }
        let unrecorded = answer.recorded == false
            ? PadminFailure(.notRecorded, "not_recorded", answer.message) : nil
        var output = PadminOutput(command: command.name, failure: unrecorded, message: answer.message)
        if request.isStop {
            let final = try? EngineSnapshot.read(target)
            if let final { output.engine = EngineSummary(final.document, state: final.stateWord) }
            let who = final.map { "the engine (pid \($0.document.pid))" } ?? "the engine"
            output.message = "\(who) has stopped"
            json ? output.print() : print("\(who) has stopped")
            return .success
        }
        let entries = answer.state.map { state in
            state.entries.filter { entry in request.pentID.map { $0 == entry.pentId } ?? true }
        } ?? []
        if let unrecorded {
            ProgramExit.printError(ToolError(tool: "padmin").warningLine(unrecorded.subject ?? "", unrecorded.message))
        }
        if json {
            output.engine = answer.state.map { EngineSummary($0, state: "running") }
            output.entries = entries
            output.print()
        } else {
            for entry in entries { print(Self.summary(of: entry)) }
        }
        return unrecorded?.code ?? .success
    }

    /// `pent_id 1 /usr/bin/java: monitor_sts=off proc_sts=AVAIL pid=3679 retry_count=0 restart_count=2`.
    static func summary(of entry: EntryRecord) -> String {
        "pent_id \(entry.pentId) \(TerminalText.visible(entry.pname)): monitor_sts=\(entry.monitorSts.rawValue) "
            + "proc_sts=\(entry.procSts.rawValue) pid=\(entry.pid.map(String.init) ?? "-----") "
            + "retry_count=\(entry.retryCount) restart_count=\(entry.restartCount)"
    }

    /// Turns a client error into what the operator needs: what happened, since
    /// when, whether anything changed, and the exit code.
    func explain(_ error: ControlClientError, _ target: EngineTarget) -> PadminFailure {
        let snapshot = try? EngineSnapshot.read(target)
        let unchanged = "; nothing was changed"
        switch error {
        case .notRunning(let path):
            if let stopped = snapshot?.notRunning {
                return PadminFailure(stopped.code, stopped.reason, stopped.message + unchanged,
                                     subject: stopped.subject)
            }
            if let snapshot {
                return .failure("the engine (pid \(snapshot.document.pid)) seems to run but has no control socket "
                                + "here (was it removed?); restart pcheck to restore it" + unchanged, subject: path)
            }
            return PadminFailure(.notRunning, "not_running", "the engine is not running: no control socket "
                                 + "and no state file (start it with pcheck -f \(pfile))" + unchanged, subject: path)
        case .stale(let path):
            let last = snapshot.map { "; pid \($0.document.pid) last wrote its state "
                + EngineSnapshot.since($0.document.heartbeatAt) } ?? ""
            return PadminFailure(.notRunning, "stale", "the engine is not running: nothing answers on its "
                                 + "control socket, left by an engine that was killed\(last)" + unchanged,
                                 subject: path)
        case .permissionDenied:
            let me = Identity.effectiveUser
            let owner = snapshot.map { $0.document.uid == .root ? "" : " or \(Self.name(of: $0.document.uid))" }
                ?? " or the engine's user"
            return PadminFailure(.permissionDenied, "permission_denied", "permission denied: only root\(owner) may "
                                 + "change this engine, and you are \(Self.name(of: me))" + unchanged
                                 + " (show works for anyone who can read the state file)", subject: target.socketPath)
        case .unknownEntry(let message):
            return PadminFailure(.unknownEntry, "unknown_entry", message + unchanged)
        case .clusterManaged(let message):
            return PadminFailure(.refused, "cluster_managed", message)
        case .badRequest(let message):
            return .failure("the engine refused the request: \(message)")
        case .timedOut(let timeout):
            let seconds = "the engine did not answer within \(timeout.components.seconds) s (MSG_CHECK_INTERVAL)"
            if let stale = snapshot?.notRunning {
                return PadminFailure(stale.code, stale.reason, "\(seconds), and \(stale.message)")
            }
            return .failure("\(seconds); see its log, the change may or may not have been made")
        case .transport(let message):
            return .failure("talking to the engine failed: \(message)", subject: target.socketPath)
        case .notTheEngine(let message):
            return PadminFailure(.notTheEngine, "not_the_engine", message)
        }
    }

    /// `tomcat (uid 1001)`, or `uid 1001` for a user without a name.
    static func name(of user: UserID) -> String {
        let name = Identity.userName(of: user)
        return name == user.description ? "uid \(user)" : "\(name) (uid \(user))"
    }
}

extension ControlRequest {
    /// The one entry a request names, nil for all entries or none.
    var pentID: Int? {
        switch self {
        case .monitor(_, let id), .reset(let id): id
        case .show, .stop: nil
        }
    }
}
