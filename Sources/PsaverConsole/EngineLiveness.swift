/// What the app found out about an engine when it last read its state file.
///
/// The app knows things the pure model cannot: whether the engine's pid still exists and
/// whether the file could be read. Heartbeat staleness is *not* the app's job: the model
/// works it out at each `tick` (see `EngineHealth`), so `.running` here only means
/// "the file was read and the engine's pid exists".
public enum EngineLiveness: Equatable, Sendable {
    /// The file was read and the engine's pid exists.
    case running
    /// The app already judged the file stale (for instance a registry link left behind).
    case stale
    /// The engine's pid is gone.
    case gone
    /// The file could not be read or decoded; the reason is shown on the group line.
    case unreadable(String)
}
