import PsaverConfig
import PsaverEngine
import PsaverState
import PsaverSystem

/// `pcheck -f PFILE`: the headless engine.
@main
struct Pcheck {
    let arguments: PcheckArguments
    /// Every error line: `pcheck: what: why`.
    static let errors = ToolError(tool: "pcheck")
    var errors: ToolError { Self.errors }

    static func main() {
        // Before the pfile is read: its text and the first pass are the first large buffers.
        ResourceLimits.keepLargeBuffersOutOfTheHeap()
        switch Result(catching: { () throws(PcheckArguments.UsageError) in
            try PcheckArguments.parse(Array(CommandLine.arguments.dropFirst()))
        }) {
        case .success(.help):
            print(PcheckArguments.help)
            ProgramExit.exit(0)
        case .success(.version):
            print("pcheck \(PsaverVersion.string)")
            ProgramExit.exit(0)
        case .success(.run(let arguments)):
            ProgramExit.exit(Pcheck(arguments: arguments).start().rawValue)
        case .failure(let error):
            ProgramExit.printError(errors.line([error.message + " (see pcheck --help)"])
                                   + "\nUsage: pcheck -f <pfile> [--check] [--log <dest>]"
                                   + " [--cluster-resource <name>] [--on-retry-over <program> [<arg>...]]")
            ProgramExit.exit(PcheckExitCode.configurationError.rawValue)
        }
    }

    func start() -> PcheckExitCode {
        let pfile: PFile
        do {
            pfile = try PFileLoader.load(path: arguments.file)
        } catch {
            ProgramExit.printError("pcheck: \(error)")
            return .configurationError
        }
        if Identity.processID.rawValue == 1 && !arguments.check {
            // Orphans are reparented to PID 1, and the engine never matches its own
            // children: a service that daemonizes would look missing and be started again.
            ProgramExit.printError("""
                pcheck: refusing to run as PID 1 (a container's init): services that daemonize would be \
                reparented to pcheck and could not be told from its own restart scripts. Run it under a \
                small init instead: `docker run --init`, or `tini -- pcheck -f \(arguments.file)`
                """)
            return .configurationError
        }
        let destination: EngineLog.Destination =
            switch arguments.log {
            case "syslog": .syslog
            case "stderr": .standardError
            default: .file(FileSystem.absolute(arguments.log, relativeTo: FileSystem.currentDirectory()))
            }
        if arguments.check { return check(pfile, log: destination) }
        let engine: Engine
        do {
            let path = pfile.path
            var options = Engine.Options(
                pfile: pfile, log: try EngineLog(destination, scriptFallback: pfile.params.stateFile + ".out"),
                forcePolling: arguments.poll,
                reload: { try PFileLoader.load(path: path) })
            options.cluster = arguments.cluster
            options.startupGrace = arguments.startupGrace
            options.onRetryOver = arguments.onRetryOver.map {
                RetryOverCommand(program: $0[0], arguments: Array($0.dropFirst()))
            }
            engine = try Engine(options)
        } catch InstanceLockError.held(let key) {
            errors.report(arguments.file, "another pcheck already runs with IPCKEY \(key) "
                          + "(two engines must not share a key); see `padmin -f \(arguments.file) -c show pent`")
            return .ipcKeyHeld
        } catch {
            errors.report(error)
            return .runtimeFault
        }
        do {
            switch try engine.run() {
            case .stopped: return .stopped
            case .retryOver:
                engine.runRetryOverCommand()
                return .retryOver
            }
        } catch {
            errors.report(error)
            return .runtimeFault
        }
    }

    /// `--check`: refuses what the engine would refuse at start-up (EngineAdmission),
    /// warns about what it would accept but looks wrong, and says what it found.
    func check(_ pfile: PFile, log: EngineLog.Destination) -> PcheckExitCode {
        for warning in pfile.warnings + EngineAdmission.warnings(pfile) {
            ProgramExit.printError(errors.line(warning.description))
        }
        do {
            try EngineAdmission.admit(pfile, log: log, creating: false)
        } catch {
            errors.report(error)
            return .configurationError
        }
        print("pcheck: \(pfile.path) is valid: IPCKEY \(pfile.params.ipcKey), "
              + "\(EnglishCount.of(pfile.entries.count, "entry", "entries")), state file \(pfile.params.stateFile)")
        return .stopped
    }
}
