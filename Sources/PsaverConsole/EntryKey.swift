/// One entry across all engines: its engine and its pent_id.
///
/// The selection, the details view and pending confirmations hold this key rather than
/// a row index, so they stay on the same entry while rows move under updates or sorting.
public struct EntryKey: Hashable, Sendable, CustomStringConvertible {
    public var engine: EngineID
    public var pentID: Int

    public init(engine: EngineID, pentID: Int) {
        self.engine = engine
        self.pentID = pentID
    }

    public var description: String { "\(engine)#\(pentID)" }
}
