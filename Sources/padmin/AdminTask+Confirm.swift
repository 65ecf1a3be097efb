import PsaverState
import PsaverSystem

extension AdminTask {
    /// `monitor on` for an entry that is DOWN with its retries spent is retry over (with
    /// `exit`, the engine's exit and a failover): padmin says so on stderr first, then
    /// goes ahead with `--yes`, asks on the terminal, or refuses (exit 9) without one.
    func confirmRetryOver(_ request: ControlRequest, _ target: EngineTarget) throws(PadminFailure) {
        guard request.turnsMonitoringOn, let document = try? target.store.read() else { return }
        let warnings = document.entries
            .filter { entry in request.pentID.map { $0 == entry.pentId } ?? true }
            .compactMap { RetryOverWarning.monitorOn($0, cluster: document.cluster) }
        guard !warnings.isEmpty else { return }
        for warning in warnings { ProgramExit.printError("padmin: warning: \(warning)") }
        if yes { return }
        let refusal = PadminFailure(.notConfirmed, "not_confirmed",
                                    "monitoring not turned on: it would be retry over (see the warning); "
                                        + "reset first (padmin -c reset), or add --yes to go ahead; nothing was sent")
        guard FileDescriptor.standardInput.isTerminal, !json else { throw refusal }
        try? FileDescriptor.standardError.write(Array("padmin: turn monitoring on anyway? [y/N] ".utf8))
        guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else { throw refusal }
    }
}

extension ControlRequest {
    /// Whether the request turns monitoring on.
    var turnsMonitoringOn: Bool {
        if case .monitor(on: true, pentID: _) = self { return true }
        return false
    }
}
