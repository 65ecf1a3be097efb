/// What the keys currently do.
///
/// - `normal`: moving, `m`, `r`, `x`, Enter, `/`, `s`, `p`, `n` `N`, `e`, `M`, `?`, `q` (quit).
/// - `filtering`: typing after `/`; the filter applies as it is typed, Enter keeps it,
///   Esc clears it. Arrow keys still move.
/// - `confirming`: `y` sends, `n`, `q` or Esc cancel, anything else is ignored.
/// - `details`, `eventLog`, `messages` and `help`: full views that scroll (↑ ↓ PgUp PgDn
///   Home End); Esc and `q` close them.
/// - `filteringLog`: typing the event log's filter after `/` in the event log.
public enum ConsoleMode: Equatable, Sendable {
    case normal
    case filtering
    case confirming(PendingAction)
    case details(EntryKey)
    case eventLog
    case filteringLog
    case messages
    case help

    /// Whether this mode shows a scrolling text view instead of the entry list.
    public var isTextView: Bool {
        switch self {
        case .details, .eventLog, .filteringLog, .messages, .help: true
        case .normal, .filtering, .confirming: false
        }
    }
}
