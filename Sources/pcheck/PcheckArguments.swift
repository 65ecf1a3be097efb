import PsaverState

/// pcheck's command line, parsed by hand: the daemon's whole interface is four
/// options, and swift-argument-parser would cost it about 1.5 MB of resident memory.
struct PcheckArguments: Equatable {
    var file: String
    var check = false
    var log = "syslog"
    var poll = false
    /// `--startup-grace SECONDS`: how long an entry missing at start-up waits for its process.
    var startupGrace: Duration = .zero
    /// The cluster resource that runs this engine (`--cluster-resource`, `--cluster-manager`).
    var clusterResource: String?
    var clusterManager: String?
    /// The command after `--on-retry-over`: the program (absolute) and its arguments.
    var onRetryOver: [String]?

    /// What the command line asks for.
    enum Request: Equatable {
        case run(PcheckArguments)
        case help
        case version
    }

    /// A command line that can't be used; `message` says what was wrong.
    struct UsageError: Error, Equatable {
        var message: String
    }

    static let help = """
        OVERVIEW: Watch the processes a pfile names, restart them, and exit at retry over.

        USAGE: pcheck -f <pfile> [--check] [--log <dest>] [--startup-grace <seconds>] [--cluster-resource <name>]
                      [--cluster-manager pacemaker|clusterpro] [--on-retry-over <program> [<arg>...]]

        OPTIONS:
          -f, --file <pfile>      The pfile (PARAM and PENT sections).
          --check                 Check the pfile, its state folder and --log as the engine does at
                                  start-up, changing nothing, and exit: 0 if it would start, 2 if not.
          --log <dest>            Where log lines go: syslog (default), stderr, or a file path.
          --startup-grace <seconds>
                                  At start-up, an entry whose process is missing waits this long
                                  (WAITING) for it to appear before its first restart, so that a
                                  service still starting at boot spends no retry. Default 0.
          --cluster-resource <name>
                                  The cluster resource that runs this engine. It is recorded in the
                                  state file; `padmin -c stop` then refuses unless forced and names
                                  the cluster command to use instead.
          --cluster-manager <name>
                                  pacemaker (default) or clusterpro: which commands padmin suggests.
          --on-retry-over <program> [<arg>...]
                                  Must come last: everything after it is a command, run directly
                                  (no shell) at retry over, after the final state is written and
                                  before pcheck exits, waited for at most 10 s. The OCF agent
                                  passes `crm_resource --fail` here, so Pacemaker fails over at once.
          --version               Print pcheck's version and exit.
          -h, --help              Show this help.

        Runs in the foreground. SIGTERM or SIGINT stops it (exit 0) and leaves the services
        running; SIGHUP re-reads the pfile; SIGUSR1 reopens the log files (after logrotate).

        Exit codes: 0 stopped, 1 retry over (exit action), 2 configuration or usage error,
        3 another engine holds the IPCKEY, 4 runtime fault.
        """

    /// The cluster resource to record in the state file, if one runs the engine.
    var cluster: ClusterRecord? {
        clusterResource.map { ClusterRecord(manager: clusterManager.flatMap(ClusterRecord.Manager.init) ?? .pacemaker,
                                            resource: $0) }
    }

    /// Parses the arguments after the program name. `--poll` (undocumented) forces
    /// the polling fallback, for tests of it.
    static func parse(_ arguments: [String]) throws(UsageError) -> Request {
        var file: String?
        var parsed = PcheckArguments(file: "")
        var index = 0
        func value(of option: String, inline: String?) throws(UsageError) -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count, !arguments[index].hasPrefix("-") || arguments[index] == "-" else {
                throw UsageError(message: "\(option) needs a value")
            }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            let (name, inline) = split(argument)
            switch name {
            case "-h", "--help": return .help
            case "--version": return .version
            case "-f", "--file": file = try value(of: name, inline: inline)
            case "--log": parsed.log = try value(of: name, inline: inline)
            case "--check": parsed.check = true
            case "--startup-grace":
                let text = try value(of: name, inline: inline)
                guard let seconds = Int(text), seconds >= 0, seconds <= 86_400 else {
                    throw UsageError(message: "--startup-grace takes whole seconds from 0 to 86400, not '\(text)'")
                }
                parsed.startupGrace = .seconds(seconds)
            case "--poll": parsed.poll = true
            case "--cluster-resource": parsed.clusterResource = try value(of: name, inline: inline)
            case "--cluster-manager": parsed.clusterManager = try value(of: name, inline: inline)
            case "--on-retry-over":
                let command = (inline.map { [$0] } ?? []) + arguments[(index + 1)...]
                guard let program = command.first else { throw UsageError(message: "--on-retry-over needs a program") }
                guard program.hasPrefix("/") else {
                    throw UsageError(message: "--on-retry-over needs the program's absolute path, not '\(program)'")
                }
                parsed.onRetryOver = Array(command)
                index = arguments.count
                continue
            default:
                if argument.hasPrefix("-f"), argument.count > 2 {
                    file = String(argument.dropFirst(2))
                } else if argument.hasPrefix("-") {
                    throw UsageError(message: "unknown option '\(argument)'")
                } else {
                    throw UsageError(message: "unexpected argument '\(argument)'")
                }
            }
            index += 1
        }
        guard let file, !file.isEmpty else { throw UsageError(message: "missing -f <pfile>") }
        parsed.file = file
        guard !parsed.log.isEmpty else { throw UsageError(message: "--log needs syslog, stderr or a file path") }
        if let manager = parsed.clusterManager {
            guard ClusterRecord.Manager(rawValue: manager) != nil else {
                throw UsageError(message: "--cluster-manager takes pacemaker or clusterpro, not '\(manager)'")
            }
            guard parsed.clusterResource != nil else {
                throw UsageError(message: "--cluster-manager needs --cluster-resource <name>")
            }
        }
        if parsed.clusterResource?.isEmpty == true { throw UsageError(message: "--cluster-resource needs a name") }
        return .run(parsed)
    }

    /// `--log=stderr` → (`--log`, `stderr`); other arguments have no inline value.
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
