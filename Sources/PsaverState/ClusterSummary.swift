internal import FoundationEssentials
public import PsaverSystem

/// What an engine publishes about itself as a private node attribute under Pacemaker
/// (`psaver-IPCKEY`), so that psview on any node shows it: one line of JSON, its
/// entries in the state file's own words, at most `sizeLimit` bytes.
///
/// An engine whose entries don't fit publishes the ones that need attention first
/// (not AVAIL, monitoring off, retried), as many as fit, with `total` and `counts`
/// saying what the rest is (`truncated`).
public struct ClusterSummary: Codable, Sendable, Equatable {
    public static let currentVersion = 1
    /// The largest value published: well under the kernel's 128 KiB for one argument
    /// (`attrd_updater -U VALUE`), and small enough for attrd to copy to every node.
    public static let sizeLimit = 32 << 10

    public var version: Int
    public var ipckey: String
    public var pfile: String
    public var stateFile: String
    public var pid: Int32
    public var engineSts: EngineStatus
    /// `green`, `yellow` or `red` (`NodeHealth`), the engine's own.
    public var health: String
    /// When this was published (ISO 8601): its age is the data's age.
    public var publishedAt: String
    public var heartbeatSeconds: Int
    public var total: Int
    public var truncated: Bool
    /// Entries per proc_sts, over all entries.
    public var counts: [String: Int]
    public var entries: [Entry]

    /// One entry, with the keys of the state file (DESIGN §5).
    public struct Entry: Codable, Sendable, Equatable {
        public var pentId: Int
        public var pname: String
        public var pid: Int32?
        public var procSts: ProcStatus
        public var monitorSts: MonitorStatus
        public var retryCount: Int
        public var retry: Int
        public var restartCount: Int
        public var rerunTime: String?

        public init(_ entry: EntryRecord) {
            pentId = entry.pentId
            pname = entry.pname
            pid = entry.pid
            procSts = entry.procSts
            monitorSts = entry.monitorSts
            retryCount = entry.retryCount
            retry = entry.retry
            restartCount = entry.restartCount
            rerunTime = entry.rerunTime
        }

        enum CodingKeys: String, CodingKey {
            case pentId = "pent_id"
            case pname, pid
            case procSts = "proc_sts"
            case monitorSts = "monitor_sts"
            case retryCount = "retry_count"
            case retry
            case restartCount = "restart_count"
            case rerunTime = "rerun_time"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(pentId, forKey: .pentId)
            try c.encode(pname, forKey: .pname)
            try c.encode(pid, forKey: .pid)
            try c.encode(procSts, forKey: .procSts)
            try c.encode(monitorSts, forKey: .monitorSts)
            try c.encode(retryCount, forKey: .retryCount)
            try c.encode(retry, forKey: .retry)
            try c.encode(restartCount, forKey: .restartCount)
            try c.encode(rerunTime, forKey: .rerunTime)
        }
    }

    enum CodingKeys: String, CodingKey {
        case version, ipckey, pfile
        case stateFile = "state_file"
        case pid
        case engineSts = "engine_sts"
        case health
        case publishedAt = "published_at"
        case heartbeatSeconds = "heartbeat_seconds"
        case total, truncated, counts, entries
    }

    /// The summary of a state document at `now`, cut to `sizeLimit` when encoded.
    public init(_ document: StateDocument, health: NodeHealth, at now: WallTime, heartbeatSeconds: Int) {
        version = Self.currentVersion
        ipckey = document.ipckey
        pfile = document.pfile
        stateFile = document.params.shmDumpFile
        pid = document.pid.rawValue
        engineSts = document.engineSts
        self.health = health.rawValue
        publishedAt = now.iso8601
        self.heartbeatSeconds = heartbeatSeconds
        total = document.entries.count
        truncated = false
        counts = [:]
        for entry in document.entries { counts[entry.procSts.rawValue, default: 0] += 1 }
        entries = document.entries.map(Entry.init)
    }

    /// One line of JSON (no line feed: `attrd_updater -Q` prints values on one line),
    /// at most `sizeLimit` bytes: entries that need attention kept first when cut.
    public func encoded(limit: Int = ClusterSummary.sizeLimit) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func text(_ summary: ClusterSummary) -> String {
            String(decoding: (try? encoder.encode(summary)) ?? Data("{}".utf8), as: UTF8.self)
        }
        // Entries take ~150 bytes: one that can't fit is not encoded whole first.
        if entries.count * 100 <= limit {
            let whole = text(self)
            if whole.utf8.count <= limit { return whole }
        }
        var cut = self
        cut.truncated = true
        let ranked = entries.sorted { Self.attention($0) > Self.attention($1) }
        // Entries are ~150 bytes; take what fits by halving, then confirm.
        var count = max(0, min(ranked.count, limit / 200))
        while true {
            cut.entries = Array(ranked.prefix(count)).sorted { $0.pentId < $1.pentId }
            let value = text(cut)
            if value.utf8.count <= limit || count == 0 { return value }
            count /= 2
        }
    }

    /// How much an entry needs an operator's eye: FATAL first, then down, then retried.
    static func attention(_ entry: Entry) -> Int {
        switch entry.procSts {
        case .fatal: 5
        case .down, .hung: 4
        case .restarting, .waiting: 3
        case .avail: entry.monitorSts == .off ? 2 : entry.retryCount > 0 ? 1 : 0
        }
    }

    /// Decodes a published value; nil for anything else (an empty, cleared value too).
    public static func decode(_ value: String) -> ClusterSummary? {
        try? JSONDecoder().decode(ClusterSummary.self, from: Data(value.utf8))
    }
}
