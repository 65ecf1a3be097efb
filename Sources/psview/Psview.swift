import ArgumentParser
import PsaverConsole
import PsaverState
import PsaverSystem

/// `psview`: the live operator console.
@main
struct Psview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "psview",
        abstract: "Show every pcheck engine's entries live, and switch their monitoring.",
        discussion: """
            With no pfile and no state file, psview shows every engine registered on this \
            host (/run/psaver as root, $XDG_RUNTIME_DIR/psaver or /tmp/psaver-UID otherwise). \
            Keys: arrows/j/k/PgUp/PgDn/Home/End move, m monitor on/off, r reset retry_count, \
            Enter details, p problems view, n/N next/previous problem, e event log, / filter, s sort, \
            x dismiss a dead engine, M messages, ? help, q quit.

            psview --once prints every engine's table once without curses (--once --json: as JSON; \
            --once --prometheus: as Prometheus metrics).

            Exit codes: 0 quit, 2 usage error (bad option, unreadable pfile, demo files not \
            found), 3 not a terminal, 4 runtime fault (the demo engine would not start, …).

            With --once, as a Nagios plugin: 0 every entry AVAIL with monitoring on, 1 needs \
            attention (DOWN, HUNG, RESTARTING, WAITING, flapping, monitoring off, an engine \
            stale, stopped or unreadable), 2 an engine at retry over or gone, or an entry \
            FATAL, 3 nothing could be read (or a usage error).
            """,
        version: "psview \(PsaverVersion.string)")

    @Option(name: .customShort("f"), help: ArgumentHelp("A pfile whose engine to show (repeatable).", valueName: "PFILE"))
    var pfiles: [String] = []

    @Argument(help: ArgumentHelp("State files (SHM_DUMP_FILE) to show.", valueName: "STATE_FILE"))
    var stateFiles: [String] = []

    @Flag(name: .long, help: "Start a throw-away engine on the bundled demo (conf/demo) and show it; q stops it.")
    var demo = false

    @Flag(name: .customLong("no-color"), help: "No colours (as does a non-empty NO_COLOR).")
    var noColor = false

    @Flag(name: .long, help: "Print every engine's table once, without curses, and exit (for ssh and scripts).")
    var once = false

    @Flag(name: .long, help: "With --once: print JSON (each engine's status and whole state document).")
    var json = false

    /// Every error line: `psview: what: why`.
    static let errors = ToolError(tool: "psview")
    private var errors: ToolError { Self.errors }

    @Flag(name: .long, help: "With --once: print Prometheus metrics (text format, for node_exporter's textfile collector).")
    var prometheus = false

    static func main() {
        let command: Psview
        do {
            command = try parse()
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                ProgramExit.exit(PsviewExitCode.quit.rawValue)
            }
            ProgramExit.printError(errors.line([message(for: error) + " (see psview --help)"]))
            // A check that cannot run is UNKNOWN to a monitoring system, not CRITICAL.
            let once = CommandLine.arguments.contains("--once")
            ProgramExit.exit(once ? HostVerdict.unknown.rawValue : PsviewExitCode.usage.rawValue)
        }
        if command.once { ProgramExit.exit(command.startOnce().rawValue) }
        ProgramExit.exit(command.start().rawValue)
    }

    /// `--once`: print every engine once and say what state the host is in (`HostVerdict`).
    func startOnce() -> HostVerdict {
        if demo {
            errors.report("--demo", "is interactive; leave out --once")
            return .unknown
        }
        if prometheus && json {
            errors.report("--prometheus", "prints the text format; leave out --json")
            return .unknown
        }
        do {
            let source = try EngineSource.from(pfiles: pfiles, stateFiles: stateFiles)
            if prometheus {
                // Metrics are data, not a check: written is 0 whatever they say.
                return PrometheusReport.run(source: source) == .quit ? .ok : .unknown
            }
            return OnceReport.run(source: source, json: json)
        } catch {
            errors.report(error.message)
            return .unknown
        }
    }

    func start() -> PsviewExitCode {
        if json && !once {
            errors.report("--json", "goes with --once (psview --once --json)")
            return .usage
        }
        if prometheus && !once {
            errors.report("--prometheus", "goes with --once (psview --once --prometheus)")
            return .usage
        }
        if demo && !(pfiles.isEmpty && stateFiles.isEmpty) {
            errors.report("--demo", "shows its own engine only; leave out -f and state files")
            return .usage
        }
        var session: DemoSession?
        let source: EngineSource
        if demo {
            guard terminalIsThere() else { return .noTerminal }  // no demo engine for nobody to see
            do {
                let started = try DemoSession.start()
                session = started
                source = .files([started.stateFile])
            } catch {
                errors.report(error.message)
                return error.exitCode
            }
        } else {
            do {
                source = try EngineSource.from(pfiles: pfiles, stateFiles: stateFiles)
            } catch {
                errors.report(error.message)
                return .usage
            }
            if !terminalIsThere() { return .noTerminal }
        }
        let code = ConsoleApp.run(source: source, color: !noColor, demo: session)
        session?.stop()
        return code
    }

    /// Whether stdin and stdout are a terminal; says what to do instead when not. Curses
    /// would write escape codes into a file or pipe and then fail.
    private func terminalIsThere() -> Bool {
        if FileDescriptor.standardInput.isTerminal && FileDescriptor.standardOutput.isTerminal { return true }
        errors.report("not a terminal (stdin and stdout must be a tty); "
                      + "for a plain table use psview --once, or psview --once --json")
        return false
    }
}
