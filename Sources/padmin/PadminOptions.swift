import ArgumentParser

/// padmin's command line: `-f PFILE -c COMMAND… [-i PENT_ID] [--json]`.
struct PadminOptions: ParsableArguments {
    @Option(name: .short, help: ArgumentHelp("The engine's pfile (its SHM_DUMP_FILE says where the state is).",
                                             valueName: "PFILE"))
    var file: String

    @Option(name: .short, parsing: .upToNextOption,
            help: ArgumentHelp("show pent | show param | monitor on|off | reset | stop", valueName: "COMMAND"))
    var command: [String] = []

    @Option(name: .customShort("i"), help: ArgumentHelp(
        "One entry, by its position in the PENT section (from 1); all entries without it.",
        valueName: "PENT_ID"))
    var pentID: Int?

    @Flag(name: .long, help: "Print the result, or the failure, as one JSON object on stdout.")
    var json = false

    @Flag(name: .long, help: ArgumentHelp(
        "With stop: stop an engine that a cluster manager runs (the cluster will see a failure).",
        discussion: "Without it, stop of a cluster-managed engine is refused and names the cluster command."))
    var force = false

    @Flag(name: .long, help: ArgumentHelp(
        "With monitor on: go ahead when it would be retry over (an entry DOWN with its retries spent).",
        discussion: "Without it padmin warns on stderr and asks on the terminal, or refuses (exit 9) without one."))
    var yes = false

    @Flag(name: .long, help: ArgumentHelp(
        "With show: the final state of the engine before this one, kept when it ended at retry over."))
    var previous = false

    /// The checked command; a bad one is a usage error (exit 2) before anything is read.
    func adminCommand() throws(PadminFailure) -> AdminCommand {
        try AdminCommand(words: command, pentID: pentID)
    }

    mutating func validate() throws {
        let command: AdminCommand
        do {
            command = try adminCommand()
        } catch {
            throw ValidationError(error.message)
        }
        if force, command != .stop { throw ValidationError("--force applies to stop, not to \(command.name)") }
        if yes, command.request?.turnsMonitoringOn != true {
            throw ValidationError("--yes applies to monitor on, not to \(command.name)")
        }
        if previous, command.request != nil {
            throw ValidationError("--previous applies to show pent and show param, not to \(command.name)")
        }
    }
}
