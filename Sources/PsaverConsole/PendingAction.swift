/// A change waiting for the operator's `y` or `n`.
public enum PendingAction: Equatable, Sendable {
    /// Turn monitoring off for this entry.
    case monitorOff(EntryKey)
    /// Turn monitoring on for an entry that is down with its retries spent (or all but
    /// one): the engine's next step may be retry over, so the operator is told first.
    case monitorOn(EntryKey)
    /// Reset this entry's retry_count.
    case reset(EntryKey)
    /// Forget an engine that stopped or died (its registry link goes, if there is one).
    case dismiss(EngineID)
    /// Forget every engine that is not running (and the viewer may dismiss).
    case dismissAll([EngineID])

    /// The engines the action applies to.
    public var engines: [EngineID] {
        switch self {
        case .monitorOff(let key), .monitorOn(let key), .reset(let key): [key.engine]
        case .dismiss(let id): [id]
        case .dismissAll(let ids): ids
        }
    }
}
