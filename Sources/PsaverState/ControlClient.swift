import PsaverSystem

/// Talks to one engine's control socket: connect, send one request, read one answer.
///
/// Used by `padmin` and `psview`. Every failure is a `ControlClientError` that
/// says what an operator can do about it.
public struct ControlClient: Sendable {
    public let socketPath: String
    /// How long to wait for the answer (the pfile's MSG_CHECK_INTERVAL).
    public let timeout: Duration

    public init(socketPath: String, timeout: Duration = .seconds(5)) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// Sends `request` and returns the engine's answer; a refusal (`ok: false`) is
    /// thrown as the matching `ControlClientError` (permission, unknown entry, bad request).
    ///
    /// For `.stop` it returns only once the engine has closed the connection, which
    /// it does after writing its final state: when `send(.stop)` returns, the engine
    /// has finished. The caller should ignore SIGPIPE, as an engine that dies
    /// mid-request would otherwise end the caller.
    public func send(_ request: ControlRequest) throws(ControlClientError) -> ControlAnswer {
        let socket: FileDescriptor
        do {
            socket = try UnixSocket.make()
        } catch {
            throw .transport("\(error)")
        }
        defer { socket.close() }
        UnixSocket.setTimeout(socket, timeout)
        do {
            try UnixSocket.connect(socket, path: socketPath)
        } catch let error as SystemError {
            switch error.code {
            case SystemError.noSuchFile: throw .notRunning(socketPath)
            // The file is there but nobody accepts: left behind by an engine that was killed.
            case SystemError.connectionRefused: throw .stale(socketPath)
            case SystemError.permissionDenied, SystemError.notPermitted:
                throw .permissionDenied("permission denied: cannot connect to \(socketPath) (mode 0660): "
                                        + "only root or the engine's user may change this engine")
            default: throw .transport(error.description)
            }
        } catch {
            throw .transport("\(error)")
        }
        var input: [UInt8] = []
        do {
            try socket.write(ControlCodec.encode(request))
            while !input.contains(UInt8(ascii: "\n")), input.count < Self.maximumAnswerLength {
                let bytes = try socket.read(maximum: 65536)
                if bytes.isEmpty { break }
                input += bytes
            }
        } catch let error as SystemError where error.code == SystemError.wouldBlock {
            throw .timedOut(timeout)
        } catch {
            throw .transport("\(error)")
        }
        guard let newline = input.firstIndex(of: UInt8(ascii: "\n")) else {
            throw .transport("the engine closed the connection without answering")
        }
        let answer: ControlAnswer
        do {
            answer = try ControlCodec.decodeAnswer(Array(input[..<newline]))
        } catch {
            throw .transport("unreadable answer from the engine: \(error)")
        }
        guard answer.ok else {
            switch answer.error {
            case .permissionDenied: throw .permissionDenied(answer.message)
            case .unknownEntry: throw .unknownEntry(answer.message)
            default: throw .badRequest(answer.message)
            }
        }
        if request == .stop { try awaitClose(socket) }
        return answer
    }

    /// The longest answer read: a state document of many entries fits easily.
    static let maximumAnswerLength = 16 << 20

    /// Reads until the engine closes the connection (end of file), within the timeout.
    private func awaitClose(_ socket: FileDescriptor) throws(ControlClientError) {
        do {
            while try !socket.read(maximum: 4096).isEmpty {}
        } catch let error as SystemError where error.code == SystemError.wouldBlock {
            throw .timedOut(timeout)
        } catch {
            // A reset connection also means the engine has gone.
        }
    }
}

/// Why a control request did not succeed.
public enum ControlClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No control socket: the engine is not running (or never ran with this pfile).
    case notRunning(String)
    /// The socket file is there but nothing answers on it: its engine was killed.
    case stale(String)
    /// The engine refused: the caller is neither root nor the engine's user.
    case permissionDenied(String)
    /// No entry with that pent_id.
    case unknownEntry(String)
    /// The engine did not understand the request.
    case badRequest(String)
    /// No answer within the timeout: the engine hangs.
    case timedOut(Duration)
    /// Anything else on the way (socket errors, a broken answer).
    case transport(String)

    public var description: String {
        switch self {
        case .notRunning(let path): "the engine is not running (no control socket at \(path))"
        case .stale(let path):
            "the engine is not running: its control socket \(path) is stale (left by an engine that was killed)"
        case .permissionDenied(let message): message
        case .unknownEntry(let message): message
        case .badRequest(let message): "request refused: \(message)"
        case .timedOut(let timeout): "the engine did not answer within \(timeout.components.seconds) s"
        case .transport(let message): message
        }
    }
}
