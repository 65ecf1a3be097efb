/// One terminal cell of a `ScreenGrid`.
///
/// A wide character sits in its first cell; the cell after it is a continuation
/// (`isContinuation`) that the painter skips and `text()` leaves out.
public struct ScreenCell: Hashable, Sendable {
    public var character: Character
    public var style: CellStyle
    public var isContinuation: Bool

    public init(_ character: Character = " ", style: CellStyle = .normal, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }
}
