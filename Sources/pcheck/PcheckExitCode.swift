/// pcheck's exit codes: the one table, documented in the README.
enum PcheckExitCode: Int32 {
    /// Stopped by SIGTERM, SIGINT or `padmin -c stop`.
    case stopped = 0
    /// An entry whose retry_over_act is `exit` reached retry over: fail over.
    case retryOver = 1
    /// The pfile or the command line is wrong (`pcheck --check` too).
    case configurationError = 2
    /// Another engine already runs with this IPCKEY.
    case ipcKeyHeld = 3
    /// The engine could not run: state file or control socket not writable, and the like.
    case runtimeFault = 4
}
