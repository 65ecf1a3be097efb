/// A change the console asks an engine for (DESIGN §6), independent of the wire format.
///
/// The app maps it onto the control client; the console never talks to sockets itself.
public enum ControlCommand: Equatable, Sendable {
    /// Switch monitoring of one entry on or off.
    case monitor(on: Bool, pentID: Int)
    /// Set one entry's retry_count back to 0.
    case reset(pentID: Int)
}
