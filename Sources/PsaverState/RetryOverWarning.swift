/// What turning monitoring back on does to an entry whose retries are spent, said
/// before it is done: psview asks with it, padmin prints it and wants `--yes`.
///
/// The engine handles a DOWN entry at once when its monitoring comes on (DESIGN §2):
/// at retry_count = retry that is retry over there and then; one below, the restart
/// it starts is the last, and its failure is retry over. Either can end in the
/// engine's exit and a failover, which no keystroke should cause by surprise.
public enum RetryOverWarning {
    /// The warning for turning monitoring on for `entry`, or nil when that is safe
    /// (monitoring already on, the process not DOWN, or retries to spare). `cluster`
    /// is the engine's, so that a failover is named only where there is a cluster.
    public static func monitorOn(_ entry: EntryRecord, cluster: ClusterRecord?) -> String? {
        guard entry.monitorSts == .off, entry.procSts == .down, entry.retryCount >= entry.retry - 1 else {
            return nil
        }
        let where_ = "pent \(entry.pentId) is DOWN at \(entry.retryCount)/\(entry.retry) retries"
        let result = consequence(entry.retryOverAct, cluster: cluster)
        if entry.retryCount >= entry.retry {
            return "\(where_): turning monitoring on is retry over at once: \(result)."
        }
        return "\(where_): turning monitoring on restarts it, and one more failure is retry over: \(result)."
    }

    /// What retry over does, by retry_over_act: `exit`, `stop`, `exec=/path`.
    static func consequence(_ action: String, cluster: ClusterRecord?) -> String {
        if action == "stop" { return "the entry goes FATAL" }
        if action.hasPrefix("exec=") {
            return "pcheck runs \(action.dropFirst(5)), then the entry goes FATAL"
        }
        guard let cluster else { return "pcheck exits" }
        return "pcheck exits and \(cluster.manager.rawValue) fails resource \(cluster.resource) over"
    }
}
