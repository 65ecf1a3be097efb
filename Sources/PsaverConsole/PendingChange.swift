public import PsaverState

/// A change sent to an engine and not yet confirmed by its state file (DESIGN §8:
/// "a row shows a change as pending until the state file confirms it").
///
/// The engine's answer alone never settles it: an engine that was stopped (SIGSTOP)
/// may apply the change long after the request timed out, and the state file is the
/// one thing that says what the engine actually did.
public struct PendingChange: Equatable, Sendable {
    public var command: ControlCommand
    /// retry_count when the reset was asked for, so that a reset of a count already 0
    /// needs the engine's own "done" before it counts as confirmed.
    public var retryCountBefore: Int
    /// Whether the engine has answered "done".
    public var accepted = false

    public init(command: ControlCommand, retryCountBefore: Int) {
        self.command = command
        self.retryCountBefore = retryCountBefore
    }

    /// Whether `record` (from a state file read after the request) shows the change made.
    public func isConfirmed(by record: EntryRecord) -> Bool {
        switch command {
        case .monitor(let on, _):
            return (record.monitorSts == .on) == on
        case .reset:
            return record.retryCount == 0 && (accepted || retryCountBefore > 0)
        }
    }

    /// The monitor_sts the row should show while pending, if this changes it.
    public var pendingMonitor: Bool? {
        if case .monitor(let on, _) = command { return on }
        return nil
    }
}
