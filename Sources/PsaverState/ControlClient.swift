public import PsaverSystem

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
    /// thrown as `ControlClientError.refused`.
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
            case SystemError.noSuchFile, SystemError.connectionRefused: throw .notRunning(socketPath)
            case SystemError.permissionDenied: throw .permissionDenied("cannot open \(socketPath): \(error.reason)")
            default: throw .transport(error.description)
            }
        } catch {
            throw .transport("\(error)")
        }
        var input: [UInt8] = []
        do {
            try socket.write(ControlCodec.encode(request))
            while !input.contains(UInt8(ascii: "\n")) {
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
        return answer
    }
}

/// Why a control request did not succeed.
public enum ControlClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No engine listens on the socket.
    case notRunning(String)
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
        case .notRunning(let path): "the engine is not running (nothing answers on \(path))"
        case .permissionDenied(let message): message
        case .unknownEntry(let message): message
        case .badRequest(let message): "request refused: \(message)"
        case .timedOut(let timeout): "the engine did not answer within \(timeout.components.seconds) s"
        case .transport(let message): message
        }
    }
}
