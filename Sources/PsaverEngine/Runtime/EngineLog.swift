public import PsaverSystem

/// Where the engine's lines go: syslog (ident `pcheck`, with pid) by default, or
/// stderr or a file with the same syslog-style prefix (DESIGN §4).
///
/// No line vanishes: while the syslog socket is missing or refuses, lines go to
/// stderr (said once when it starts, and once when syslog takes them again). On
/// stderr every line starts with its level as journald reads it (`<3>` error …
/// `<6>` info, sd-daemon(3)); the syslog-style prefix follows, except when stderr
/// is the journal itself, which stamps lines on its own.
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
    private let systemLog: SystemLog?
    /// Whether lines are going to stderr because syslog does not take them.
    private var syslogMissing = false
    /// Where stderr lines go (stderr but in tests), and whether that is the journal.
    private let standardError: FileDescriptor
    private let standardErrorIsJournal: Bool
    /// Whether a failed write of a log line has been reported (once is enough).
    var lostReaderNoted = false

    /// Opens the destination; a log file that cannot be opened is an error for the caller
    /// (`LogFileError`, naming the path). `scriptFallback` is where restart scripts'
    /// output goes under syslog. `syslogSocket` and `standardError` are for tests.
    public init(_ destination: Destination, scriptFallback: String? = nil, ident: String = "pcheck",
                syslogSocket: String = "/dev/log", standardError: FileDescriptor = .standardError) throws {
        self.destination = destination
        self.scriptFallback = scriptFallback
        self.standardError = standardError
        standardErrorIsJournal = standardError == .standardError && JournalStream.isStandardError()
        prefixTail = " \(Identity.hostName) \(ident)[\(Identity.processID)]: "
        switch destination {
        case .syslog:
            systemLog = SystemLog(ident: ident, socketPath: syslogSocket)
            descriptor = nil
        case .standardError:
            systemLog = nil
            descriptor = standardError
        case .file(let path):
            systemLog = nil
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

    /// Opens the log file and the scripts' `.out` file again by name, after logrotate
    /// moved them (SIGUSR1; SIGHUP too). A file that cannot be reopened keeps its old
    /// descriptor; the returned lines say which and why, for the log.
    @discardableResult
    public func reopen() -> [String] {
        var problems: [String] = []
        if case .file(let path) = destination {
            do {
                let fresh = try Self.openLogFile(path)
                if descriptor != standardError { descriptor?.close() }
                descriptor = fresh
            } catch {
                problems.append("\(error); still writing to the file it had open")
            }
        }
        // Opened again by name at the next restart script.
        scriptDescriptor?.close()
        scriptDescriptor = nil
        return problems
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
        } catch let error as SystemError {
            throw LogFileError(path: path, error: error)
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
        if let systemLog {
            if systemLog.send(record.text, priority: Self.priority(record.severity), at: time) {
                if syslogMissing {
                    syslogMissing = false
                    systemLog.send("syslog at \(systemLog.socketPath) takes messages again; "
                                   + "lines meanwhile went to stderr", priority: .notice, at: time)
                }
                return
            }
            if !syslogMissing {
                syslogMissing = true
                let why = systemLog.lastFailure.map { ": \($0.call): \($0.reason)" } ?? ""
                writeStandardError(LogRecord(.warning, "no syslog at \(systemLog.socketPath)\(why); "
                                             + "logging to stderr until it takes messages"), at: time)
            }
            writeStandardError(record, at: time)
            return
        }
        guard let descriptor else { return }
        if descriptor == standardError {
            writeStandardError(record, at: time)
            return
        }
        do {
            try descriptor.write(Array((time.syslogStamp + prefixTail + record.text + "\n").utf8))
        } catch {
            noteLostReader(error)
        }
    }

    private func writeStandardError(_ record: LogRecord, at time: WallTime) {
        let line = Self.standardErrorLine(record, stamp: standardErrorIsJournal ? nil : time.syslogStamp + prefixTail)
        do {
            try standardError.write(Array(line.utf8))
        } catch {
            noteLostReader(error)
        }
    }

    /// `<5>Dec  4 10:50:12 host pcheck[12]: text`: the level as journald reads it, then
    /// the syslog-style prefix unless the journal adds its own (`prefix` nil).
    static func standardErrorLine(_ record: LogRecord, stamp prefix: String?) -> String {
        "<\(priority(record.severity).rawValue)>" + (prefix ?? "") + record.text + "\n"
    }

    static func priority(_ severity: LogRecord.Severity) -> SystemLog.Priority {
        switch severity {
        case .error: .error
        case .warning: .warning
        case .notice: .notice
        case .info: .info
        }
    }
}

/// A `--log FILE` that cannot be opened, naming the path: `/var/log/x/pcheck.log:
/// cannot open the log (--log): its folder /var/log/x does not exist`.
public struct LogFileError: Error, CustomStringConvertible {
    public var path: String
    public var error: SystemError

    public var description: String {
        let folder = FileSystem.directoryName(of: path)
        if error.code == SystemError.noSuchFile, !FileSystem.exists(folder) {
            return "\(path): cannot open the log (--log): its folder \(folder) does not exist"
        }
        return "\(path): cannot open the log (--log): \(error.call): \(error.reason)"
    }
}
