/// The order of entries inside each engine's group; `s` cycles through them.
public enum SortKey: CaseIterable, Equatable, Sendable {
    /// pent_id, the pfile's order (the default).
    case pentID
    /// Worst proc_sts first: FATAL, DOWN, RESTARTING, WAITING, AVAIL.
    case severity
    /// pname, alphabetically.
    case pname
    /// Most restarts first.
    case restartCount

    /// The next key in the `s` cycle, wrapping round.
    public var next: SortKey {
        let all = SortKey.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// How the column title bar names the order.
    public var label: String {
        switch self {
        case .pentID: "pent_id"
        case .severity: "proc_sts"
        case .pname: "pname"
        case .restartCount: "restart_count"
        }
    }
}
