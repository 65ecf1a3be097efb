#if canImport(Glibc)
import Glibc
#endif
import PsaverSystem

/// The shared work of the peer benchmark at one size: N services (hard links of
/// /bin/sleep, or one program with N arguments: `Shape`), each with its pid file and restart script, in a
/// private folder under /tmp. The supervisors take turns watching the same
/// services. `close()` kills every service by pid and removes the folder.
final class PeerHost {
    /// How the services and their entries are told apart.
    enum Shape: String, CaseIterable {
        /// Every service is its own hard link of /bin/sleep, its entry's pname;
        /// each restart script is the C (or Swift) program itself.
        case own
        /// The guide's shape: one program for every service, each started with its
        /// own argument and told apart by `include_strings`; each restart script is
        /// a 3-line /bin/sh script that execs the C (or Swift) program.
        case shared

        /// How the benchmark's table names it.
        var label: String { self == .own ? "own executables" : "one pname" }
    }

    /// Where everything lives; also what a restart script works out from its own path.
    struct Layout {
        let folder: String
        let shape: Shape
        /// The random part of the folder's name, in every service's name too.
        var tag: String { String(FileSystem.baseName(of: folder).split(separator: "-").last ?? "x") }
        var stamps: String { folder + "/stamps" }

        /// The one program of the shared shape: its presence is how a restart
        /// script, which knows only its own path, tells the shapes apart.
        static func sharedService(in folder: String) -> String {
            "\(folder)/svc/pp" + String(FileSystem.baseName(of: folder).split(separator: "-").last ?? "x")
        }

        func service(_ index: Int) -> String {
            shape == .shared ? Self.sharedService(in: folder) : "\(folder)/svc/pp\(tag)-\(index)"
        }
        /// The service's one argument: what the shared shape's entries name.
        func argument(_ index: Int) -> String { shape == .shared ? String(20_000_000 + index) : "86400" }
        /// What a supervisor runs for entry `index`.
        func script(_ index: Int) -> String {
            shape == .shared ? "\(folder)/scripts/start-\(index).sh" : program(index)
        }
        /// The restart program for `index`: the script itself, or what the shell script execs.
        func program(_ index: Int) -> String {
            "\(folder)/\(shape == .shared ? "bin" : "scripts")/\(PeerScript.prefix)\(index)"
        }
        func pidFile(_ index: Int) -> String { "\(folder)/pids/\(index).pid" }

        /// Starts service `index` detached (own session, output to /dev/null).
        func startService(_ index: Int) throws -> Int32 {
            let sink = try FileDescriptor.openForAppending("/dev/null")
            defer { sink.close() }
            return try Spawner.spawn(service(index), arguments: [argument(index)], environment: ["LANG=C"],
                                     output: sink).rawValue
        }

        func writePidFile(_ index: Int, _ pid: Int32) throws {
            try FileSystem.replaceAtomically(pidFile(index), with: Array("\(pid)\n".utf8))
        }

        func pid(_ index: Int) -> Int32? {
            (try? FileSystem.readText(pidFile(index))).flatMap { Int32($0.trimmingSpaces) }
        }
    }

    let layout: Layout
    let count: Int

    /// Makes the folder and starts `count` services. The bench must already be a
    /// child subreaper ignoring SIGCHLD (`PeerBench` does it), so services that the
    /// scripts detach, and that the bench kills, never linger as zombies.
    init(count: Int, script: String, shape: Shape = .own) throws {
        let tag = String(UInt32.random(in: 0x1000_0000...0x7fff_ffff), radix: 36)
        layout = Layout(folder: "/tmp/psaver-peers-\(tag)", shape: shape)
        self.count = count
        let folders = ["", "/svc", "/scripts", "/pids", "/bin"].map { layout.folder + $0 }
        for folder in folders {
            try FileSystem.makeDirectory(folder, permissions: 0o755)
            try FileSystem.setPermissions(folder, 0o755)
        }
        try FileSystem.replaceAtomically(layout.stamps, with: [], permissions: 0o644)
        if shape == .shared { try Self.hardLink(from: "/bin/sleep", to: layout.service(0)) }
        for index in 0..<count {
            if shape == .own { try Self.hardLink(from: "/bin/sleep", to: layout.service(index)) }
            try Self.hardLink(from: script, to: layout.program(index))
            if shape == .shared {
                let text = "#!/bin/sh\n# entry \(index): the guide's kind of restart script\nexec \(layout.program(index))\n"
                try FileSystem.replaceAtomically(layout.script(index), with: Array(text.utf8), permissions: 0o755)
            }
        }
        for index in 0..<count {
            try layout.writePidFile(index, try layout.startService(index))
        }
    }

    /// A hard link, so 10,000 services and scripts cost no disk and share one
    /// inode; a copy when the two paths are on different file systems or the
    /// file is not ours to link.
    static func hardLink(from source: String, to path: String) throws {
        if link(source, path) == 0 { return }
        // EPERM: an ordinary user may not link a file of root's (protected_hardlinks).
        guard errno == EXDEV || errno == EPERM else { throw SystemError("link", path) }
        try FileSystem.replaceAtomically(path, with: FileSystem.readBytes(source, limit: 1 << 30), permissions: 0o755)
    }

    /// Every "N NANOSECONDS" line the restart scripts stamped so far.
    func stamps() -> [(index: Int, nanoseconds: Int64)] {
        let text = (try? FileSystem.readText(layout.stamps)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let index = Int(parts[0]), let time = Int64(parts[1]) else { return nil }
            return (index, time)
        }
    }

    /// Live processes whose argv[0] lies in the folder: services and scripts.
    func processesFromFolder() -> [Int32] {
        let names = (try? FileSystem.contents(ofDirectory: "/proc")) ?? []
        return names.compactMap { name -> Int32? in
            guard let pid = Int32(name), pid != getpid(),
                let cmdline = try? FileSystem.readBytes("/proc/\(name)/cmdline", limit: 8192)
            else { return nil }
            let argv0 = String(decoding: cmdline.prefix { $0 != 0 }, as: UTF8.self)
            return argv0.hasPrefix(layout.folder + "/") ? pid : nil
        }
    }

    /// Kills every service and script by pid and removes the folder.
    func close() {
        for pid in processesFromFolder() { try? ProcessSignals.send(ProcessSignals.kill, to: ProcessID(pid)) }
        BenchClock.nap(milliseconds: 100)
        Self.removeTree(layout.folder)
    }

    static func removeTree(_ path: String) {
        guard let status = try? FileSystem.status(of: path, followLinks: false) else { return }
        if status.kind == .directory {
            for name in (try? FileSystem.contents(ofDirectory: path)) ?? [] { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            try? FileSystem.remove(path)
        }
    }
}

extension String {
    var trimmingSpaces: String {
        String(self.drop { $0 == " " || $0 == "\n" }.reversed().drop { $0 == " " || $0 == "\n" }.reversed())
    }
}
