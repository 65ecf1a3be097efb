import PsaverState
import PsaverSystem

/// The control socket (DESIGN §6) inside the engine's loop: non-blocking, with a
/// buffer per client, a bounded line length, a number of clients bounded per peer
/// uid (`ControlAdmission`: root and the engine's user always get through) and a
/// deadline for a client that sends half a line. Nothing here can block the loop.
public final class ControlServer {
    static let listenerToken = LoopToken.controlListener.rawValue
    static let idleLimit: Duration = .seconds(5)
    static let maximumPendingOutput = 1 << 20

    /// One decoded request and who sent it; the engine answers with `reply`.
    struct Request {
        var client: UInt64
        var peer: UnixSocket.Peer
        var request: ControlRequest
    }

    final class Client {
        let descriptor: FileDescriptor
        let peer: UnixSocket.Peer
        /// Order of arrival, for `ControlAdmission`.
        var serial: UInt64 = 0
        var input: [UInt8] = []
        var output: [UInt8] = []
        var deadline: MonotonicInstant
        var closing = false

        init(descriptor: FileDescriptor, peer: UnixSocket.Peer, deadline: MonotonicInstant) {
            self.descriptor = descriptor
            self.peer = peer
            self.deadline = deadline
        }
    }

    let path: String
    private(set) var listener: FileDescriptor
    private var clients: [UInt64: Client] = [:]
    private var nextClient: UInt64 = 0
    private let admission: ControlAdmission

    /// Listens at `path` (mode 0660), in the state folder opened by the engine's rule
    /// (`TrustedDirectory`), so that no other user can have planted or swap the
    /// socket. A socket left by a killed engine is replaced, but only after a
    /// connect proves nobody answers on it; anything else there is removed.
    init(path: String, owner: UserID, epoll: Epoll) throws {
        self.path = path
        admission = ControlAdmission(owner: owner)
        listener = try Self.listen(at: path)
        do {
            try epoll.add(listener, token: Self.listenerToken)
        } catch {
            listener.close()
            throw error
        }
        bound = FileSystem.status(ofSocket: path)
    }

    /// The socket file as bound: its device and inode, to notice it was removed or replaced.
    private var bound: FileStatus?

    /// Whether the socket file is still the one this server listens on.
    var isInPlace: Bool {
        guard let bound, let now = FileSystem.status(ofSocket: path) else { return false }
        return now.device == bound.device && now.inode == bound.inode
    }

    /// Listens again after the socket file was removed or replaced (DESIGN §3: the
    /// engine recreates what it owns); connected clients are kept.
    func restore(epoll: Epoll) throws {
        let fresh = try Self.listen(at: path)
        epoll.remove(listener)
        listener.close()
        listener = fresh
        acceptPausedUntil = nil
        try epoll.add(listener, token: Self.listenerToken)
        bound = FileSystem.status(ofSocket: path)
    }

    private static func listen(at path: String) throws -> FileDescriptor {
        let folder = try TrustedDirectory(FileSystem.directoryName(of: path), creatingWith: 0o755)
        let name = FileSystem.baseName(of: path)
        if let existing = folder.status(of: name) {
            if existing.kind == .socket {
                let probe = try UnixSocket.make()
                defer { probe.close() }
                // Non-blocking, so a live engine with a full backlog answers EAGAIN
                // (in use) instead of holding this start-up.
                try probe.setNonBlocking()
                var answered = true
                do {
                    try UnixSocket.connect(probe, path: path)
                } catch let error as SystemError
                    where error.code == SystemError.connectionRefused || error.code == SystemError.noSuchFile
                {
                    answered = false
                }
                if answered { throw SystemError("bind", path, code: SystemError.addressInUse) }
            }
            // Only root or this user can write in the folder: whatever is here is ours to replace.
            try folder.remove(name)
        }
        let listener = try UnixSocket.make()
        do {
            try listener.setNonBlocking()
            try UnixSocket.listen(listener, path: path, permissions: 0o660)
        } catch {
            listener.close()
            throw error
        }
        return listener
    }

    /// The earliest client deadline (or the end of an accept pause), for the loop's timeout.
    var nextDeadline: MonotonicInstant? {
        (clients.values.map(\.deadline) + [acceptPausedUntil].compactMap { $0 }).min()
    }

    /// Set while accepting is paused after running out of descriptors.
    private var acceptPausedUntil: MonotonicInstant?

    /// Handles readiness of the listener or a client; returns complete requests.
    func handle(_ event: Epoll.Ready, epoll: Epoll) -> [Request] {
        if event.token == Self.listenerToken {
            acceptAll(epoll: epoll)
            return []
        }
        guard let client = clients[event.token] else { return [] }
        if event.writable { flush(event.token, client, epoll: epoll) }
        guard event.readable || event.hangUp else { return [] }
        return readRequests(event.token, client, epoll: epoll)
    }

    /// Queues an answer for a client and sends what the socket takes now.
    func reply(_ token: UInt64, _ answer: ControlAnswer, epoll: Epoll) {
        guard let client = clients[token] else { return }
        // A client that sends requests but never reads its answers is dropped
        // rather than allowed to grow the engine's memory.
        guard client.output.count < Self.maximumPendingOutput else {
            drop(token, client, epoll: epoll)
            return
        }
        client.output += ControlCodec.encode(answer)
        flush(token, client, epoll: epoll)
    }

    /// Drops clients past their deadline (silent, or stuck on half a line).
    func expire(at now: MonotonicInstant, epoll: Epoll) {
        for (token, client) in clients where client.deadline <= now { drop(token, client, epoll: epoll) }
        if let until = acceptPausedUntil, until <= now, (try? epoll.add(listener, token: Self.listenerToken)) != nil {
            acceptPausedUntil = nil
        }
    }

    /// Closes every client and the listener, and removes the socket file.
    func close(epoll: Epoll) {
        for (token, client) in clients { drop(token, client, epoll: epoll) }
        epoll.remove(listener)
        listener.close()
        try? FileSystem.remove(path)
    }

    private func acceptAll(epoll: Epoll) {
        while true {
            let accepted: FileDescriptor?
            do {
                accepted = try UnixSocket.accept(listener)
            } catch {
                // Out of descriptors (EMFILE, ENFILE): the listener stays readable, and
                // a level-triggered loop would spin. Stop listening for a second.
                epoll.remove(listener)
                acceptPausedUntil = .now() + .seconds(1)
                return
            }
            guard let descriptor = accepted else { return }
            guard let peer = try? UnixSocket.peer(of: descriptor) else {
                descriptor.close()
                continue
            }
            let holders = clients.map {
                ControlAdmission.Holder(token: $0.key, user: $0.value.peer.user, serial: $0.value.serial)
            }
            switch admission.decide(peer.user, holders: holders) {
            case .admit:
                break
            case .admitClosing(let token):
                if let victim = clients[token] { drop(token, victim, epoll: epoll) }
            case .refuse:
                descriptor.close()
                continue
            }
            nextClient += 1
            let token = LoopToken.controlClient(UInt32(truncatingIfNeeded: nextClient)).rawValue
            let client = Client(descriptor: descriptor, peer: peer, deadline: .now() + Self.idleLimit)
            client.serial = nextClient
            do {
                try epoll.add(descriptor, token: token)
                clients[token] = client
            } catch {
                descriptor.close()
            }
        }
    }

    private func readRequests(_ token: UInt64, _ client: Client, epoll: Epoll) -> [Request] {
        var ended = false
        while true {
            do {
                let bytes = try client.descriptor.read(maximum: 4096)
                if bytes.isEmpty { ended = true; break }
                client.input += bytes
                if client.input.count > ControlCodec.maximumRequestLength * 2 { break }
            } catch {
                if let error = error as? SystemError, error.code == SystemError.wouldBlock { break }
                ended = true
                break
            }
        }
        var requests: [Request] = []
        var consumed = false
        while let newline = client.input.firstIndex(of: UInt8(ascii: "\n")) {
            let line = Array(client.input[..<newline])
            client.input.removeFirst(newline + 1)
            consumed = true
            switch ControlCodec.decodeRequest(line) {
            case .success(let request): requests.append(Request(client: token, peer: client.peer, request: request))
            case .failure(let answer): reply(token, answer, epoll: epoll)
            }
        }
        if client.input.count > ControlCodec.maximumRequestLength {
            reply(token, .refused(.tooLong, "request longer than \(ControlCodec.maximumRequestLength) bytes"),
                  epoll: epoll)
            client.closing = true
            client.input = []
        }
        // Only a complete request earns more time: a client that dribbles half a line
        // byte by byte still meets its deadline and cannot hold a slot for ever.
        if consumed { client.deadline = .now() + Self.idleLimit }
        if ended {
            client.closing = true
            if requests.isEmpty && client.output.isEmpty { drop(token, client, epoll: epoll) }
        }
        return requests
    }

    private func flush(_ token: UInt64, _ client: Client, epoll: Epoll) {
        while !client.output.isEmpty {
            do {
                let count = try client.descriptor.writeSome(client.output)
                client.output.removeFirst(count)
            } catch let error as SystemError where error.code == SystemError.wouldBlock {
                try? epoll.modify(client.descriptor, token: token, events: Epoll.readable | Epoll.writable)
                return
            } catch {
                drop(token, client, epoll: epoll)
                return
            }
        }
        try? epoll.modify(client.descriptor, token: token, events: Epoll.readable)
        if client.closing { drop(token, client, epoll: epoll) }
    }

    /// Closes a client once: a reply can drop it before the reader is done with it.
    private func drop(_ token: UInt64, _ client: Client, epoll: Epoll) {
        guard clients[token] === client else { return }
        epoll.remove(client.descriptor)
        client.descriptor.close()
        clients[token] = nil
    }
}
