import ArgumentParser
import PsaverConfig
import PsaverEngine
import PsaverState
import PsaverSystem

/// `pcheck -f PFILE`: the headless engine.
@main
struct Pcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pcheck",
        abstract: "Watch the processes a pfile names, restart them, and exit at retry over.",
        discussion: """
            Runs in the foreground. SIGTERM or SIGINT stops it (exit 0) and leaves the \
            services running; SIGHUP re-reads the pfile.

            Exit codes: 0 stopped, 1 retry over (exit action), 2 configuration or usage \
            error, 3 another engine holds the IPCKEY, 4 runtime fault.
            """)

    @Option(name: .short, help: ArgumentHelp("The pfile (PARAM and PENT sections).", valueName: "pfile"))
    var file: String

    @Flag(name: .long, help: "Validate the pfile and exit: 0 if valid, 2 if not.")
    var check = false

    @Option(name: .long, help: ArgumentHelp("Where log lines go: syslog, stderr, or a file path.", valueName: "dest"))
    var log = "syslog"

    @Flag(name: .long, help: .hidden)
    var poll = false

    static func main() {
        let command: Pcheck
        do {
            // `parse()`, not `parseAsRoot() as!`: for --help the root parse returns a
            // HelpCommand, which the cast would turn into a crash.
            command = try parse()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                ProgramExit.exit(0)
            }
            ProgramExit.printError(fullMessage(for: error))
            ProgramExit.exit(PcheckExitCode.configurationError.rawValue)
        }
        ProgramExit.exit(command.start().rawValue)
    }

    func start() -> PcheckExitCode {
        let pfile: PFile
        do {
            pfile = try PFileLoader.load(path: file)
        } catch {
            ProgramExit.printError("pcheck: \(error)")
            return .configurationError
        }
        if check {
            for warning in pfile.warnings { ProgramExit.printError(warning.description) }
            print("pcheck: \(pfile.path) is valid: IPCKEY \(pfile.params.ipcKey), \(pfile.entries.count) entries, "
                  + "state file \(pfile.params.stateFile)")
            return .stopped
        }
        let destination: EngineLog.Destination =
            switch log {
            case "syslog": .syslog
            case "stderr": .standardError
            default: .file(FileSystem.absolute(log, relativeTo: FileSystem.currentDirectory()))
            }
        let engine: Engine
        do {
            let path = pfile.path
            engine = try Engine(Engine.Options(
                pfile: pfile, log: try EngineLog(destination), forcePolling: poll,
                reload: { try PFileLoader.load(path: path) }))
        } catch InstanceLockError.held(let key) {
            ProgramExit.printError("pcheck: another pcheck already runs with IPCKEY \(key) "
                                   + "(two engines must not share a key); see `padmin -f \(file) -c show pent`")
            return .ipcKeyHeld
        } catch {
            ProgramExit.printError("pcheck: cannot start: \(error)")
            return .runtimeFault
        }
        do {
            switch try engine.run() {
            case .stopped: return .stopped
            case .retryOver: return .retryOver
            }
        } catch {
            ProgramExit.printError("pcheck: \(error)")
            return .runtimeFault
        }
    }
}
