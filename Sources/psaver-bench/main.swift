import PsaverSystem

// Read the clock before anything else: when pcheck runs this binary as a restart
// script, this instant is "the moment the script started" (RestartStamp.swift).
let launchedAt = WallTime.now()

if RestartStamp.isInvoked {
    ProgramExit.exit(RestartStamp.run(launchedAt: launchedAt))
}

let usage = """
    usage: psaver-bench restart-latency [--kills N]   kill -> restart-script-start latency (N >= 10, default 20)
           psaver-bench idle-rss [--seconds S]        VmRSS of an idle pcheck (default after 3 s)

    Runs the pcheck built beside this binary (swift build -c release), against a copy
    of /bin/sleep in a private folder under /tmp; every process it starts is ended by pid.
    """

let arguments = Array(CommandLine.arguments.dropFirst())

/// The integer after `flag`, or `fallback`; exits with usage for a malformed value.
func option(_ flag: String, default fallback: Int, minimum: Int) -> Int {
    guard let index = arguments.firstIndex(of: flag) else { return fallback }
    guard index + 1 < arguments.count, let value = Int(arguments[index + 1]), value >= minimum else {
        ProgramExit.printError("psaver-bench: \(flag) needs a whole number >= \(minimum)\n\(usage)")
        ProgramExit.exit(2)
    }
    return value
}

do {
    switch arguments.first {
    case "restart-latency":
        try RestartLatency(kills: option("--kills", default: 20, minimum: 10)).run()
    case "idle-rss":
        try IdleRSS(seconds: option("--seconds", default: 3, minimum: 1)).run()
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
