public import PsaverSystem

/// Talks to one engine's control socket: connect, send one request, read one answer.
///
/// Used by `padmin` and `psview`. Every failure is a `ControlClientError` that
/// says what an operator can do about it.
public struct ControlClient: Sendable {
    public let socketPath: String
    /// How long to wait for the answer (the pfile's MSG_CHECK_INTERVAL).
    public let timeout: Duration

    /// The engine the state file names, when the caller has read it.
    public let engine: ExpectedEngine?

    /// `engine`, from the state file, lets the client check that the process that
    /// answers is that engine (pid and user) before it sends anything.
    public init(socketPath: String, timeout: Duration = .seconds(5), engine: ExpectedEngine? = nil) {
        self.socketPath = socketPath
        self.timeout = timeout
        self.engine = engine
    }

    /// Sends `request` and returns the engine's answer; a refusal (`ok: false`) is
    /// thrown as the matching `ControlClientError` (permission, unknown entry, a stop
    /// refused under a cluster, bad request).
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
        let owner = try Self.checkSocketFile(socketPath, engine: engine)
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
        try Self.checkPeer(socket, socketPath: socketPath, owner: owner, engine: engine)
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
            case .clusterManaged: throw .clusterManaged(answer.message)
            default: throw .badRequest(answer.message)
            }
        }
        if request.isStop { try awaitClose(socket) }
        return answer
    }

    /// The socket file's owner, once it is known to be a socket (not a link) in a
    /// folder that only that owner (or root) can change; so nobody else can have
    /// swapped it for one of their own. With `engine` (from the state file), the
    /// owner must be the engine's user. Call before connecting.
    public static func checkSocketFile(
        _ socketPath: String, engine: ExpectedEngine?
    ) throws(ControlClientError) -> UserID {
        guard let status = try? FileSystem.status(of: socketPath, followLinks: false) else {
            throw .notRunning(socketPath)
        }
        guard status.kind == .socket else {
            throw .notTheEngine("\(socketPath) is \(kindName(status.kind)), not the engine's control socket; "
                                + "nothing was sent")
        }
        if let engine, status.owner != engine.user {
            throw .notTheEngine("the control socket \(socketPath) belongs to uid \(status.owner), but the engine "
                                + "(pid \(engine.pid)) runs as uid \(engine.user): someone else made it; nothing was sent")
        }
        do {
            _ = try TrustedDirectory(FileSystem.directoryName(of: socketPath), user: status.owner)
        } catch let refusal as PathRefusal {
            throw .notTheEngine("the control socket's folder cannot be trusted: \(refusal); nothing was sent")
        } catch {
            throw .transport("\(error)")
        }
        return status.owner
    }

    /// Whoever accepted the connection must be the socket's owner and, when the
    /// state file named it, the engine's pid (SO_PEERCRED). Call after connecting,
    /// before writing anything.
    public static func checkPeer(
        _ socket: FileDescriptor, socketPath: String, owner: UserID, engine: ExpectedEngine?
    ) throws(ControlClientError) {
        guard let peer = try? UnixSocket.peer(of: socket) else {
            throw .transport("cannot learn who answers on \(socketPath) (SO_PEERCRED)")
        }
        if peer.user != owner || (engine.map { peer.pid != $0.pid || peer.user != $0.user } ?? false) {
            let expected = engine.map { "the engine pid \($0.pid) (uid \($0.user)) of the state file" }
                ?? "the socket's owner, uid \(owner)"
            throw .notTheEngine("the process answering on \(socketPath) is pid \(peer.pid) (uid \(peer.user)), "
                                + "not \(expected); nothing was sent")
        }
    }

    private static func kindName(_ kind: FileStatus.Kind) -> String {
        switch kind {
        case .symbolicLink: "a symbolic link"
        case .regular: "a regular file"
        case .directory: "a folder"
        default: "not a socket"
        }
    }

    /// The longest answer read: a state document of many entries fits easily.
    static let maximumAnswerLength = Int(StateFileStore.maximumSize) + (1 << 20)

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

/// The engine a state file names: the pid and user that must answer on its socket.
public struct ExpectedEngine: Sendable, Equatable {
    public var pid: ProcessID
    public var user: UserID

    public init(pid: ProcessID, user: UserID) {
        self.pid = pid
        self.user = user
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
    /// A stop without force, refused by an engine that a cluster manager runs; the
    /// message names the resource and the cluster's command.
    case clusterManaged(String)
    /// No answer within the timeout: the engine hangs.
    case timedOut(Duration)
    /// Anything else on the way (socket errors, a broken answer).
    case transport(String)
    /// What answers (or sits) at the socket path is not the engine of the state file.
    case notTheEngine(String)

    public var description: String {
        switch self {
        case .notRunning(let path): "the engine is not running (no control socket at \(path))"
        case .stale(let path):
            "the engine is not running: its control socket \(path) is stale (left by an engine that was killed)"
        case .permissionDenied(let message): message
        case .unknownEntry(let message): message
        case .badRequest(let message): "request refused: \(message)"
        case .clusterManaged(let message): message
        case .timedOut(let timeout): "the engine did not answer within \(timeout.components.seconds) s"
        case .transport(let message): message
        case .notTheEngine(let message): message
        }
    }
}
