public import PsaverState
public import PsaverSystem

/// Something the app learned that is not a key: a state file changed, an engine went
/// away, time passed, or a control request came back.
public enum ConsoleUpdate: Sendable {
    /// The engine's state file was (re)read. A nil document keeps the last one seen, so
    /// entries stay on screen after their engine dies or its file becomes unreadable.
    case engineUpdated(EngineID, StateDocument?, EngineLiveness)
    /// Stop showing this engine (its registry link disappeared, for instance).
    case engineRemoved(EngineID)
    /// The wall clock, for heartbeat staleness. Send one at least once a second.
    case tick(now: WallTime)
    /// The answer to a `.send` effect, in words, for the status line.
    case actionResult(String)
}
