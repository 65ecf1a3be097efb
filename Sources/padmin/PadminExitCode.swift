/// padmin's exit codes: the one table, documented in `--help` and docs/padmin.md.
enum PadminExitCode: Int32 {
    /// The command did what was asked.
    case success = 0
    /// The engine is not running, or its state is stale (killed or hung). `show`
    /// still prints the last state the engine wrote; a change was not made.
    case notRunning = 1
    /// The command line or the pfile is wrong (unknown command, missing `-f`, bad pfile).
    case usage = 2
    /// The caller may not change this engine (only root or the engine's user may),
    /// or may not read its state file.
    case permissionDenied = 3
    /// No entry with the `-i` pent_id.
    case unknownEntry = 4
    /// Anything else: no answer within MSG_CHECK_INTERVAL, a broken state file or answer.
    case failure = 5
    /// The engine applied the change but could not write its state file (disk
    /// full, folder gone): it follows the change, `show` does not see it yet.
    case notRecorded = 6
    /// What answers on the control socket is not the engine of the state file
    /// (another user's socket or process); nothing was sent.
    case notTheEngine = 7
    /// `stop` of an engine that a cluster manager runs, without `--force`: stopping it
    /// by hand would look to the cluster like a failure and fail the service over.
    case refused = 8
    /// `monitor on` that would be retry over (an entry DOWN with its retries spent),
    /// without `--yes` and without a terminal to ask on: nothing was sent.
    case notConfirmed = 9
}
