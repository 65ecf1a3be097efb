import PsaverConsole
import PsaverState
import PsaverSystem

/// One control request in flight, driven by psview's event loop so that the screen never
/// waits for an engine (DESIGN §8: "commands never block the screen").
///
/// `start` connects without blocking and writes the one-line request; the loop adds
/// `socket` to its epoll set, calls `readable()` when it is readable and `expire(at:)` at
/// `deadline`. Either ends the exchange with a `ControlOutcome`, and the loop then closes it.
/// A request that times out is not taken back: a stopped engine may still apply it when it
/// runs again, which is why the console leaves the row pending until the state file says.
final class ControlExchange {
    let entry: EntryKey
    let socket: FileDescriptor
    let deadline: MonotonicInstant
    private let seconds: Int
    private var input: [UInt8] = []

    private init(entry: EntryKey, socket: FileDescriptor, seconds: Int) {
        self.entry = entry
        self.socket = socket
        self.seconds = seconds
        deadline = MonotonicInstant.now() + .seconds(seconds)
    }

    /// A request on its way, or why it could not be sent.
    enum Start {
        case sending(ControlExchange)
        case failed(ControlOutcome)
    }

    /// Connects and sends; on failure returns the outcome at once (nothing was sent).
    /// With `engine` (from the state file), only that pid, as that user, is told anything.
    static func start(
        _ command: ControlCommand, socketPath: String, entry: EntryKey, timeoutSeconds: Int,
        engine: ExpectedEngine? = nil
    ) -> Start {
        let owner: UserID
        do {
            owner = try ControlClient.checkSocketFile(socketPath, engine: engine)
        } catch {
            return .failed(error == .notRunning(socketPath)
                ? .notSent("no control socket \(socketPath): the engine is not running") : .notSent("\(error)"))
        }
        let socket: FileDescriptor
        do {
            socket = try UnixSocket.make()
            try socket.setNonBlocking()
        } catch {
            return .failed(.notSent("cannot make a socket: \(error)"))
        }
        do {
            try UnixSocket.connect(socket, path: socketPath)
            try ControlClient.checkPeer(socket, socketPath: socketPath, owner: owner, engine: engine)
            try socket.write(ControlCodec.encode(request(for: command)))
        } catch let error as SystemError {
            socket.close()
            switch error.code {
            case SystemError.noSuchFile:
                return .failed(.notSent("no control socket \(socketPath): the engine is not running"))
            case SystemError.connectionRefused:
                return .failed(.notSent("nobody answers on \(socketPath): the engine was killed"))
            case SystemError.permissionDenied, SystemError.notPermitted:
                return .failed(.refused("permission denied on \(socketPath): only root or the engine's "
                                         + "user may change this engine"))
            case SystemError.wouldBlock:
                return .failed(.notSent("the engine is not accepting requests (its queue is full); try again"))
            default:
                return .failed(.notSent(error.description))
            }
        } catch let error as ControlClientError {
            socket.close()
            return .failed(.notSent("\(error)"))
        } catch {
            socket.close()
            return .failed(.notSent("\(error)"))
        }
        return .sending(ControlExchange(entry: entry, socket: socket, seconds: max(1, min(timeoutSeconds, 10))))
    }

    /// Reads what arrived; the outcome once the answer line is complete or the engine
    /// hung up, nil while more is to come.
    func readable() -> ControlOutcome? {
        do {
            let bytes = try socket.read(maximum: 65536)
            input += bytes
            if bytes.isEmpty, !input.contains(UInt8(ascii: "\n")) {
                return .notSent("the engine closed the connection without answering")
            }
        } catch let error as SystemError where error.code == SystemError.wouldBlock {
            return nil
        } catch {
            return .notSent("\(error)")
        }
        guard let newline = input.firstIndex(of: UInt8(ascii: "\n")) else {
            return input.count > 1 << 20 ? .notSent("the engine's answer is too long") : nil
        }
        guard let answer = try? ControlCodec.decodeAnswer(Array(input[..<newline])) else {
            return .notSent("unreadable answer from the engine")
        }
        return answer.ok ? .accepted(answer.message) : .refused(answer.message)
    }

    /// The outcome when no answer came by the deadline.
    func expire(at now: MonotonicInstant) -> ControlOutcome? {
        now >= deadline ? .noAnswerYet(seconds: seconds) : nil
    }

    /// The control request a console command stands for.
    static func request(for command: ControlCommand) -> ControlRequest {
        switch command {
        case .monitor(let on, let pentID): .monitor(on: on, pentID: pentID)
        case .reset(let pentID): .reset(pentID: pentID)
        }
    }
}
