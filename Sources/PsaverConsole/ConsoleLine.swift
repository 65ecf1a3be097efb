/// One line of the entry list: an engine's group line, the banner under the group line
/// of an engine that hit retry over or died, or one of its entries.
public enum ConsoleLine: Hashable, Sendable {
    case engine(EngineID)
    case banner(EngineID)
    case entry(EntryKey)
}

extension ConsoleLine {
    /// A group line or a banner: what stays above an engine's first entry when scrolling.
    var isHeading: Bool {
        if case .entry = self { return false }
        return true
    }
}
