import PsaverSystem

/// `psaver-bench idle-rss`: the resident memory of a pcheck watching one service
/// on a pfile like conf/pfile_tomcat, after `seconds` of idling, and the CPU it
/// used meanwhile.
struct IdleRSS {
    var seconds: Int

    func run() throws {
        let box = try BenchSandbox("rss")
        defer { box.close() }
        let script = "\(box.folder)/start.sh"
        try box.write(script, "#!/bin/sh\nsetsid \(box.service) 3600 </dev/null >/dev/null 2>&1 &\n",
                      permissions: 0o755)
        // conf/pfile_tomcat's shape: grace one day, retry 3, exit, include_strings.
        try box.writePfile(entry: "\(box.service):\(script):86400:3:exit:include_strings=3600", monitorInterval: 10)
        try box.startService()
        try box.startEngine()
        guard let engine = box.engine else { throw BenchError("pcheck did not start") }
        _ = try box.waitForUp()

        let ticksBefore = try box.cpuTicks(of: engine)
        for _ in 0..<(seconds * 10) {
            BenchClock.nap(milliseconds: 100)
            try box.checkEngine()
        }
        let ticks = try box.cpuTicks(of: engine) - ticksBefore
        let memory = try box.memory(of: engine)

        print("idle-rss: pcheck pid \(engine.rawValue), 1 entry, after \(seconds) s idle (\(try BenchSandbox.pcheck()))")
        print("  VmRSS \(megabytes(memory.rss)) MB, VmHWM \(megabytes(memory.peak)) MB")
        print("  CPU while idle: \(ticks) ticks (\(BenchSandbox.ticksPerSecond) per second) in \(seconds) s")
    }

    private func megabytes(_ kilobytes: Int) -> String {
        Summary.format(Double(kilobytes) / 1024)
    }
}
