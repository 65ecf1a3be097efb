import Foundation
import PsaverSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What the real-server tests need besides a sandbox: a private port, a look at
/// whether it serves, and a view of a server's processes by session, since the
/// children of nginx, PostgreSQL and Redis rename themselves and never name the
/// sandbox folder (so `Sandbox.close` alone cannot find them).
enum RealServer {
    /// One process as its stat file shows it.
    struct Member: Equatable {
        var pid: Int32
        var parent: Int32
        var session: Int32
        var state: Character
        var commandLine: String
    }

    /// Every process on the host (zombies included, with state Z).
    static func processes() -> [Member] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name in
            guard let pid = Int32(name), let stat = try? FileSystem.readText("/proc/\(name)/stat"),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 4, let parent = Int32(fields[1]), let session = Int32(fields[3]) else { return nil }
            let bytes = (try? FileSystem.readBytes("/proc/\(name)/cmdline")) ?? []
            let line = String(decoding: bytes.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return Member(pid: pid, parent: parent, session: session, state: fields[0].first ?? "?",
                          commandLine: line.trimmingCharacters(in: .whitespaces))
        }
    }

    /// Live processes whose command line holds every one of `strings`.
    static func live(holding strings: [String]) -> [Member] {
        processes().filter { member in member.state != "Z" && strings.allSatisfy { member.commandLine.contains($0) } }
    }

    /// Live children of `parent`.
    static func children(of parent: Int32) -> [Member] {
        processes().filter { $0.parent == parent && $0.state != "Z" }
    }

    /// Live processes in the session `session` other than its leader.
    static func children(inSessionOf session: Int32) -> [Member] {
        processes().filter { $0.session == session && $0.pid != session && $0.state != "Z" }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    static func freePort() -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 20_000...59_000)
            if !serves(port) { return port }
        }
        return Int.random(in: 20_000...59_000)
    }

    /// Whether something accepts a TCP connection on 127.0.0.1:`port`.
    static func serves(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Runs a command to its end; its exit status and output (stdout then stderr).
    @discardableResult
    static func run(_ box: Sandbox, _ binary: String, _ arguments: [String], timeout: Double = 60)
        throws -> (Int32, String)
    {
        let program = try Program(binary, arguments, in: box, name: FileSystem.baseName(of: binary))
        let status = try program.wait(timeout: timeout)
        let output = ((try? String(contentsOfFile: program.outputPath, encoding: .utf8)) ?? "")
            + ((try? String(contentsOfFile: program.errorPath, encoding: .utf8)) ?? "")
        return (status, output)
    }

    /// Kills (SIGKILL, by pid) every live process whose command line holds `marker`,
    /// every member of the sessions such processes lead, and their descendants,
    /// until none is left.
    static func killAll(marked marker: String) {
        for _ in 0..<50 {
            let all = processes()
            // Only sessions that a marked process leads (a daemon's): never the test's own.
            let ours = getsid(0)
            let sessions = Set(all.filter { $0.commandLine.contains(marker) && $0.session == $0.pid && $0.session != ours }
                .map(\.session))
            var chosen = Set(all.filter { $0.commandLine.contains(marker) || sessions.contains($0.session) }.map(\.pid))
            // And their descendants (PostgreSQL's children lead sessions of their own).
            var grew = true
            while grew {
                let more = all.filter { chosen.contains($0.parent) && !chosen.contains($0.pid) }.map(\.pid)
                chosen.formUnion(more)
                grew = !more.isEmpty
            }
            let doomed = all.filter { $0.state != "Z" && $0.pid != getpid() && $0.pid > 1 && chosen.contains($0.pid) }
            if doomed.isEmpty { return }
            for member in doomed { kill(member.pid, SIGKILL) }
            usleep(50_000)
        }
    }

    /// Kills (SIGKILL, by pid) every live process that `mains` led (session or
    /// group) or forked, the mains included: what a test leaves if the engine does not.
    static func killFamilies(of mains: Set<Int32>) {
        for _ in 0..<50 {
            let all = processes()
            // Members of the sessions the mains led; a main itself only while it still leads one.
            var chosen = Set(all.filter { mains.contains($0.session) }.map(\.pid))
            var grew = true
            while grew {
                let more = all.filter { chosen.contains($0.parent) && !chosen.contains($0.pid) }.map(\.pid)
                chosen.formUnion(more)
                grew = !more.isEmpty
            }
            let doomed = all.filter {
                $0.state != "Z" && $0.pid > 1 && $0.pid != getpid() && $0.session != getsid(0) && chosen.contains($0.pid)
            }
            if doomed.isEmpty { return }
            for member in doomed { kill(member.pid, SIGKILL) }
            usleep(50_000)
        }
    }

    static let python = "/usr/bin/python3"

    /// Starts `svc 3600` as the child of a parent that reaps it `delay` seconds after
    /// it ends (0: at once, as a shell would, but with blocking system calls: a shell
    /// started from the test runner may inherit a blocked SIGCHLD and never reap).
    static func startUnderReaper(_ box: Sandbox, _ svc: String, delay: Int) throws -> Int32 {
        let program = "\(box.folder)/reaper-\(delay).py"
        try box.write(program, """
            import os, sys, time
            pid = os.fork()
            if pid == 0:
                os.execv(sys.argv[1], [sys.argv[1], "3600"])
            os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
            time.sleep(int(sys.argv[2]))
            os.waitpid(pid, 0)

            """, permissions: 0o644)
        let starter = try Program("/usr/bin/setsid", ["-f", python, program, svc, "\(delay)"], in: box, name: "setsid")
        _ = try starter.wait(timeout: 10)
        return try waitFor("\(svc) to start", timeout: 10) { box.pids(of: svc).first }
    }

    /// Why a server's test cannot run here, or nil when it can.
    static func missing(_ paths: String...) -> String? {
        let absent = paths.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        if absent.isEmpty { return nil }
        return "not installed: \(absent.joined(separator: ", ")) (.ci/run installs nginx, postgresql-15 and redis-server)"
    }

    static let canRun = getuid() == 0
}
