/// The order of the entry list; `s` cycles through them, `p` jumps to `problems`.
public enum SortKey: CaseIterable, Equatable, Sendable {
    /// One group per engine, entries in pent_id order, the pfile's order (the default).
    case pentID
    /// One flat list across every engine, problems first (see `ProblemRank`).
    case problems
    /// Per engine, worst proc_sts first: FATAL, DOWN, RESTARTING, WAITING, AVAIL.
    case severity
    /// Per engine, pname alphabetically.
    case pname
    /// Per engine, most restarts first.
    case restartCount

    /// The next key in the `s` cycle, wrapping round.
    public var next: SortKey {
        let all = SortKey.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// Whether the list is one flat list across engines, without group lines.
    public var isFlat: Bool { self == .problems }

    /// How the status line names the order.
    public var label: String {
        switch self {
        case .pentID: "pent_id"
        case .problems: "problems first, all engines"
        case .severity: "proc_sts"
        case .pname: "pname"
        case .restartCount: "restart_count"
        }
    }
}
