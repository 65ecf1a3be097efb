#if canImport(Glibc)
import Glibc
#endif
import PsaverSystem

/// What `--hostile COUNTxBYTES` asks for: COUNT processes of another user, each
/// with a command line of about BYTES bytes, that match no entry. What anyone on
/// a shared host can start, and every pass must pass by cheaply.
struct HostileLoad: CustomStringConvertible {
    var count: Int
    var bytes: Int
    var user: String

    /// Reads `1000x100k`, `300x1m` or `50x4096`; nil when malformed.
    init?(_ text: String, user: String) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let count = Int(parts[0]), count >= 1 else { return nil }
        var size = Substring(parts[1])
        var scale = 1
        if size.hasSuffix("k") { scale = 1000; size = size.dropLast() }
        if size.hasSuffix("m") { scale = 1_000_000; size = size.dropLast() }
        guard let number = Int(size), number >= 1 else { return nil }
        self.count = count
        bytes = number * scale
        self.user = user
    }

    var description: String {
        "\(count) processes of user \(user) with \(PeerReport.grouped(bytes))-byte command lines"
    }
}

/// The processes of a `HostileLoad`: `/bin/sh -c 'while :; do sleep 86400; done'
/// psaver-hostile ARG…`, each ARG at most 100,000 bytes (the kernel's limit for one
/// argument is 128 KiB), started through setpriv as the load's user when this
/// runs as root, as this user otherwise. Each is its own session; `stop()` kills
/// each session by its leader's pid.
final class HostileCrowd {
    private var leaders: [ProcessID] = []

    init(load: HostileLoad) throws {
        let argumentLimit = 100_000
        var arguments: [String] = []
        var left = load.bytes
        while left > 0 {
            let size = min(left, argumentLimit)
            arguments.append(String(repeating: "h", count: size))
            left -= size + 1
        }
        let loop = ["-c", "while :; do sleep 86400; done", "psaver-hostile"] + arguments
        let program: String
        let argv: [String]
        if getuid() == 0 {
            guard let uid = Identity.userID(named: load.user) else {
                throw BenchError("--hostile-user \(load.user): no such user")
            }
            program = "/usr/bin/setpriv"
            argv = ["--reuid=\(uid.rawValue)", "--regid=\(uid.rawValue)", "--clear-groups", "/bin/sh"] + loop
        } else {
            FileHandleOut.note("not root: the long command lines run as this user, not \(load.user)")
            program = "/bin/sh"
            argv = loop
        }
        let sink = try FileDescriptor.openForAppending("/dev/null")
        defer { sink.close() }
        do {
            for _ in 0..<load.count {
                leaders.append(try Spawner.spawn(program, arguments: argv, environment: ["LANG=C"], output: sink))
            }
        } catch {
            stop()
            throw BenchError("starting \(load): \(error)")
        }
        FileHandleOut.note("started \(load)")
    }

    /// Kills every process started, by session leader's group.
    func stop() {
        for leader in leaders { try? ProcessSignals.sendToGroup(ProcessSignals.kill, group: leader) }
        leaders = []
    }
}
