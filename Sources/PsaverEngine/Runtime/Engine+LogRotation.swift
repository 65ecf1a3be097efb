import PsaverSystem

extension Engine {
    /// SIGUSR1, logrotate's signal: `--log FILE` is opened again by name, and so is the
    /// restart scripts' `.out` file at the next script. Scripts already running keep
    /// the file they were given.
    func reopenLogs() {
        let problems = options.log.reopen()
        record(LogRecord(.notice, "SIGUSR1 Catch (\(SignalFD.userOne))!! log files reopened"))
        for problem in problems { record(LogRecord(.error, problem)) }
    }
}
