/// What the app must do after the model handled a key.
///
/// There is no redraw effect: every `handle` and `apply` may change what is shown, so the
/// app renders and paints after each batch of inputs (curses only sends what changed).
public enum ConsoleEffect: Equatable, Sendable {
    /// Send `command` to the engine listening on `socketPath`, then report the answer
    /// with `ConsoleUpdate.actionResult`.
    case send(ControlCommand, socketPath: String, engine: EngineID)
    /// Leave the console: restore the terminal and exit.
    case quit
}
