import PsaverState
import PsaverSystem

extension AdminTask {
    /// `show pent` and `show param`: read the state file. When the engine is not
    /// running, a warning on stderr says so and since when, the last state is
    /// printed all the same, and the exit code says not running.
    func show(_ target: EngineTarget) throws(PadminFailure) -> PadminExitCode {
        let snapshot = try EngineSnapshot.read(target)
        var document = snapshot.document
        if case .showPent(let id?) = command {
            guard let entry = document.entries.first(where: { $0.pentId == id }) else {
                throw PadminFailure(.unknownEntry, "unknown_entry",
                                    "no entry with pent_id \(id): the engine has \(document.entries.count)")
            }
            document.entries = [entry]
        }
        let warning = snapshot.notRunning
        if let warning {
            let shown = warning.message + "; showing the last state it wrote"
            ProgramExit.printError(ToolError(tool: "padmin").warningLine(warning.subject ?? "", shown))
        }
        if json {
            var output = PadminOutput(command: command.name, failure: warning)
            output.engine = EngineSummary(document, state: snapshot.stateWord)
            if command == .showParam {
                output.params = document.params
            } else {
                output.entries = document.entries
            }
            output.print()
        } else {
            // The pfile's strings go out as the bytes written there, whatever their
            // encoding (LosslessText), as ProcessSaver's padmin prints them.
            let text = command == .showParam ? PentReport.showParam(document) : PentReport.showPent(document)
            try? FileDescriptor(rawValue: 1).write(LosslessText.bytes(of: text))
        }
        return warning?.code ?? .success
    }
}
