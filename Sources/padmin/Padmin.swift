import ArgumentParser
import PsaverSystem

/// `padmin -f PFILE -c …`: shows an engine's state, and changes it through its control socket.
@main
struct Padmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "padmin",
        abstract: "Show a pcheck engine's state; switch its monitoring, reset, stop it.",
        usage: """
            padmin -f PFILE -c show pent [-i PENT_ID] [--previous] [--json]
            padmin -f PFILE -c show param [--previous] [--json]
            padmin -f PFILE -c monitor on|off [-i PENT_ID] [--yes] [--json]
            padmin -f PFILE -c reset [-i PENT_ID] [--json]
            padmin -f PFILE -c stop [--force] [--json]
            """,
        discussion: """
            show reads the state file, so any user who can read it may show. monitor, reset \
            and stop go through the control socket (SHM_DUMP_FILE.sock); only root or the \
            user the engine runs as may use them. Without -i, monitor and reset apply to \
            every entry. An engine started by a cluster manager (pcheck --cluster-resource) \
            is stopped through the cluster; stop refuses it unless --force. --previous \
            shows the final state of an engine that ended at retry over, which the next \
            engine keeps in SHM_DUMP_FILE.previous. monitor on for an entry that is DOWN with \
            its retries spent would be retry over (with exit: a failover): padmin warns on \
            stderr and asks, or without a terminal refuses unless --yes.

            Examples:
              padmin -f /var/opt/HA/PS/conf/bin/pfile_tomcat -c show pent
              padmin -f pfile_tomcat -c monitor off -i 1   # maintenance: no restart
              padmin -f pfile_tomcat -c monitor on -i 1    # a down entry restarts now
              padmin -f pfile_tomcat -c reset              # every retry_count to 0
              padmin -f pfile_tomcat -c show pent --json | jq '.entries[].proc_sts'

            Exit codes:
              0  done
              1  engine not running or its state stale (show still prints it)
              2  usage or pfile error
              3  permission denied
              4  no entry with that pent_id
              5  other failure (no answer within MSG_CHECK_INTERVAL, bad state)
              6  applied but not recorded: the state file could not be written
              7  the control socket is not the engine's; nothing was sent
              8  refused: stop of an engine that a cluster runs, without --force
              9  not confirmed: monitor on would be retry over; nothing was sent (--yes)
            """,
        version: "padmin \(PsaverVersion.string)")

    @OptionGroup var options: PadminOptions

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let padmin: Padmin
        do {
            padmin = try parse(arguments)
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                ProgramExit.exit(PadminExitCode.success.rawValue)
            }
            let failure = PadminFailure.usage("\(message(for: error)) (see padmin --help)")
            AdminTask.report(failure, command: "", json: arguments.contains("--json"))
            ProgramExit.exit(failure.code.rawValue)
        }
        ProgramExit.exit(padmin.execute().rawValue)
    }

    func execute() -> PadminExitCode {
        // A validated command line always yields a command; the fallback is unreachable.
        guard let command = try? options.adminCommand() else { return .usage }
        return AdminTask(command: command, pfile: options.file, json: options.json, force: options.force,
                         previous: options.previous, yes: options.yes).run()
    }
}
