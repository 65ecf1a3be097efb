/// What a cell means, not how it looks: the painter maps each style to colours, or to
/// bold/reverse only when colours are off (NO_COLOR). Every state is also a word on
/// screen, so nothing depends on the style alone.
public enum CellStyle: Hashable, Sendable, CaseIterable {
    case normal
    /// The top line (host, clock, counts).
    case header
    /// Column titles and pane titles.
    case title
    /// An engine's group line.
    case group
    /// The selected entry's row.
    case selected
    /// AVAIL, running.
    case ok
    /// RESTARTING, WAITING, monitor off.
    case warn
    /// DOWN, FATAL, retry over.
    case bad
    /// Entries and groups of an engine that is not running (STALE, gone, stopped).
    case dim
    /// Key names in the footer and help.
    case key
    /// The confirmation prompt and the filter being typed.
    case prompt
}
