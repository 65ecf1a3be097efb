import Foundation
import PsaverSystem

/// What systemd does for a `Type=notify` service, for tests: a Unix datagram socket
/// bound at a path (or an abstract name, `@name`) whose messages are collected.
final class NotifyListener {
    let address: String
    private let fd: Int32
    /// Every message received so far, oldest first.
    private(set) var messages: [String] = []

    init(_ address: String) throws {
        self.address = address
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let abstract = address.hasPrefix("@")
        let name = Array((abstract ? String(address.dropFirst()) : address).utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { buffer in
            for (index, byte) in name.enumerated() { buffer[index + (abstract ? 1 : 0)] = byte }
        }
        let length = abstract ? MemoryLayout<sa_family_t>.size + 1 + name.count : MemoryLayout<sockaddr_un>.size
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(length)) }
        }
        guard bound == 0 else {
            close(fd)
            throw SystemError("bind", address)
        }
    }

    deinit { close(fd) }

    /// Reads whatever has arrived, without waiting.
    func collect() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard count > 0 else { return }
            messages.append(String(decoding: buffer[0..<count], as: UTF8.self))
        }
    }

    /// Waits for a message with a line equal to `line`; returns the whole message.
    @discardableResult
    func waitForMessage(with line: String, after earlier: Int = 0, timeout: Double = PcheckRun.patience) throws
        -> String
    {
        try waitFor("a notification with \(line)", timeout: timeout) {
            collect()
            return messages.dropFirst(earlier).first { $0.split(separator: "\n").contains { $0 == line } }
        }
    }

    /// How many messages so far hold `line`.
    func count(_ line: String) -> Int {
        collect()
        return messages.filter { $0.split(separator: "\n").contains { $0 == line } }.count
    }
}
