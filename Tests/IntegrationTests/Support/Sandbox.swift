import Foundation
import PsaverState
import PsaverSystem

/// A private folder for one integration test: uniquely named services (copies of
/// `sleep`), their restart scripts, a pfile and a state file. `close()` kills every
/// process still running from the folder, by pid, and removes it.
final class Sandbox {
    let folder: String
    /// A short unique word, used in names and IPCKEYs so that parallel runs never collide.
    let tag: String
    let ipcKey: String

    init(_ name: String) throws {
        let random = UInt32.random(in: 0x1000_0000...0x7fff_ffff)
        tag = "\(name)-\(String(random, radix: 36))"
        ipcKey = "0x" + String(random, radix: 16)
        folder = "/tmp/psaver-it-\(tag)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileSystem.setPermissions(folder, 0o755)
    }

    /// The built binary `name` (pcheck, padmin, psview), beside this test bundle.
    static func binary(_ name: String) -> String {
        let me = (try? FileSystem.readLink("/proc/self/exe")) ?? ""
        return FileSystem.directoryName(of: me) + "/" + name
    }

    /// A copy of `sleep` named `svc-TAG-NAME`: argv[0] is its full path, so it is
    /// matched by path and no other process on the machine can look like it.
    func service(_ name: String) throws -> String {
        let path = "\(folder)/svc-\(tag)-\(name)"
        if !FileManager.default.fileExists(atPath: path) {
            // Written through a close-on-exec descriptor: a copy whose write descriptor
            // leaked into a concurrently spawned child could not be run (ETXTBSY).
            try FileSystem.replaceAtomically(path, with: FileSystem.readBytes("/bin/sleep"), permissions: 0o755)
        }
        return path
    }

    /// A restart script that starts `service` in the background (detached, its
    /// output discarded) with `arguments`, then exits with `exitCode`.
    @discardableResult
    func restartScript(
        for service: String, arguments: String = "3600", exitCode: Int = 0, extra: String = "", name: String? = nil
    ) throws -> String {
        let path = "\(folder)/start-\(name ?? FileSystem.baseName(of: service)).sh"
        let text = """
            #!/bin/sh
            \(extra)
            setsid \(service) \(arguments) </dev/null >/dev/null 2>&1 &
            exit \(exitCode)

            """
        try write(path, text, permissions: 0o755)
        return path
    }

    /// Writes a pfile with these PARAM extras and PENT lines; returns its path.
    @discardableResult
    func pfile(
        _ pents: [String], monitorInterval: Int = 2, extraParams: String = "", name: String = "pfile"
    ) throws -> String {
        let text = """
            ##### PARAM #####
            IPCKEY             \(ipcKey)
            MONITOR_INTERVAL   \(monitorInterval)
            SHM_DUMP_FILE      \(folder)/\(name).state
            \(extraParams)
            ##### PENT #####
            \(pents.joined(separator: "\n"))

            """
        let path = "\(folder)/\(name)"
        try write(path, text, permissions: 0o644)
        return path
    }

    var stateFile: String { "\(folder)/pfile.state" }

    func write(_ path: String, _ text: String, permissions: UInt32) throws {
        try SpawnGate.run {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            try FileSystem.setPermissions(path, permissions)
        }
    }

    /// Starts a service by hand (as an operator would), detached; returns its pid.
    func startService(_ path: String, arguments: [String] = ["3600"]) throws -> Int32 {
        let starter = try Program("/usr/bin/setsid", ["-f", path] + arguments, in: self, name: "setsid")
        _ = try starter.wait(timeout: 5)
        return try waitFor("\(path) to start", timeout: 5) { self.pids(of: path).first }
    }

    /// Pids of running (non-zombie) processes whose argv[0] is `path`.
    func pids(of path: String) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name -> Int32? in
            guard let pid = Int32(name),
                let cmdline = try? FileSystem.readBytes("/proc/\(name)/cmdline"),
                let stat = try? FileSystem.readText("/proc/\(name)/stat"),
                let close = stat.lastIndex(of: ")"),
                stat[stat.index(close, offsetBy: 2)] != "Z"
            else { return nil }
            let argv0 = String(decoding: cmdline.prefix { $0 != 0 }, as: UTF8.self)
            return argv0 == path ? pid : nil
        }.sorted()
    }

    /// Reads the state file, or nil while it does not exist or is being replaced.
    func state(_ path: String? = nil) -> StateDocument? {
        try? StateFileStore(path: path ?? stateFile).read()
    }

    /// Kills every process started from this folder (by pid) and removes the folder.
    func close() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in names {
            guard let pid = Int32(name), let cmdline = try? FileSystem.readBytes("/proc/\(name)/cmdline") else { continue }
            let text = String(decoding: cmdline.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            if text.contains(folder) && pid != getpid() { kill(pid, SIGKILL) }
        }
        // Engines killed by the tests cannot remove their registry links themselves.
        for registry in ["/run/psaver", "/tmp/psaver-\(getuid())"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: registry)) ?? [] {
                let link = "\(registry)/\(name)"
                if let target = try? FileSystem.readLink(link), target.hasPrefix(folder + "/") { try? FileSystem.remove(link) }
            }
        }
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Polls `probe` every 20 ms until it returns a value, or throws after `timeout` seconds.
func waitFor<T>(_ what: String, timeout: Double, _ probe: () throws -> T?) throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let value = try probe() { return value }
        usleep(20_000)
    }
    throw TimedOut(what: what, seconds: timeout)
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var seconds: Double
    var description: String { "timed out after \(seconds) s waiting for \(what)" }
}

extension Sandbox {
    /// Whether tests may run the built binaries as `nobody` through setpriv: they run
    /// as root, and every folder above the binaries lets others through (a clone
    /// under a 0700 home would not).
    static var canRunBinariesAsNobody: Bool {
        guard getuid() == 0 else { return false }
        var folder = FileSystem.directoryName(of: binary("pcheck"))
        while true {
            guard let status = try? FileSystem.status(of: folder), status.permissions & 0o001 != 0 else { return false }
            if folder == "/" { return true }
            folder = FileSystem.directoryName(of: folder)
        }
    }
}
