/// A key press, already decoded by the painter (`PsaverScreen.Terminal.readKey`).
///
/// `resize` travels with the keys because curses reports it as one (`KEY_RESIZE`).
public enum ConsoleKey: Equatable, Sendable {
    case up, down, pageUp, pageDown, home, end
    case enter, escape, backspace
    /// A printable character, including `j`, `k`, `m`, `q` and anything typed into the filter.
    case character(Character)
    /// F1 … F12.
    case function(Int)
    /// The terminal is now `rows` × `cols`.
    case resize(rows: Int, cols: Int)
}
