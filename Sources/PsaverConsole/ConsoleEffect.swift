/// What the app must do after the model handled a key.
///
/// There is no redraw effect: every `handle` and `apply` may change what is shown, so the
/// app renders and paints after each batch of inputs (curses only sends what changed).
public enum ConsoleEffect: Equatable, Sendable {
    /// Send `command` to the engine listening on `socketPath` without waiting for it, then
    /// report how it ended with `ConsoleUpdate.controlAnswered`.
    case send(ControlCommand, socketPath: String, engine: EngineID)
    /// Forget this stopped or dead engine: remove its registry link if it has one (and the
    /// user may), then report with `ConsoleUpdate.dismissed`.
    case dismiss(EngineID)
    /// Read the tail of this entry's restart script output and report it with
    /// `ConsoleUpdate.scriptOutput`.
    case loadScriptOutput(EntryKey)
    /// Leave the console: restore the terminal and exit.
    case quit
}
