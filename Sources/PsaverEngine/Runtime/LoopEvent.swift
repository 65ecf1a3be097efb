import PsaverConfig
import PsaverProcessTable
import PsaverSystem

/// Something that happened and that the supervisor must hear, queued by the loop.
///
/// Performing an action never calls back into the loop: what it leads to (a pid, a
/// watch that found its process already gone, a spawn that failed) is queued here
/// and handled in order, in the same loop turn.
enum LoopEvent: Sendable, Equatable {
    /// A tracked process ended (its pidfd, the poll, or a watch that found it gone).
    case processEnded(PentID, ProcessIdentity, user: UserID?)
    case scriptStarted(PentID, attempt: Int, ProcessIdentity)
    case scriptFailedToStart(PentID, attempt: Int, reason: String)
    /// nil status: an adopted script, whose status this engine can't learn.
    case scriptEnded(PentID, attempt: Int, ChildStatus?)
}
