import PsaverSystem

/// `psaver-bench restart-latency`: how long from SIGKILL of a watched service to
/// the start of its restart script, with pcheck watching by pidfd.
///
/// The restart script is this binary (RestartStamp), which stamps CLOCK_REALTIME
/// as its first statement; the kill is stamped just before `kill(2)`. A second
/// figure, kill → the restarted service AVAIL in the state file, is read by
/// polling the state file every millisecond, so it includes up to 1 ms of polling.
struct RestartLatency {
    var kills: Int

    func run() throws {
        let box = try BenchSandbox("latency")
        defer { box.close() }
        let script = "\(box.folder)/\(RestartStamp.scriptName)"
        try box.copy(try FileSystem.readLink("/proc/self/exe"), to: script)
        let stamps = "\(box.folder)/stamps"
        // grace 0 and retry above the number of kills: every kill is a plain restart.
        try box.writePfile(entry: "\(box.service):\(script):0:\(kills + 10):exit")
        try box.startService()
        try box.startEngine(environment: [
            "\(RestartStamp.stampVariable)=\(stamps)", "\(RestartStamp.serviceVariable)=\(box.service)",
        ])
        var pid = try box.waitForUp()

        var toScript: [Double] = []
        var toAvail: [Double] = []
        for kill in 1...kills {
            // Let pcheck settle back into its epoll wait, as it is between real deaths.
            BenchClock.nap(milliseconds: 100)
            let killedAt = BenchClock.nowNanoseconds()
            try ProcessSignals.send(ProcessSignals.kill, to: ProcessID(pid))
            let started = try BenchClock.waitFor("restart script \(kill) to start", timeout: 15, every: 1) {
                () -> Int64? in
                try box.checkEngine()
                let lines = ((try? FileSystem.readText(stamps)) ?? "").split(separator: "\n")
                return lines.count >= kill ? Int64(lines[kill - 1]) : nil
            }
            pid = try box.waitForUp(replacing: pid, every: 1)
            let upAt = BenchClock.nowNanoseconds()
            toScript.append(Double(started - killedAt) / 1e6)
            toAvail.append(Double(upAt - killedAt) / 1e6)
        }

        let overhead = try stampOverhead(script: script, box: box)

        print("restart-latency: \(kills) kills (SIGKILL by pid), pcheck \(try BenchSandbox.pcheck())")
        print("  kill -> restart script started:   \(Summary(toScript))")
        print("  kill -> new pid AVAIL in state:   \(Summary(toAvail))")
        print("  (of which the stamp script's own exec and start-up, spawned directly: \(Summary(overhead)))")
    }

    /// The stamp script's share of the figure: spawn it directly and time the
    /// same span, posix_spawn to its first statement, without pcheck.
    private func stampOverhead(script: String, box: BenchSandbox) throws -> [Double] {
        let stamps = "\(box.folder)/calibration"
        let environment = ["\(RestartStamp.stampVariable)=\(stamps)", "\(RestartStamp.serviceVariable)=/bin/true"]
        let sink = try FileDescriptor.openForAppending("/dev/null")
        defer { sink.close() }
        var spans: [Double] = []
        for run in 1...10 {
            BenchClock.nap(milliseconds: 20)
            let spawnedAt = BenchClock.nowNanoseconds()
            _ = try Spawner.spawn(script, arguments: [], environment: environment, output: sink)
            let started = try BenchClock.waitFor("calibration run \(run)", timeout: 15, every: 1) { () -> Int64? in
                let lines = ((try? FileSystem.readText(stamps)) ?? "").split(separator: "\n")
                return lines.count >= run ? Int64(lines[run - 1]) : nil
            }
            spans.append(Double(started - spawnedAt) / 1e6)
            _ = Spawner.reapEnded()
        }
        return spans
    }
}

/// p50 and max (nearest rank) of a sample, in milliseconds.
struct Summary: CustomStringConvertible {
    var sorted: [Double]

    init(_ values: [Double]) { sorted = values.sorted() }

    func percentile(_ p: Double) -> Double {
        let rank = max(1, Int((p / 100 * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }

    var description: String {
        "p50 \(Self.format(percentile(50))) ms, p90 \(Self.format(percentile(90))) ms, "
            + "max \(Self.format(sorted.last ?? 0)) ms, min \(Self.format(sorted.first ?? 0)) ms"
    }

    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
