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
    /// How a `.send` effect for this entry ended.
    case controlAnswered(EntryKey, ControlOutcome)
    /// How a `.dismiss` effect ended: nil when the engine was forgotten, else why not.
    case dismissed(EngineID, refusal: String?)
    /// The tail of an entry's restart script output (answer to `.loadScriptOutput`).
    case scriptOutput(EntryKey, ScriptOutput)
    /// The final state of the engine before this one, kept because it ended at retry
    /// over (`SHM_DUMP_FILE.previous`); nil when there is none (answer to `.loadScriptOutput`).
    case previousEngine(EngineID, StateDocument?)
    /// A message for the status line (the demo engine ended, …).
    case actionResult(String)
}
