/// One entry across all engines: its engine and its pent_id.
///
/// The selection, the details view and pending confirmations hold this key rather than
/// a row index, so they stay on the same entry while rows move under updates or sorting.
public struct EntryKey: Hashable, Sendable, CustomStringConvertible {
    /// First, so that the derived `==` compares the number before the path: finding the
    /// selection among 10,000 listed entries then seldom compares two strings.
    public var pentID: Int
    public var engine: EngineID

    public init(engine: EngineID, pentID: Int) {
        self.engine = engine
        self.pentID = pentID
    }

    public var description: String { "\(engine)#\(pentID)" }
}
