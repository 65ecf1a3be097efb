import PsaverSystem

/// This binary in the role of a restart script: copied into the bench folder under
/// `scriptName`, pcheck runs it directly. It appends the instant it started
/// (CLOCK_REALTIME, ns) to `$BENCH_STAMP_FILE`, starts `$BENCH_SERVICE 3600`
/// detached, and exits 0.
///
/// A compiled script rather than `date +%s%N` in a shell: the stamp is taken by
/// the first statement of the script's own process, with no shell and no fork
/// in between, so the figure is pcheck's latency plus one exec.
enum RestartStamp {
    static let scriptName = "bench-restart-script"
    static let stampVariable = "BENCH_STAMP_FILE"
    static let serviceVariable = "BENCH_SERVICE"

    static var isInvoked: Bool {
        FileSystem.baseName(of: CommandLine.arguments.first ?? "") == scriptName
    }

    static func run(launchedAt: WallTime) -> Int32 {
        guard let stamps = Identity.environment(stampVariable),
            let service = Identity.environment(serviceVariable)
        else {
            ProgramExit.printError("\(scriptName): \(stampVariable) and \(serviceVariable) must be set")
            return 1
        }
        do {
            let file = try FileDescriptor.openForAppending(stamps)
            defer { file.close() }
            try file.write(Array("\(BenchClock.nanoseconds(launchedAt))\n".utf8))
            let sink = try FileDescriptor.openForAppending("/dev/null")
            defer { sink.close() }
            _ = try Spawner.spawn(service, arguments: ["3600"], environment: ["LANG=C"], output: sink)
            return 0
        } catch {
            ProgramExit.printError("\(scriptName): \(error)")
            return 1
        }
    }
}
