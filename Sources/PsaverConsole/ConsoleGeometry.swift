/// Where each pane goes on a terminal of a given size, shared by the model (for paging
/// and scrolling) and the layout (for drawing), so the two never disagree.
///
/// From the top: the header line, the column titles, the entry list, the events pane
/// (a title and its lines; left out below 12 rows), the status line and the key footer.
public struct ConsoleGeometry: Equatable, Sendable {
    public var rows: Int
    public var cols: Int
    /// Lines of the entry list, at least 1.
    public var listHeight: Int
    /// Lines of events shown under the list (0 when the terminal is too short).
    public var eventLines: Int

    public init(rows: Int, cols: Int) {
        self.rows = max(rows, 1)
        self.cols = max(cols, 1)
        eventLines = rows >= 12 ? min(max((rows - 4) / 4, 3), Self.maximumEventLines) : 0
        listHeight = max(rows - 4 - (eventLines > 0 ? eventLines + 1 : 0), 1)
    }

    /// The most lines the events pane ever has.
    public static let maximumEventLines = 10

    public var headerRow: Int { 0 }
    public var titleRow: Int { 1 }
    public var listTop: Int { 2 }
    /// The events pane's title row; its lines follow.
    public var eventsTitleRow: Int { listTop + listHeight }
    public var statusRow: Int { max(rows - 2, 0) }
    public var footerRow: Int { rows - 1 }
}
