/// Engines as Prometheus metrics, in the text exposition format (version 0.0.4) that
/// node_exporter's textfile collector reads: a `# HELP` and a `# TYPE` line for every
/// family, then its samples, families in a fixed order.
///
/// Pure: the caller gathers what each engine and entry is (`Engine`, `Entry`); this
/// only formats. Label values are escaped as the format says (`\\`, `\"`, `\n`), so a
/// pname holding a quote or a backslash comes back intact.
public enum PrometheusText {
    /// One engine as the metrics see it.
    public struct Engine: Sendable, Equatable {
        /// The `engine` label: the engine's IPCKEY as its state file writes it
        /// (`0x20000001`), or the state file's path when that can't be read.
        public var label: String
        /// Whether the engine is running (its heartbeat may be late, but its pid exists).
        public var up: Bool
        /// Whether it ended at retry over, or one of its entries is FATAL.
        public var retryOver: Bool
        public var entries: [Entry]

        public init(label: String, up: Bool, retryOver: Bool, entries: [Entry]) {
            self.label = label
            self.up = up
            self.retryOver = retryOver
            self.entries = entries
        }
    }

    /// One entry (PENT line) as the metrics see it.
    public struct Entry: Sendable, Equatable {
        public var pentID: Int
        public var pname: String
        /// proc_sts is AVAIL.
        public var processUp: Bool
        /// monitor_sts is on.
        public var monitoring: Bool
        /// retry_count, and the PENT line's retry.
        public var retries: Int
        public var retryLimit: Int
        /// Restart attempts over the entry's whole life, across engine restarts.
        public var restartsTotal: Int
        /// Unix time of the last restart attempt; nil before any (the sample is left out).
        public var lastRestart: Int64?
        /// Unix time the tracked process started; nil when none is tracked or it can't be known.
        public var processStart: Double?

        public init(pentID: Int, pname: String, processUp: Bool, monitoring: Bool, retries: Int, retryLimit: Int,
                    restartsTotal: Int, lastRestart: Int64? = nil, processStart: Double? = nil)
        {
            self.pentID = pentID
            self.pname = pname
            self.processUp = processUp
            self.monitoring = monitoring
            self.retries = retries
            self.retryLimit = retryLimit
            self.restartsTotal = restartsTotal
            self.lastRestart = lastRestart
            self.processStart = processStart
        }
    }

    /// A metric family: its name, type and help text.
    struct Family: Sendable {
        var name: String
        var type: String
        var help: String
    }

    static let engineFamilies: [(Family, @Sendable (Engine) -> String)] = [
        (Family(name: "psaver_up", type: "gauge", help: "1 when the engine is running, 0 when it stopped or is gone."),
         { $0.up ? "1" : "0" }),
        (Family(name: "psaver_retry_over", type: "gauge",
                help: "1 when the engine ended at retry over or one of its entries is FATAL."),
         { $0.retryOver ? "1" : "0" }),
    ]

    static let entryFamilies: [(Family, @Sendable (Entry) -> String?)] = [
        (Family(name: "psaver_process_up", type: "gauge", help: "1 when the entry's process runs (proc_sts AVAIL)."),
         { $0.processUp ? "1" : "0" }),
        (Family(name: "psaver_monitoring_enabled", type: "gauge", help: "1 when monitor_sts is on."),
         { $0.monitoring ? "1" : "0" }),
        (Family(name: "psaver_retries", type: "gauge",
                help: "The entry's retry_count: restart attempts since its process was last stable for grace."),
         { String($0.retries) }),
        (Family(name: "psaver_retry_limit", type: "gauge", help: "Restarts allowed before retry over (the PENT retry)."),
         { String($0.retryLimit) }),
        (Family(name: "psaver_restarts_total", type: "counter",
                help: "Restart attempts over the entry's life, kept across engine restarts."),
         { String($0.restartsTotal) }),
        (Family(name: "psaver_last_restart_timestamp_seconds", type: "gauge",
                help: "Unix time of the entry's last restart attempt."),
         { $0.lastRestart.map(String.init) }),
        (Family(name: "psaver_process_start_time_seconds", type: "gauge",
                help: "Unix time the entry's tracked process started."),
         { $0.processStart.map(number) }),
    ]

    /// The whole exposition for these engines; ends with a newline.
    public static func render(_ engines: [Engine]) -> String {
        var out = ""
        for (family, value) in engineFamilies {
            header(family, into: &out)
            for engine in engines {
                out += "\(family.name){engine=\"\(escape(engine.label))\"} \(value(engine))\n"
            }
        }
        for (family, value) in entryFamilies {
            header(family, into: &out)
            for engine in engines {
                let engineLabel = escape(engine.label)
                for entry in engine.entries {
                    guard let value = value(entry) else { continue }
                    out += "\(family.name){engine=\"\(engineLabel)\",pent_id=\"\(entry.pentID)\","
                        + "pname=\"\(escape(entry.pname))\"} \(value)\n"
                }
            }
        }
        return out
    }

    /// A label value as the format wants it: backslash, double quote and line feed escaped.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    private static func header(_ family: Family, into out: inout String) {
        out += "# HELP \(family.name) \(family.help)\n# TYPE \(family.name) \(family.type)\n"
    }

    /// A time with up to two decimals (clock ticks are 1/100 s), without a trailing `.0`.
    private static func number(_ value: Double) -> String {
        let hundredths = Int64((value * 100).rounded())
        let whole = hundredths / 100, part = hundredths % 100
        if part == 0 { return String(whole) }
        return part % 10 == 0 ? "\(whole).\(part / 10)" : "\(whole).\(part < 10 ? "0" : "")\(part)"
    }
}
