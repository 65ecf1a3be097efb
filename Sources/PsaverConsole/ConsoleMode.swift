/// What the keys currently do.
///
/// - `normal`: moving, `m`, `r`, Enter, `/`, `s`, `?`, `q` (quit).
/// - `filtering`: typing after `/`; the filter applies as it is typed, Enter keeps it,
///   Esc clears it. Arrow keys still move.
/// - `confirming`: `y` sends, `n`, `q` or Esc cancel, anything else is ignored.
/// - `details` and `help`: overlays; Esc, `q` (and Enter for details, `?` for help) close them.
public enum ConsoleMode: Equatable, Sendable {
    case normal
    case filtering
    case confirming(PendingAction)
    case details(EntryKey)
    case help
}
