public import PsaverSystem

/// Where the engine's lines go: syslog (ident `pcheck`, with pid) by default, or
/// stderr or a file with the same syslog-style prefix (DESIGN §4).
public final class EngineLog {
    public enum Destination: Equatable, Sendable {
        case syslog
        case standardError
        case file(String)
    }

    public let destination: Destination
    private var descriptor: FileDescriptor?
    private let prefixTail: String
    /// Under syslog, the file that restart scripts write into, and its descriptor.
    let scriptFallback: String?
    private var scriptDescriptor: FileDescriptor?
    /// Whether a failed write of a log line has been reported (once is enough).
    var lostReaderNoted = false

    /// Opens the destination; a log file that cannot be opened is an error for the caller.
    /// `scriptFallback` is where restart scripts' output goes under syslog.
    public init(_ destination: Destination, scriptFallback: String? = nil, ident: String = "pcheck") throws {
        self.destination = destination
        self.scriptFallback = scriptFallback
        prefixTail = " \(Identity.hostName) \(ident)[\(Identity.processID)]: "
        switch destination {
        case .syslog:
            SystemLog.open(ident: ident)
            descriptor = nil
        case .standardError:
            descriptor = .standardError
        case .file(let path):
            descriptor = try Self.openLogFile(path)
        }
    }

    /// Where restart scripts' stdout and stderr go: the log's own descriptor, or,
    /// under syslog, the fallback file (a service that outlives the engine must
    /// never write into a pipe that the engine's exit would break); nil: /dev/null.
    public var scriptOutput: FileDescriptor? {
        if let descriptor, !scriptsAvoidLog { return descriptor }
        if scriptDescriptor == nil, let scriptFallback {
            scriptDescriptor = try? Self.openScriptOutput(scriptFallback)
        }
        return scriptDescriptor
    }

    /// `syslog`, `stderr` or the log file's path, as the state file records it.
    public var destinationName: String {
        switch destination {
        case .syslog: "syslog"
        case .standardError: "stderr"
        case .file(let path): path
        }
    }

    /// The file restart scripts write into: the log file, or under syslog the fallback;
    /// nil when they write to stderr or /dev/null.
    public var scriptOutputPath: String? {
        switch destination {
        case .syslog: scriptFallback
        case .standardError: scriptsAvoidLog ? scriptFallback : nil
        case .file(let path): path
        }
    }

    /// Opens the log file (and the scripts' file) again by name, after logrotate moved
    /// them; SIGHUP does this. A file that cannot be reopened keeps the old descriptor.
    public func reopen() {
        if case .file(let path) = destination, let fresh = try? Self.openLogFile(path) {
            descriptor?.close()
            descriptor = fresh
        }
        scriptDescriptor?.close()
        scriptDescriptor = nil
    }

    /// `--log FILE`: never through a link, only a regular file of the engine's own
    /// user, in a folder that belongs to root or that user (a sticky shared folder
    /// such as /tmp is fine: nobody else can replace the file there).
    static func openLogFile(_ path: String) throws -> FileDescriptor {
        do {
            let folder = try TrustedDirectory(FileSystem.directoryName(of: path), shared: true)
            return try folder.openForAppending(FileSystem.baseName(of: path), permissions: 0o640)
        } catch let refusal as PathRefusal {
            throw refusal.about("the log (--log \(path))")
        }
    }

    /// `STATE.out`, in the state folder by the same rule as the state file: a FIFO
    /// or a file someone else planted there can neither freeze the engine nor read
    /// the scripts' output.
    static func openScriptOutput(_ path: String) throws -> FileDescriptor {
        let folder = try TrustedDirectory(FileSystem.directoryName(of: path), creatingWith: 0o755)
        return try folder.openForAppending(FileSystem.baseName(of: path), permissions: 0o640)
    }

    /// Writes one line.
    public func write(_ record: LogRecord, at time: WallTime = .now()) {
        guard let descriptor else {
            SystemLog.send(record.text, priority: priority(record.severity))
            return
        }
        do {
            try descriptor.write(Array((time.syslogStamp + prefixTail + record.text + "\n").utf8))
        } catch {
            noteLostReader(error)
        }
    }

    private func priority(_ severity: LogRecord.Severity) -> SystemLog.Priority {
        switch severity {
        case .error: .error
        case .warning: .warning
        case .notice: .notice
        case .info: .info
        }
    }
}
