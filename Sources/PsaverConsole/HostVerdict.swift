import PsaverState

/// What `psview --once` says of the host as a whole, as its exit code: the Nagios
/// plugin convention, so a monitoring system can run it as a check.
///
/// | code | word | when |
/// |---|---|---|
/// | 0 | `ok` | every entry AVAIL with monitoring on, every engine running |
/// | 1 | `attention` | an entry DOWN, HUNG, RESTARTING, WAITING, flapping or with monitoring off; an engine stale, stopped or unreadable (while another is readable) |
/// | 2 | `critical` | an engine at retry over or gone, or an entry FATAL |
/// | 3 | `unknown` | nothing could be read: no engine found, or none readable |
public enum HostVerdict: Int32, Comparable, Sendable, CaseIterable {
    case ok = 0
    case attention = 1
    case critical = 2
    case unknown = 3

    /// The verdict as a stable machine word (`--once --json`'s `verdict`).
    public var word: String {
        switch self {
        case .ok: "ok"
        case .attention: "attention"
        case .critical: "critical"
        case .unknown: "unknown"
        }
    }

    public static func < (a: HostVerdict, b: HostVerdict) -> Bool { a.rawValue < b.rawValue }

    /// The verdict on every engine the model holds, and why (worst first), as of the
    /// model's last tick.
    public init(_ model: ConsoleModel) {
        self = Self.judge(model).verdict
    }

    /// The verdict and the reasons for it, one line per engine or entry that is not ok.
    public static func judge(_ model: ConsoleModel) -> (verdict: HostVerdict, reasons: [String]) {
        var verdict = HostVerdict.ok
        var reasons: [(HostVerdict, String)] = []
        var readable = 0
        for engine in model.engines {
            let health = engine.health(at: model.now)
            let name = model.engineName(engine.id)
            switch health {
            case .running: readable += 1
            case .retryOver, .gone:
                readable += 1
                reasons.append((.critical, "engine \(name) \(health.word)"))
            case .stale, .stopped:
                readable += 1
                reasons.append((.attention, "engine \(name) \(health.word)"))
            case .unreadable:
                reasons.append((.attention, "engine \(name) \(health.word)"))
            }
            guard health.isLive, let entries = engine.document?.entries else { continue }
            for entry in entries {
                let what = "\(name) pent \(entry.pentId) \(entry.pname)"
                if entry.procSts == .fatal {
                    reasons.append((.critical, "\(what) FATAL"))
                } else if entry.procSts != .avail || entry.monitorSts == .off || entry.isFlapping {
                    var words = [entry.procSts.rawValue]
                    if entry.monitorSts == .off { words.append("monitor off") }
                    if entry.isFlapping { words.append("flapping") }
                    reasons.append((.attention, "\(what) \(words.joined(separator: ", "))"))
                }
            }
        }
        if readable == 0 { return (.unknown, model.engines.isEmpty ? ["no engine found"] : reasons.map(\.1)) }
        for (level, _) in reasons { verdict = max(verdict, level) }
        let ordered = reasons.enumerated().sorted { a, b in
            a.element.0 != b.element.0 ? a.element.0 > b.element.0 : a.offset < b.offset
        }
        return (verdict, ordered.map(\.element.1))
    }
}
