import PsaverConsole
import PsaverState
import PsaverSystem

/// Asks Pacemaker's attribute manager for every node's engines (`ClusterNodeList`):
/// nil when Pacemaker does not run here, and then nothing is run at all.
///
/// Costs 3 + K short `attrd_updater`/`crm_node` runs (K the engines' IPCKEYs), each
/// bounded by a timeout.
enum ClusterQuery {
    static func nodes(now: WallTime) -> ClusterNodeList? {
        guard PacemakerAttributes.available() else { return nil }
        let index = query(PacemakerAttributes.index)
        var summaries: [String: String] = [:]
        for key in ClusterNodeList.engineKeys(index: index) {
            summaries[key] = query(PacemakerAttributes.summary(ipcKey: key))
        }
        let health = query(PacemakerAttributes.health)
        return ClusterNodeList(local: localNode(), index: index, summaries: summaries, health: health, now: now)
    }

    /// This node's name in the cluster, cached: it does not change while psview runs.
    static func localNode() -> String? {
        let result = try? CommandOutput.run(PacemakerAttributes.crmNode, arguments: ["-n"],
                                            environment: PacemakerAttributes.environment, timeout: .seconds(5))
        guard let result, result.succeeded else { return nil }
        let name = result.text.split(separator: "\n").first.map(String.init) ?? ""
        return name.isEmpty ? nil : name
    }

    private static func query(_ name: String) -> String {
        let result = try? CommandOutput.run(PacemakerAttributes.attrdUpdater, arguments: ["-Q", "-A", "-n", name],
                                            environment: PacemakerAttributes.environment, timeout: .seconds(5))
        return result?.text ?? ""
    }
}
