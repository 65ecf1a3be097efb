import Foundation
import PsaverState
import PsaverSystem
import Synchronization

/// A control socket in a private folder, answered by a thread as a scripted engine
/// would, so the client's every outcome is tested without a real engine.
final class FakeEngineSocket: Sendable {
    /// What the fake does with the one connection it accepts.
    enum Behaviour: Sendable {
        /// Reads one line and writes `reply` (a newline is added), then closes after `linger`.
        case reply(String, linger: Duration = .zero)
        /// Accepts and reads, but never answers; closes after `after`.
        case silent(after: Duration)
        /// Reads one line and closes without a word.
        case hangUp
    }

    let folder: String
    let path: String
    private let received = Mutex<[UInt8]>([])
    private let done = Mutex(false)

    init(_ behaviour: Behaviour) throws {
        folder = "/tmp/psaver-client-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        path = folder + "/engine.sock"
        let listener = try UnixSocket.make()
        try UnixSocket.listen(listener, path: path, permissions: 0o660)
        Thread.detachNewThread { [self] in
            serve(listener, behaviour)
            listener.close()
            done.withLock { $0 = true }
        }
    }

    /// A socket file that nothing listens on any more: what a killed engine leaves.
    static func stale() throws -> (folder: String, path: String) {
        let folder = "/tmp/psaver-client-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let listener = try UnixSocket.make()
        try UnixSocket.listen(listener, path: folder + "/engine.sock", permissions: 0o660)
        listener.close()
        return (folder, folder + "/engine.sock")
    }

    /// The request line the fake received, without its newline.
    var request: [UInt8] { received.withLock { $0 } }

    func close() {
        for _ in 0..<500 where !done.withLock({ $0 }) { usleep(10_000) }
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func serve(_ listener: FileDescriptor, _ behaviour: Behaviour) {
        // The listener blocks in accept; the accepted socket is non-blocking.
        guard let connection = try? UnixSocket.accept(listener) else { return }
        defer { connection.close() }
        let line = readLine(connection)
        received.withLock { $0 = line }
        switch behaviour {
        case .reply(let text, let linger):
            try? connection.write(Array((text + "\n").utf8))
            pause(linger)
        case .silent(let after):
            pause(after)
        case .hangUp:
            break
        }
    }

    private func readLine(_ connection: FileDescriptor) -> [UInt8] {
        var input: [UInt8] = []
        for _ in 0..<500 {
            if let newline = input.firstIndex(of: UInt8(ascii: "\n")) { return Array(input[..<newline]) }
            do {
                let bytes = try connection.read(maximum: 4096)
                if bytes.isEmpty { break }
                input += bytes
            } catch {
                usleep(10_000)
            }
        }
        return input
    }

    private func pause(_ duration: Duration) {
        usleep(UInt32(duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000))
    }
}
