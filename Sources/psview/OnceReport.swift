import PsaverConsole
import PsaverState
import PsaverSystem

/// `psview --once`: every engine's table printed once, without curses (like
/// `top -b -n 1`), or with `--json` the same as JSON, for ssh and scripts.
enum OnceReport {
    /// Reads every engine the source names and prints them; returns the host's state, the
    /// exit code (`HostVerdict`, the Nagios convention).
    static func run(source: EngineSource, json: Bool) -> HostVerdict {
        let host = Identity.hostName
        var catalog = EngineCatalog(source: source, host: host)
        let cols = Identity.environment("COLUMNS").flatMap(Int.init).map { max($0, 80) } ?? 160
        var model = ConsoleModel(rows: 24, cols: cols, viewer: Identity.effectiveUser)
        for path in catalog.discover().added {
            if let update = catalog.reread(path) { model.apply(update) }
        }
        let now = WallTime.now()
        model.apply(.tick(now: now))
        let (verdict, reasons) = HostVerdict.judge(model)
        let text: String
        let cluster = ClusterQuery.nodes(now: now)  // every node's engines under Pacemaker (ClusterQuery)
        if json {
            var report = Report(model, now: now, host: host, verdict: verdict, reasons: reasons)
            report.nodes = cluster?.nodes
            text = String(decoding: StateCodec.prettyJSON(report), as: UTF8.self)
        } else {
            text = (ConsoleLayout.plainLines(model, now: now, host: host) + (cluster?.plainLines() ?? [])
                    + [verdictLine(verdict, reasons)])
                .joined(separator: "\n")
        }
        do {
            try FileDescriptor.standardOutput.write(Array((text + "\n").utf8))
        } catch {
            return .unknown
        }
        return verdict
    }

    /// `psview: CRITICAL (2): engine 0x20000003 (pfile_mail) retry over; …`: the last line
    /// of the text report, what a monitoring system shows of the check.
    static func verdictLine(_ verdict: HostVerdict, _ reasons: [String]) -> String {
        let shown = reasons.prefix(5).joined(separator: "; ") + (reasons.count > 5 ? "; \(reasons.count - 5) more" : "")
        return "psview: \(verdict.word.uppercased()) (\(verdict.rawValue))" + (shown.isEmpty ? "" : ": \(shown)")
    }

    /// The JSON shape: when and where, then per engine its state file, how psview judges
    /// it, and its whole state document (the state file's own shape, DESIGN §5).
    struct Report: Encodable {
        struct Engine: Encodable {
            var stateFile: String
            var status: String
            var live: Bool
            var readOnly: Bool
            var banner: String?
            var error: String?
            var state: StateDocument?

            enum CodingKeys: String, CodingKey {
                case stateFile = "state_file"
                case status, live
                case readOnly = "read_only"
                case banner, error, state
            }
        }

        var host: String
        var time: String
        /// `HostVerdict.word` and the exit code, with what made it so, worst first.
        var verdict: String
        var exitCode: Int32
        var reasons: [String]
        var engines: [Engine]
        /// Under Pacemaker, every node's engines as they published them, local node first.
        var nodes: [ClusterNodeList.Node]?

        enum CodingKeys: String, CodingKey {
            case host, time, verdict
            case exitCode = "exit_code"
            case reasons, engines, nodes
        }

        init(_ model: ConsoleModel, now: WallTime, host: String, verdict: HostVerdict, reasons: [String]) {
            self.host = host
            time = now.iso8601
            self.verdict = verdict.word
            exitCode = verdict.rawValue
            self.reasons = reasons
            engines = model.engines.map { engine in
                let health = model.health(of: engine.id)
                let banner = model.lines.contains(.banner(engine.id))
                    ? ConsoleLayout.bannerText(engine.id, model: model, now: now).trimmingPrefix(" ") : nil
                var error: String?
                if case .unreadable(let reason) = health { error = reason }
                return Engine(stateFile: engine.id.rawValue, status: health.machineWord, live: health.isLive,
                              readOnly: model.isReadOnly(engine.id), banner: banner.map(String.init), error: error,
                              state: engine.document)
            }
        }
    }
}
