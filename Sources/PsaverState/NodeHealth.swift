public import PsaverSystem

/// `#health-psaver`: the node attribute Pacemaker's node-health strategies read.
///
/// `red`: an engine at retry over, or an entry FATAL. `yellow`: something needs
/// attention: an entry not AVAIL (down, hung, being restarted), monitoring off, or an
/// entry that used up at least half its retries. `green`: all well.
public enum NodeHealth: String, Codable, Sendable, Comparable, CaseIterable {
    case green, yellow, red

    /// The health an engine's state says.
    public static func judge(_ document: StateDocument) -> NodeHealth {
        if document.engineSts == .retryOver || document.entries.contains(where: { $0.procSts == .fatal }) { return .red }
        let attention = document.entries.contains { entry in
            entry.procSts != .avail || entry.monitorSts == .off
                || (entry.retry > 0 && entry.retryCount * 2 >= entry.retry && entry.retryCount > 0)
        }
        return attention ? .yellow : .green
    }

    private var rank: Int {
        switch self {
        case .green: 0
        case .yellow: 1
        case .red: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// Holds back a health that has not lasted, so one restart (a few seconds of DOWN and
/// RESTARTING) does not flap the attribute: a new health is published once it has held
/// for `hold`; red at once, because a retry over is the failure itself, and so is the
/// first green.
public struct HealthDamper: Sendable, Equatable {
    public static let defaultHold = Duration.seconds(10)

    public let hold: Duration
    /// What was last published, nil before the first.
    public private(set) var published: NodeHealth?
    private var candidate: (health: NodeHealth, since: MonotonicInstant)?

    public init(hold: Duration = HealthDamper.defaultHold) { self.hold = hold }

    /// Takes the health seen at `now`; the value to publish now, nil for nothing.
    public mutating func observe(_ health: NodeHealth, at now: MonotonicInstant) -> NodeHealth? {
        if health == published {
            candidate = nil
            return nil
        }
        // Red is the failure itself; a first look that finds all well says so at once.
        if health == .red || (published == nil && health == .green) {
            return publish(health)
        }
        if candidate?.health != health { candidate = (health, now) }
        guard let candidate, now - candidate.since >= hold else { return nil }
        return publish(health)
    }

    /// When a held-back health is due, for the loop's deadline.
    public var deadline: MonotonicInstant? { candidate.map { $0.since + hold } }

    private mutating func publish(_ health: NodeHealth) -> NodeHealth {
        published = health
        candidate = nil
        return health
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.hold == rhs.hold && lhs.published == rhs.published && lhs.candidate?.health == rhs.candidate?.health
            && lhs.candidate?.since == rhs.candidate?.since
    }
}
