#if canImport(Glibc)
import Glibc
#endif
import PsaverSystem

/// This binary in the role of entry N's restart script in the peer benchmark: a
/// hard link named `peer-restart-N` in `HOST/scripts/` (or in `HOST/bin/`, exec'd
/// by a shell script, in the shared shape). Every supervisor runs it
/// the same way (directly, no arguments; monit gives it a bare environment), so
/// it learns all it needs from its own path. It appends "N NANOSECONDS" to
/// `HOST/stamps` as its first act, starts its service detached (`PeerHost.Layout.startService`),
/// writes that pid to `HOST/pids/N.pid` and exits 0.
enum PeerScript {
    static let prefix = "peer-restart-"

    static var isInvoked: Bool {
        FileSystem.baseName(of: CommandLine.arguments.first ?? "").hasPrefix(prefix)
    }

    static func run(launchedAt: WallTime) -> Int32 {
        let invokedAs = (try? FileSystem.readLink("/proc/self/exe")) ?? CommandLine.arguments[0]
        let name = FileSystem.baseName(of: invokedAs)
        guard let index = Int(name.dropFirst(prefix.count)) else {
            ProgramExit.printError("\(name): not named \(prefix)N")
            return 2
        }
        let folder = FileSystem.directoryName(of: FileSystem.directoryName(of: invokedAs))
        let shared = FileSystem.exists(PeerHost.Layout.sharedService(in: folder))
        let host = PeerHost.Layout(folder: folder, shape: shared ? .shared : .own)
        do {
            let stamps = try FileDescriptor.openForAppending(host.stamps)
            try stamps.write(Array("\(index) \(BenchClock.nanoseconds(launchedAt))\n".utf8))
            stamps.close()
            let pid = try host.startService(index)
            try host.writePidFile(index, pid)
            return 0
        } catch {
            ProgramExit.printError("\(name): \(error)")
            return 1
        }
    }
}
