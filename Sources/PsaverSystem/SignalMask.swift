#if canImport(Glibc)
import Glibc
#endif

/// The calling thread's signal mask.
public enum SignalMask {
    /// Unblocks every signal. A program inherits its parent's mask across exec; an
    /// inherited block (tmux started from a process that blocked signals passes it on, for
    /// instance) would silence SIGWINCH and keep a console from following resizes. Call it
    /// first thing, before blocking what the program reads through a `SignalFD`.
    /// The corresponding C function is `pthread_sigmask(SIG_SETMASK, …)`.
    public static func unblockAll() {
        var empty = sigset_t()
        sigemptyset(&empty)
        _ = pthread_sigmask(SIG_SETMASK, &empty, nil)
    }
}
