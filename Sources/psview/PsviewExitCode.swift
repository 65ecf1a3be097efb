/// psview's exit codes, one table (STYLE rule 7).
enum PsviewExitCode: Int32 {
    /// The operator quit (q, Ctrl-C, SIGTERM, the terminal hung up).
    case quit = 0
    /// Bad arguments, or a pfile whose SHM_DUMP_FILE cannot be found.
    case usage = 2
    /// stdin/stdout is not a terminal curses can drive.
    case noTerminal = 3
    /// Something failed at run time: epoll/inotify/signalfd, or the demo engine would not start.
    case fault = 4
}
