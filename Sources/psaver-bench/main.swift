import PsaverSystem

// Read the clock before anything else: when pcheck runs this binary as a restart
// script, this instant is "the moment the script started" (RestartStamp.swift).
let launchedAt = WallTime.now()

if RestartStamp.isInvoked {
    ProgramExit.exit(RestartStamp.run(launchedAt: launchedAt))
}
if PeerScript.isInvoked {
    ProgramExit.exit(PeerScript.run(launchedAt: launchedAt))
}

/// Each subcommand's usage, printed by `psaver-bench SUBCOMMAND --help`.
let subcommandUsage: [(name: String, text: String)] = [
    ("restart-latency", """
        psaver-bench restart-latency [--kills N]   kill -> restart-script-start latency (N >= 10, default 20)
        """),
    ("idle-rss", """
        psaver-bench idle-rss [--seconds S]        VmRSS of an idle pcheck (default after 3 s)
        """),
    ("peers", """
        psaver-bench peers [--quick] [--sizes 10,1000,10000] [--shapes own,shared] [--rounds 2] [--kills 30]
                           [--idle 10] [--interval 10] [--tools pcheck,floor,monit] [--pcheck PATH]
                           [--floor-source PATH] [--script c|swift] [--hostile COUNTxBYTES] [--hostile-user NAME]
            pcheck, a C floor (scripts/bench/floor.c, built here) and monit (installed if missing)
            on the same services in interleaved rounds; one table with ratios and the load.
            --quick: sizes 10,1000, 1 round, 10 kills, 5 s idle. --interval: pcheck's MONITOR_INTERVAL.
            --script: the restart scripts are scripts/bench/peer-restart.c (default) or this binary.
            --shapes: own = every service its own copy of sleep (its entry's pname); shared = the
              guide's shape, one program for all, each entry told apart by include_strings, each
              restart script a /bin/sh script. Default: both, each at every size.
            --hostile 1000x100k (or 300x1m): that many processes of --hostile-user (default nobody;
              needs root, else they run as this user) with command lines that long, for the whole run.
        """),
    ("scaling", """
        psaver-bench scaling [--sizes 100,1000,10000,30000] [--shapes own,shared] [--kills 10] [--idle 10]
                             [--interval 10] [--pcheck PATH] [--script c|swift] [--hostile COUNTxBYTES] [--hostile-user NAME]
            pcheck alone at each size and shape: start-up, idle CPU, memory, kill -> script.
        """),
    ("hostile", """
        psaver-bench hostile --hostile COUNTxBYTES [--hostile-user NAME]
            starts the long command lines of --hostile and keeps them until SIGINT or SIGTERM: run it
            as root beside a benchmark run as an ordinary user, to measure a non-root engine.
        """),
    ("proc-pass", """
        psaver-bench proc-pass [--entries 1000] [--others 200] [--passes 3] [--fixture FOLDER]
            one /proc pass for every entry over a fixture tree (for callgrind)
        """),
    ("state-write", """
        psaver-bench state-write [--entries 10000] [--times 3]
            encoding one state file (for callgrind)
        """),
]

let usage = "usage:\n" + subcommandUsage.map {
    $0.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
}.joined(separator: "\n") + """

    Runs the pcheck built beside this binary (swift build -c release), against a copy
    of /bin/sleep in a private folder under /tmp; every process it starts is ended by pid.
    """

let arguments = Array(CommandLine.arguments.dropFirst())

/// The text after `flag`, or nil when the flag is absent.
func textOption(_ flag: String) -> String? {
    guard let index = arguments.firstIndex(of: flag) else { return nil }
    guard index + 1 < arguments.count else {
        ProgramExit.printError("psaver-bench: \(flag) needs a value\n\(usage)")
        ProgramExit.exit(2)
    }
    return arguments[index + 1]
}

/// A comma-separated list of whole numbers >= 1 after `flag`, or `fallback`.
func sizesOption(_ flag: String, default fallback: [Int]) -> [Int] {
    guard let text = textOption(flag) else { return fallback }
    let sizes = text.split(separator: ",").compactMap { Int($0) }.filter { $0 >= 1 }
    guard sizes.count == text.split(separator: ",").count, !sizes.isEmpty else {
        ProgramExit.printError("psaver-bench: \(flag) needs whole numbers >= 1, comma-separated\n\(usage)")
        ProgramExit.exit(2)
    }
    return sizes
}

/// The integer after `flag`, or `fallback`; exits with usage for a malformed value.
func option(_ flag: String, default fallback: Int, minimum: Int) -> Int {
    guard let index = arguments.firstIndex(of: flag) else { return fallback }
    guard index + 1 < arguments.count, let value = Int(arguments[index + 1]), value >= minimum else {
        ProgramExit.printError("psaver-bench: \(flag) needs a whole number >= \(minimum)\n\(usage)")
        ProgramExit.exit(2)
    }
    return value
}

/// What `--script` names: the C restart script unless `swift`.
func scriptOption() throws -> PeerSetup.Script {
    guard let script = PeerSetup.Script(rawValue: textOption("--script") ?? "c") else {
        throw BenchError("--script is c or swift")
    }
    return script
}

/// `--shapes`: own, shared or both, comma-separated.
func shapesOption(default fallback: [PeerHost.Shape]) throws -> [PeerHost.Shape] {
    guard let text = textOption("--shapes") else { return fallback }
    return try text.split(separator: ",").map { name in
        guard let shape = PeerHost.Shape(rawValue: String(name)) else { throw BenchError("--shapes takes own and shared") }
        return shape
    }
}

/// `--hostile COUNTxBYTES` with `--hostile-user`, or nil.
func hostileOption() throws -> HostileLoad? {
    guard let text = textOption("--hostile") else { return nil }
    guard let load = HostileLoad(text, user: textOption("--hostile-user") ?? "nobody") else {
        throw BenchError("--hostile takes COUNTxBYTES, for example 1000x100k or 300x1m")
    }
    return load
}

if let name = arguments.first, arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }),
    let help = subcommandUsage.first(where: { $0.name == name })
{
    print("usage: " + help.text)
    ProgramExit.exit(0)
}

do {
    switch arguments.first {
    case "restart-latency":
        try RestartLatency(kills: option("--kills", default: 20, minimum: 10)).run()
    case "idle-rss":
        try IdleRSS(seconds: option("--seconds", default: 3, minimum: 1)).run()
    case "peers":
        let quick = arguments.contains("--quick")
        let toolNames = (textOption("--tools") ?? "pcheck,floor,monit").split(separator: ",")
        let tools = try toolNames.map { name -> PeerTool in
            guard let tool = PeerTool(rawValue: String(name)) else { throw BenchError("unknown tool \(name) in --tools") }
            return tool
        }
        let binaries = try PeerSetup.binaries(pcheck: textOption("--pcheck"), floorSource: textOption("--floor-source"),
                                              needMonit: tools.contains(.monit), script: try scriptOption())
        let bench = PeerBench(
            sizes: sizesOption("--sizes", default: quick ? [10, 1000] : [10, 1000, 10000]),
            rounds: option("--rounds", default: quick ? 1 : 2, minimum: 1),
            kills: option("--kills", default: quick ? 10 : 30, minimum: 1),
            idleSeconds: option("--idle", default: quick ? 5 : 10, minimum: 1),
            tools: tools, binaries: binaries, shapes: try shapesOption(default: [.own, .shared]),
            hostile: try hostileOption(), monitorInterval: option("--interval", default: 10, minimum: 1))
        defer { PeerSetup.removeBuilt(binaries) }
        let trials = try bench.run()
        print(PeerReport(trials: trials, title: PeerBench.title(bench, command: arguments)).render())
    case "scaling":
        let binaries = try PeerSetup.binaries(pcheck: textOption("--pcheck"), floorSource: textOption("--floor-source"),
                                              needMonit: false, script: try scriptOption())
        let bench = PeerBench(
            sizes: sizesOption("--sizes", default: [100, 1000, 10000, 30000]), rounds: 1,
            kills: option("--kills", default: 10, minimum: 1), idleSeconds: option("--idle", default: 10, minimum: 1),
            tools: [.pcheck], binaries: binaries, shapes: try shapesOption(default: [.own, .shared]),
            hostile: try hostileOption(), monitorInterval: option("--interval", default: 10, minimum: 1))
        defer { PeerSetup.removeBuilt(binaries) }
        let trials = try bench.runScaling()
        print(PeerReport(trials: trials, title: PeerBench.title(bench, command: arguments)).render())
    case "hostile":
        guard let load = try hostileOption() else { throw BenchError("hostile needs --hostile COUNTxBYTES") }
        BenchInterrupt.install()
        let crowd = try HostileCrowd(load: load)
        defer { crowd.stop() }
        while !BenchInterrupt.happened { BenchClock.nap(milliseconds: 200) }
    case "proc-pass":
        try ProcPass(entries: option("--entries", default: 1000, minimum: 1),
                     others: option("--others", default: 200, minimum: 0),
                     passes: option("--passes", default: 3, minimum: 1),
                     fixture: textOption("--fixture") ?? "/tmp/psaver-proc-pass").run()
    case "state-write":
        StateWrite(entries: option("--entries", default: 10000, minimum: 1),
                   times: option("--times", default: 3, minimum: 1)).run()
    case "-h", "--help":
        print(usage)
    default:
        ProgramExit.printError(usage)
        ProgramExit.exit(2)
    }
} catch {
    ProgramExit.printError("psaver-bench: \(error)")
    ProgramExit.exit(1)
}
ProgramExit.exit(0)
