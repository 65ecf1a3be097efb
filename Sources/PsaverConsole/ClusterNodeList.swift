public import PsaverState
public import PsaverSystem

/// Every cluster node's engines as Pacemaker's attribute manager holds them
/// (`PacemakerAttributes`): built from what `attrd_updater -Q -A` printed, the local
/// node first, then the others by name. Pure: the app runs the queries.
public struct ClusterNodeList: Encodable, Sendable, Equatable {
    /// One node: its name, whether it is this host, its `#health-psaver`, its engines.
    public struct Node: Encodable, Sendable, Equatable {
        public var name: String
        public var local: Bool
        public var health: String?
        public var engines: [Engine]
    }

    /// One engine as it published itself, with how old that is.
    public struct Engine: Encodable, Sendable, Equatable {
        public var ipckey: String
        public var pfile: String
        public var stateFile: String
        public var pid: Int32
        /// `running`, `stale` (not republished within twice its heartbeat: its node or
        /// its engine may be gone), `retry_over` or `stopped`.
        public var status: String
        public var engineSts: EngineStatus
        public var health: String
        public var publishedAt: String
        public var ageSeconds: Int
        public var total: Int
        public var truncated: Bool
        public var counts: [String: Int]
        public var entries: [ClusterSummary.Entry]

        enum CodingKeys: String, CodingKey {
            case ipckey, pfile
            case stateFile = "state_file"
            case pid, status
            case engineSts = "engine_sts"
            case health
            case publishedAt = "published_at"
            case ageSeconds = "age_seconds"
            case total, truncated, counts, entries
        }
    }

    public var nodes: [Node]

    /// `index` is the output for `psaver-engines`, `summaries` that for each engine's
    /// attribute, `health` that for `#health-psaver`; `local` the name of this node.
    public init(local: String?, index: String, summaries: [String: String], health: String, now: WallTime) {
        var byNode: [String: Node] = [:]
        func node(_ name: String) -> Node {
            byNode[name] ?? Node(name: name, local: name == local, health: nil, engines: [])
        }
        for (name, value) in PacemakerAttributes.parseQuery(health) where !value.isEmpty {
            var entry = node(name)
            entry.health = value
            byNode[name] = entry
        }
        for (name, keys) in PacemakerAttributes.parseQuery(index) {
            var entry = node(name)
            for key in keys.split(separator: " ").map(String.init) {
                let published = summaries[key].map(PacemakerAttributes.parseQuery) ?? []
                guard let value = published.first(where: { $0.node == name })?.value,
                    let summary = ClusterSummary.decode(value), summary.engineSts != .stopped
                else { continue }
                entry.engines.append(Self.engine(summary, now: now))
            }
            byNode[name] = entry
        }
        if let local, byNode[local] == nil { byNode[local] = node(local) }
        nodes = byNode.values.sorted { ($0.local ? 0 : 1, $0.name) < ($1.local ? 0 : 1, $1.name) }
    }

    static func engine(_ summary: ClusterSummary, now: WallTime) -> Engine {
        let age = WallTime(iso8601: summary.publishedAt).map { Int(now.seconds(since: $0).rounded()) } ?? Int.max
        let status: String =
            switch summary.engineSts {
            case .retryOver: "retry_over"
            case .stopped: "stopped"
            case .running: age > 2 * max(1, summary.heartbeatSeconds) + 5 ? "stale" : "running"
            }
        return Engine(ipckey: summary.ipckey, pfile: summary.pfile, stateFile: summary.stateFile, pid: summary.pid,
                      status: status, engineSts: summary.engineSts, health: summary.health,
                      publishedAt: summary.publishedAt, ageSeconds: max(0, age), total: summary.total,
                      truncated: summary.truncated, counts: summary.counts, entries: summary.entries)
    }

    /// The keys every node's index names (the summaries to ask for).
    public static func engineKeys(index: String) -> [String] {
        var seen: Set<String> = []
        return PacemakerAttributes.parseQuery(index).flatMap { $0.value.split(separator: " ").map(String.init) }
            .filter { seen.insert($0).inserted }
    }

    /// Plain lines for `psview --once`: a line per remote engine, a line per entry.
    public func plainLines(skippingLocal: Bool = true) -> [String] {
        var lines: [String] = []
        for node in nodes where !(skippingLocal && node.local) {
            lines.append("node \(node.name) (#health-psaver \(node.health ?? "-"))")
            for engine in node.engines {
                lines.append("  IPCKEY \(engine.ipckey)  \(engine.pfile)  pid \(engine.pid)  \(engine.status)  "
                             + "data \(engine.ageSeconds) s old\(engine.truncated ? "  (\(engine.total) entries, cut)" : "")")
                for entry in engine.entries {
                    lines.append("    \(entry.pentId)  \(entry.pname)  pid \(entry.pid.map(String.init) ?? "-")  "
                                 + "\(entry.retryCount)/\(entry.retry)  restarts \(entry.restartCount)  "
                                 + "\(entry.procSts.rawValue)  monitor \(entry.monitorSts.rawValue)")
                }
            }
        }
        return lines
    }
}
