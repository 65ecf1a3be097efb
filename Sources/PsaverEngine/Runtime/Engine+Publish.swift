import PsaverState
import PsaverSystem

extension Engine {
    /// After every state write: the history beside the state file (Engine+History) and,
    /// under Pacemaker, the summary and health in the node's attributes
    /// (`ClusterPublisher`). `document` is nil after a heartbeat that copied the file.
    func afterStateWrite(_ document: StateDocument?) {
        keepHistory(document)
        guard let document else { return }
        if finished != nil {
            publisher.finish(document, wall: .now()) { record($0) }
        } else {
            publisher.observe(document, at: .now(), wall: .now())
            publishIfDue(at: .now())
        }
    }

    /// Starts the next publication when its time has come (never waits for one).
    func publishIfDue(at now: MonotonicInstant) {
        guard finished == nil else { return }
        publisher.run(at: now, wall: .now()) { options.log.write($0) }
    }
}
