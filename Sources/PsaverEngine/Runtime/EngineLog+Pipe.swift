import PsaverSystem

extension EngineLog {
    /// Whether restart scripts must not inherit the log's descriptor: `--log stderr`
    /// into a pipe (`pcheck --log stderr | reader`). When the reader exits, a script
    /// that writes a line would die of SIGPIPE and its attempt would fail, a false
    /// failover caused by a log reader (DESIGN §3), so they write into the scripts'
    /// file (`STATE.out`) instead.
    var scriptsAvoidLog: Bool {
        guard destination == .standardError, scriptFallback != nil else { return false }
        return Self.standardErrorIsPipe
    }

    /// Whether the engine's stderr is a pipe (read once: it does not change).
    static let standardErrorIsPipe: Bool =
        (try? FileSystem.readLink("/proc/self/fd/2"))?.hasPrefix("pipe:") ?? false

    /// A log line could not be written: the reader of stderr went away (EPIPE; SIGPIPE
    /// is ignored) or the file can't take it. Said once, in syslog, and nothing else:
    /// monitoring goes on, and scripts never wrote into that pipe.
    func noteLostReader(_ error: any Error) {
        guard !lostReaderNoted else { return }
        lostReaderNoted = true
        _ = SystemLog(ident: "pcheck").send("cannot write log lines to \(destinationName) (\(error)); monitoring goes on, "
                       + "restart scripts write to \(scriptOutputPath ?? "/dev/null")", priority: .warning)
    }
}
