public import PsaverSystem

/// The cluster resource an engine runs as, when a cluster manager runs it (DESIGN §9).
///
/// An engine under a cluster must be stopped through the cluster: stopping it by
/// hand looks to the cluster exactly like a retry over, and the service fails over.
/// The engine refuses a stop on its socket that is not forced; the console shows
/// the resource's name.
public struct ClusterRecord: Codable, Sendable, Equatable {
    /// Which cluster manager runs the engine.
    public enum Manager: String, Codable, Sendable, Equatable, CaseIterable {
        case pacemaker
        case clusterpro
    }

    public var manager: Manager
    /// The cluster's name for what runs the engine: the Pacemaker resource, or the
    /// CLUSTERPRO monitor resource.
    public var resource: String

    public init(manager: Manager, resource: String) {
        self.manager = manager
        self.resource = resource
    }

    /// The engine's answer to a stop that is not forced (padmin prints it and exits 8):
    /// what runs the engine, why a stop by hand is wrong, and what to run instead.
    public func stopRefusal(enginePID: ProcessID) -> String {
        "refused: the engine (pid \(enginePID)) runs as \(manager.rawValue) resource \(resource), and stopping it "
            + "by hand fails the service over; \(stopAdvice); or padmin -c stop --force; nothing was changed"
    }

    /// What an operator runs instead of `padmin -c stop`, with why.
    public var stopAdvice: String {
        switch manager {
        case .pacemaker:
            "stop it through Pacemaker: `crm resource stop \(resource)` (or `pcs resource disable \(resource)`), "
                + "or keep it running unmanaged with `crm resource maintenance \(resource) on`"
        case .clusterpro:
            "suspend the CLUSTERPRO monitor first: `clpmonctrl -s -m \(resource)`, "
                + "or stop its group with `clpgrp -t GROUP`"
        }
    }
}
