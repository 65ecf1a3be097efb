/// How a control request ended, as the app found out (without ever blocking the screen).
public enum ControlOutcome: Equatable, Sendable {
    /// The engine answered ok; `message` is its own text.
    case accepted(String)
    /// The engine, or the socket's permissions, refused: nothing was changed.
    case refused(String)
    /// No answer within MSG_CHECK_INTERVAL. The engine may still apply the change (it may
    /// be stopped or busy): the row stays pending and the state file decides.
    case noAnswerYet(seconds: Int)
    /// The request could not be sent (no socket, connection refused): nothing was changed.
    case notSent(String)
}
