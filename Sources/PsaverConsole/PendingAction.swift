/// A change waiting for the operator's `y` or `n`.
public enum PendingAction: Equatable, Sendable {
    /// Turn monitoring off for this entry.
    case monitorOff(EntryKey)
    /// Reset this entry's retry_count.
    case reset(EntryKey)

    /// The entry the action applies to.
    public var entry: EntryKey {
        switch self {
        case .monitorOff(let key), .reset(let key): key
        }
    }
}
