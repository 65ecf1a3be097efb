import PsaverState
import PsaverSystem

extension AdminTask {
    /// An engine that a cluster manager runs is stopped through the cluster: stopped
    /// by hand, it looks to the cluster exactly like a retry over and the service
    /// fails over. Refuses, naming the cluster's command, unless `--force`.
    func refuseStopUnderCluster(_ target: EngineTarget) throws(PadminFailure) {
        guard let snapshot = try? EngineSnapshot.read(target), snapshot.notRunning == nil,
            let cluster = snapshot.document.cluster
        else { return }
        throw PadminFailure(.refused, "cluster_managed",
                            "refused: the engine (pid \(snapshot.document.pid)) runs as \(cluster.manager.rawValue) "
                            + "resource \(cluster.resource), and stopping it by hand fails the service over; "
                            + "\(cluster.stopAdvice); or padmin -c stop --force; nothing was changed")
    }
}

extension EngineTarget {
    /// The same engine's kept retry-over state (`SHM_DUMP_FILE.previous`), read like its state file.
    func previous() throws(PadminFailure) -> EngineTarget {
        let kept = store.previousPath
        guard FileSystem.exists(kept) else {
            throw PadminFailure(.notRunning, "no_previous", "no earlier engine's state is kept: there is no \(kept) "
                                + "(it is written when an engine that ended at retry over is followed by a new one)")
        }
        var target = self
        target.store = StateFileStore(path: kept)
        return target
    }
}
