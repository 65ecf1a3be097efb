/// One line of the entry list: an engine's group line or one of its entries.
public enum ConsoleLine: Hashable, Sendable {
    case engine(EngineID)
    case entry(EntryKey)
}
