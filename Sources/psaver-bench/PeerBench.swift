#if canImport(Glibc)
import Glibc
#endif
import PsaverSystem

/// `psaver-bench peers`: pcheck, the C floor and monit on the same services, in
/// interleaved rounds, at each size; prints one table with ratios to the floor.
///
/// Per size, one `PeerHost` holds N services; in every round each supervisor in
/// turn (the order rotates per round) is started on them and measured:
/// start-up until every entry is watched, idle CPU and private memory, `kills`
/// single deaths (SIGKILL by pid, one at a time) timed to the first statement of
/// the restart script, and a burst of 20 deaths at once timed to the last of
/// the 20 scripts. A death whose script did not start within `timeout` is a
/// missed restart. The machine's 1-minute load is read before and after.
struct PeerBench {
    var sizes: [Int]
    var rounds: Int
    var kills: Int
    var idleSeconds: Int
    var tools: [PeerTool]
    var binaries: PeerBinaries
    /// The shapes measured, each at every size (`--shapes`).
    var shapes: [PeerHost.Shape] = [.own]
    /// Long command lines of another user kept running through the whole run (`--hostile`).
    var hostile: HostileLoad?
    /// pcheck's MONITOR_INTERVAL (`--interval`), to compare the cost of 1 s with 10 s.
    var monitorInterval = 10
    var timeout: Double = 30
    /// How long a supervisor may take to watch every entry before its round is given up.
    static let readyTimeout: Double = 180

    /// What one supervisor did in one round at one size.
    struct Trial {
        var tool: PeerTool
        var size: Int
        var shape: PeerHost.Shape = .own
        var startup: Double?
        var latencies: [Double] = []
        var burst: Double?
        var burstSize = 0
        var idleCPU: Double?
        var privateKB: Int?
        var privateDirtyKB: Int?
        var missed = 0
        /// Deaths caused: single kills and the burst.
        var deaths = 0
        var loads: [Double] = []

        /// One line of progress, so that a long run shows its figures as it goes.
        var summary: String {
            let latency = latencies.isEmpty ? "no latencies" : "kill -> script \(Summary(latencies))"
            return "\(latency); burst \(burst.map { Summary.format($0) + " ms" } ?? "-"); "
                + "idle CPU \(idleCPU.map { Summary.format($0) + " %" } ?? "-"); "
                + "private \(privateKB.map { "\($0) kB" } ?? "-") (dirty \(privateDirtyKB.map { "\($0) kB" } ?? "-")); start-up \(startup.map { Summary.format($0) + " s" } ?? "-"); "
                + "missed \(missed) of \(deaths); load \(loads.map(Summary.format).joined(separator: " -> "))"
        }
    }

    /// Every size of every shape, today's shape first.
    var shapesAndSizes: [(PeerHost.Shape, Int)] {
        shapes.flatMap { shape in sizes.map { (shape, $0) } }
    }

    func run() throws -> [Trial] {
        try PeerBench.prepareReaping()
        let crowd = try hostile.map { try HostileCrowd(load: $0) }
        defer { crowd?.stop() }
        var trials: [Trial] = []
        for (shape, size) in shapesAndSizes {
            let host = try PeerHost(count: size, script: binaries.script, shape: shape)
            defer { host.close() }
            for round in 0..<rounds {
                let order = (0..<tools.count).map { tools[($0 + round) % tools.count] }
                for tool in order {
                    FileHandleOut.note("size \(size) (\(shape.label)), round \(round + 1)/\(rounds): \(tool.rawValue)")
                    trials.append(try trial(tool, host: host))
                    FileHandleOut.note("  " + trials[trials.count - 1].summary)
                }
            }
        }
        return trials
    }

    /// Makes the bench the reaper of the services that scripts detach, and lets
    /// the kernel reap them at once: no zombie is ever mistaken for a service.
    static func prepareReaping() throws {
        BenchInterrupt.install()
        try ChildSubreaper.become()
        signal(SIGCHLD, SIG_IGN)
    }

    func trial(_ tool: PeerTool, host: PeerHost, entries: Int? = nil) throws -> Trial {
        var result = Trial(tool: tool, size: entries ?? host.count, shape: host.layout.shape)
        result.loads.append(PeerMeasure.load())
        let started = BenchClock.nowNanoseconds()
        let supervisor = try PeerSupervisor(tool, host: host, binaries: binaries, entries: entries,
                                            monitorInterval: monitorInterval)
        defer { supervisor.stop() }
        do {
            _ = try BenchClock.waitFor("\(tool.rawValue) to watch every entry", timeout: Self.readyTimeout, every: 100) {
                try supervisor.isReady() ? true : nil
            }
        } catch {
            // Say why: a supervisor that ended early is not one that was slow.
            FileHandleOut.note("  \(tool.rawValue) did not watch every entry: \(error); skipped")
            return result
        }
        result.startup = Double(BenchClock.nowNanoseconds() - started) / 1e9

        BenchClock.nap(milliseconds: 1000)
        let cpuBefore = PeerMeasure.cpuNanoseconds(supervisor.process)
        let idleFrom = BenchClock.nowNanoseconds()
        BenchClock.nap(milliseconds: idleSeconds * 1000)
        let cpu = PeerMeasure.cpuNanoseconds(supervisor.process) - cpuBefore
        result.idleCPU = Double(cpu) / Double(BenchClock.nowNanoseconds() - idleFrom) * 100
        let memory = PeerMeasure.privateKilobytes(supervisor.process)
        result.privateKB = memory.all
        result.privateDirtyKB = memory.dirty

        // The burst's victims are set aside; single kills take the others in a
        // random order, coming round again only on a host smaller than `kills`.
        let shuffled = Array(0..<host.count).shuffled()
        let burst = Array(shuffled.prefix(min(20, host.count / 2)))
        let singles = Array(shuffled.dropFirst(burst.count))
        for kill in 0..<kills {
            let index = singles[kill % singles.count]
            BenchClock.nap(milliseconds: 100)
            guard let pid = host.layout.pid(index), PeerMeasure.isAlive(pid) else { continue }
            let killedAt = BenchClock.nowNanoseconds()
            try ProcessSignals.send(ProcessSignals.kill, to: ProcessID(pid))
            result.deaths += 1
            if let span = try waitForScripts([index], after: killedAt, host: host, supervisor: supervisor).last {
                result.latencies.append(span)
            } else {
                result.missed += 1
            }
            try waitForNewPid(index, replacing: pid, host: host)
            if kills > singles.count { try waitUntilWatched(index, supervisor: supervisor, host: host) }
        }

        if burst.count > 1 {
            BenchClock.nap(milliseconds: 500)
            let pids = burst.compactMap { host.layout.pid($0) }
            let killedAt = BenchClock.nowNanoseconds()
            for pid in pids { try? ProcessSignals.send(ProcessSignals.kill, to: ProcessID(pid)) }
            let spans = try waitForScripts(burst, after: killedAt, host: host, supervisor: supervisor)
            result.burstSize = burst.count
            result.deaths += burst.count
            result.missed += burst.count - spans.count
            if spans.count == burst.count { result.burst = spans.last }
            for (index, pid) in zip(burst, pids) { try? waitForNewPid(index, replacing: pid, host: host) }
        }
        result.loads.append(PeerMeasure.load())
        return result
    }

    /// Milliseconds from `killedAt` to each entry's first script stamp after it,
    /// sorted; entries whose script did not start within `timeout` are left out.
    private func waitForScripts(
        _ indexes: [Int], after killedAt: Int64, host: PeerHost, supervisor: PeerSupervisor
    ) throws -> [Double] {
        let wanted = Set(indexes)
        var firsts: [Int: Int64] = [:]
        _ = try? BenchClock.waitFor("restart scripts", timeout: timeout, every: 1) { () -> Bool? in
            if BenchInterrupt.happened { throw BenchError("interrupted") }
            for stamp in host.stamps() where stamp.nanoseconds >= killedAt && wanted.contains(stamp.index) {
                firsts[stamp.index] = min(firsts[stamp.index] ?? .max, stamp.nanoseconds)
            }
            return firsts.count == wanted.count ? true : nil
        }
        if BenchInterrupt.happened { throw BenchError("interrupted") }
        return firsts.values.map { Double($0 - killedAt) / 1e6 }.sorted()
    }

    /// On a host small enough that an entry is killed again, waits until the
    /// supervisor follows the entry's new process, so that the next kill is of a
    /// watched process. Only pcheck shows it (its state file); the floor watches
    /// the pid file's pid when the script ends, and monit reads it every cycle.
    private func waitUntilWatched(_ index: Int, supervisor: PeerSupervisor, host: PeerHost) throws {
        guard supervisor.tool == .pcheck, let pid = host.layout.pid(index) else { return }
        let needle = Array("\"pid\" : \(pid),".utf8)
        _ = try? BenchClock.waitFor("pcheck to follow pid \(pid)", timeout: 10, every: 2) { () -> Bool? in
            let bytes = (try? FileSystem.readBytes(host.layout.folder + "/pcheck.state", limit: 1 << 30)) ?? []
            return PeerSupervisor.count(needle, in: bytes) > 0 ? true : nil
        }
    }

    /// Waits until the script has written the new service's pid, so the next
    /// kill finds every supervisor settled.
    private func waitForNewPid(_ index: Int, replacing old: Int32, host: PeerHost) throws {
        _ = try? BenchClock.waitFor("a new pid for service \(index)", timeout: 10, every: 2) { () -> Bool? in
            guard let pid = host.layout.pid(index), pid != old else { return nil }
            return true
        }
    }
}

/// Progress lines go to stderr, the table to stdout.
enum FileHandleOut {
    static func note(_ text: String) { ProgramExit.printError(text) }
}

extension PeerBench {
    /// pcheck alone at each size, one round. A size beyond what the host's pid
    /// space can hold beside its other processes (pid_max counts threads) gets
    /// fewer services, two entries watching each, and the table says so.
    func runScaling() throws -> [Trial] {
        try PeerBench.prepareReaping()
        // pcheck holds a pidfd per watched process: let it open more than the
        // largest size (raising the hard limit needs root; otherwise the soft one
        // goes as far as the hard one allows, and the title says what it was).
        Self.raiseDescriptorLimit(to: (sizes.max() ?? 0) + 1024)
        let crowd = try hostile.map { try HostileCrowd(load: $0) }
        defer { crowd?.stop() }
        var trials: [Trial] = []
        for (shape, size) in shapesAndSizes {
            let services = min(size, Self.pidHeadroom())
            if services < size && shape == .shared {
                // One entry per argument: entries can't share a service here.
                FileHandleOut.note("size \(size) (\(shape.label)): only \(services) services fit in the pid space; skipped")
                continue
            }
            if services < size {
                FileHandleOut.note("size \(size): only \(services) services fit in the pid space; entries share them")
            }
            let host = try PeerHost(count: services, script: binaries.script, shape: shape)
            defer { host.close() }
            FileHandleOut.note("scaling: \(size) entries on \(services) services (\(shape.label))")
            trials.append(try trial(.pcheck, host: host, entries: size))
            FileHandleOut.note("  " + trials[trials.count - 1].summary)
        }
        return trials
    }

    /// Raises RLIMIT_NOFILE, which pcheck inherits, to `wanted` (or as far as allowed).
    static func raiseDescriptorLimit(to wanted: Int) {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < rlim_t(wanted) else { return }
        var raised = rlimit(rlim_cur: rlim_t(wanted), rlim_max: max(limit.rlim_max, rlim_t(wanted)))
        if setrlimit(resource, &raised) != 0 {
            raised = rlimit(rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max)
            _ = setrlimit(resource, &raised)
        }
        FileHandleOut.note("RLIMIT_NOFILE for pcheck: \(descriptorLimit())")
    }

    static func descriptorLimit() -> String {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return "unknown" }
        return "\(limit.rlim_cur) (hard \(limit.rlim_max))"
    }

    /// How many more processes may start while leaving 2,000 pids for the rest of the host.
    static func pidHeadroom() -> Int {
        let maximum = Int(((try? FileSystem.readText("/proc/sys/kernel/pid_max")) ?? "32768").trimmingSpaces) ?? 32768
        let names = (try? FileSystem.contents(ofDirectory: "/proc")) ?? []
        let threads = names.reduce(0) { sum, name in
            guard Int32(name) != nil else { return sum }
            return sum + ((try? FileSystem.contents(ofDirectory: "/proc/\(name)/task"))?.count ?? 1)
        }
        return max(0, maximum - threads - 2000)
    }

    /// The table's heading: the command, the binaries, the machine.
    static func title(_ bench: PeerBench, command: [String]) -> String {
        let cores = (try? FileSystem.readText("/proc/cpuinfo"))?.split(separator: "\n")
            .filter { $0.hasPrefix("processor") }.count ?? 0
        return """
            psaver-bench \(command.joined(separator: " "))
            pcheck: \(bench.binaries.pcheck)
            restart script: \(bench.binaries.scriptIsBuilt ? "scripts/bench/peer-restart.c (static C)" : "this binary (Swift)")
            \(cores) cores; \(bench.rounds) round(s), \(bench.kills) single kills + a burst per round, \
            idle window \(bench.idleSeconds) s, a missed restart is one not started within \(Int(bench.timeout)) s
            RLIMIT_NOFILE: \(descriptorLimit()); engine user: uid \(getuid())
            shapes: \(bench.shapes.map(\.label).joined(separator: ", ")); \
            host: \(bench.hostile.map { $0.description } ?? "no long command lines added")
            """
    }
}
