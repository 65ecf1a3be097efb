/// What a cell means, not how it looks: the painter maps each style to colours, or to
/// bold/reverse/underline only when colours are off (NO_COLOR). Every state is also a
/// word on screen, so nothing depends on the style alone.
public enum CellStyle: Hashable, Sendable, CaseIterable {
    case normal
    /// The top line (host, clock, counts).
    case header
    /// Column titles and pane titles.
    case title
    /// An engine's group line.
    case group
    /// The selected entry's row (its state cells keep their own style).
    case selected
    /// AVAIL, running.
    case ok
    /// RESTARTING, WAITING, monitor off, a pending change.
    case warn
    /// DOWN, an engine gone or unreadable.
    case bad
    /// FATAL and retry over: the worst, unlike DOWN even without colour.
    case fatal
    /// Entries and groups of an engine that is not running (STALE, gone, stopped).
    case dim
    /// Key names in the footer and help.
    case key
    /// The confirmation prompt and the filter being typed.
    case prompt
}
