public import PsaverConfig
public import PsaverProcessTable

/// Something the supervisor has decided must happen; the runtime performs it.
///
/// The supervisor never performs I/O itself: it returns these, in the order they
/// must be carried out. What an action leads to (a script's pid, a watch that
/// could not be set up) comes back to the supervisor as a new event on the loop,
/// never by the runtime calling itself.
public enum EngineAction: Equatable, Sendable {
    /// Write a line to the log (and to the state file's event ring).
    case log(LogRecord)
    /// Start watching this process for its death (pidfd, or polling as a fallback).
    case watch(PentID, ProcessIdentity)
    /// Run the entry's restart script now, as attempt number `attempt`.
    case runRestartScript(PentID, attempt: Int)
    /// Watch a restart script that an engine before this one started and left
    /// running (it is not this engine's child: its end is seen, its status is not).
    case watchAdoptedScript(PentID, attempt: Int, script: ProcessIdentity)
    /// Run the entry's retry-over script (`exec=`) once.
    case runRetryOverScript(PentID, path: String)
    /// Kill the restart script of this attempt: with its whole process group while
    /// no process is up, or the script alone once the service it started runs (the
    /// service may share the group).
    case killRestartScript(PentID, attempt: Int, wholeGroup: Bool)
    /// Kill a hung process (SIGKILL); its death then comes back as usual.
    case killProcess(PentID, ProcessIdentity)
    /// The entry's state changed: write the state file.
    case writeState
    /// Stop the engine with this outcome, after writing the final state.
    case exit(EngineOutcome)
}

/// How the engine ended, as the state file's `engine_sts` and the exit code say.
public enum EngineOutcome: String, Equatable, Sendable {
    /// A stop by signal or by request: exit 0.
    case stopped
    /// An entry with `exit` as its retry-over action reached retry over.
    case retryOver = "retry_over"
}

/// One log line: its severity, the entry it concerns (if any) and its text.
public struct LogRecord: Equatable, Sendable {
    public enum Severity: Sendable, Equatable { case error, warning, notice, info }

    public var severity: Severity
    public var pentID: PentID?
    public var text: String

    public init(_ severity: Severity, _ text: String, pentID: PentID? = nil) {
        self.severity = severity
        self.text = text
        self.pentID = pentID
    }
}
