/// One line of the entry list: an engine's group line, the banner under the group line
/// of an engine that hit retry over or died, one of its entries, or the heading of a
/// stopped engine's other rows.
public enum ConsoleLine: Hashable, Sendable {
    case engine(EngineID)
    case banner(EngineID)
    case entry(EntryKey)
    /// The heading of an engine that is not running over its rows that are not problems,
    /// listed below the running engines (its group line and problem rows are at the top).
    case lastRows(EngineID)
}

extension ConsoleLine {
    /// A group line or a banner: what stays above an engine's first entry when scrolling.
    var isHeading: Bool {
        if case .entry = self { return false }
        return true
    }
}
