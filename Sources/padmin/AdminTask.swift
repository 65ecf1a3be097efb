import PsaverState
import PsaverSystem

/// One padmin command carried out: find the engine from the pfile, then show its
/// state or send it a change, and print the result or one line saying what failed.
struct AdminTask {
    var command: AdminCommand
    var pfile: String
    var json: Bool
    /// `--force`: stop even an engine that a cluster runs.
    var force = false
    /// `--previous`: show the kept state of a retry-over predecessor.
    var previous = false
    /// `--yes`: turn monitoring on even where that is retry over.
    var yes = false

    func run() -> PadminExitCode {
        do throws(PadminFailure) {
            let target = try EngineTarget.load(pfile: pfile)
            if let plain = command.request {
                SignalFD.ignoreBrokenPipes()
                try confirmRetryOver(plain, target)
                // --force travels with the stop: the engine itself refuses an unforced one when a cluster runs it.
                return try change(plain.isStop ? .stop(force: force) : plain, target)
            }
            return try show(previous ? try target.previous() : target)
        } catch {
            Self.report(error, command: command.name, json: json)
            return error.code
        }
    }

    /// Prints a failure: one line on stderr, and with `--json` the failure object on stdout.
    static func report(_ failure: PadminFailure, command: String, json: Bool) {
        ProgramExit.printError(failure.line)
        if json { PadminOutput(command: command, failure: failure).print() }
    }
}
