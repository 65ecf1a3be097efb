import PsaverConfig
import PsaverState
import PsaverSystem

extension Engine {
    /// Answers one control request at once: a change is applied, logged with who
    /// asked, written to the state file, and the new state is sent back.
    func answer(_ request: ControlServer.Request) {
        guard let control else { return }
        let peer = request.peer
        if request.request.changesState && peer.user != .root && peer.user != facts.user {
            record(LogRecord(.warning, "control request refused: uid=\(peer.user) pid=\(peer.pid) "
                             + "may not change this engine (root or uid=\(facts.user) may)"))
            control.reply(request.client, .refused(
                .permissionDenied, "permission denied: only root or \(Identity.userName(of: facts.user)) "
                    + "(uid \(facts.user)) may change this engine"), epoll: epoll)
            return
        }
        let requester = "uid=\(peer.user) pid=\(peer.pid)"
        let now = Moment.now()
        do {
            switch request.request {
            case .show:
                break
            case .monitor(let on, let id):
                perform(try supervisor.setMonitor(on, for: id.map { PentID($0) }, requester: requester, at: now))
            case .reset(let id):
                perform(try supervisor.resetRetryCount(for: id.map { PentID($0) }, requester: requester, at: now))
            case .stop(let force):
                // DESIGN §9: under a cluster, a stop by hand looks to the cluster like a failure.
                if let cluster = options.cluster, !force {
                    record(LogRecord(.warning, "stop refused: requested by \(requester) without force, but this "
                                     + "engine runs as \(cluster.manager.rawValue) resource \(cluster.resource)"))
                    control.reply(request.client, .refused(
                        .clusterManaged, cluster.stopRefusal(enginePID: Identity.processID)), epoll: epoll)
                    return
                }
                record(LogRecord(.notice, "stop requested by \(requester)\(force ? " (forced)" : "")"))
                let actions = supervisor.stop()
                // Answer before the exit action ends the loop.
                control.reply(request.client, ControlAnswer(ok: true, message: "engine stopping"), epoll: epoll)
                perform(actions)
                return
            }
        } catch {
            guard case .unknownEntry(let id) = error else { return }
            control.reply(request.client, .refused(
                .unknownEntry, "no entry with pent_id \(id): this pfile has \(supervisor.trackers.count)"),
                epoll: epoll)
            return
        }
        // "done" only once the state file says so; otherwise the asker hears what holds and why.
        let failure = recordChange()
        let state = supervisor.document(facts: facts, status: .running, events: events.events, at: .now())
        var answer = ControlAnswer(ok: true, message: "done", state: state)
        if let failure {
            answer.recorded = false
            answer.message = "applied but not recorded: the engine follows the change, but the state file could "
                + "not be written (\(failure)), so show and psview do not see it yet"
        }
        control.reply(request.client, answer, epoll: epoll)
    }
}
