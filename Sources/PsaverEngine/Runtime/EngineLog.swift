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
    private let descriptor: FileDescriptor?
    private let prefixTail: String

    /// Opens the destination; a log file that cannot be opened is an error for the caller.
    public init(_ destination: Destination, ident: String = "pcheck") throws {
        self.destination = destination
        prefixTail = " \(Identity.hostName) \(ident)[\(Identity.processID)]: "
        switch destination {
        case .syslog:
            SystemLog.open(ident: ident)
            descriptor = nil
        case .standardError:
            descriptor = .standardError
        case .file(let path):
            descriptor = try FileDescriptor.openForAppending(path)
        }
    }

    /// Where restart scripts' stdout and stderr go: the log's own descriptor, or,
    /// under syslog, the file `fallback` (a service that outlives the engine must
    /// never write into a pipe that the engine's exit would break).
    public func scriptOutput(fallback: String) -> FileDescriptor? {
        if let descriptor { return descriptor }
        return try? FileDescriptor.openForAppending(fallback)
    }

    /// Writes one line.
    public func write(_ record: LogRecord, at time: WallTime = .now()) {
        guard let descriptor else {
            SystemLog.send(record.text, priority: priority(record.severity))
            return
        }
        try? descriptor.write(Array((time.syslogStamp + prefixTail + record.text + "\n").utf8))
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
