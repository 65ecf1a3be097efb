import PsaverConsole
import PsaverState
import PsaverSystem

/// `psview --once`: every engine's table printed once, without curses (like
/// `top -b -n 1`), or with `--json` the same as JSON, for ssh and scripts.
enum OnceReport {
    /// Reads every engine the source names and prints them; returns the exit code.
    static func run(source: EngineSource, json: Bool) -> PsviewExitCode {
        let host = Identity.hostName
        var catalog = EngineCatalog(source: source, host: host)
        let cols = Identity.environment("COLUMNS").flatMap(Int.init).map { max($0, 80) } ?? 160
        var model = ConsoleModel(rows: 24, cols: cols, viewer: Identity.effectiveUser)
        for path in catalog.discover().added {
            if let update = catalog.reread(path) { model.apply(update) }
        }
        let now = WallTime.now()
        model.apply(.tick(now: now))
        let text: String
        let cluster = ClusterQuery.nodes(now: now)  // every node's engines under Pacemaker (ClusterQuery)
        if json {
            var report = Report(model, now: now, host: host)
            report.nodes = cluster?.nodes
            text = String(decoding: StateCodec.prettyJSON(report), as: UTF8.self)
        } else {
            text = (ConsoleLayout.plainLines(model, now: now, host: host) + (cluster?.plainLines() ?? []))
                .joined(separator: "\n")
        }
        do {
            try FileDescriptor.standardOutput.write(Array((text + "\n").utf8))
        } catch {
            return .fault
        }
        return .quit
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
        var engines: [Engine]
        /// Under Pacemaker, every node's engines as they published them, local node first.
        var nodes: [ClusterNodeList.Node]?

        init(_ model: ConsoleModel, now: WallTime, host: String) {
            self.host = host
            time = now.iso8601
            engines = model.engines.map { engine in
                let health = model.health(of: engine.id)
                let banner = model.lines.contains(.banner(engine.id))
                    ? ConsoleLayout.bannerText(engine.id, model: model, now: now).trimmingPrefix(" ") : nil
                var error: String?
                if case .unreadable(let reason) = health { error = reason }
                return Engine(stateFile: engine.id.rawValue, status: health.word, live: health.isLive,
                              readOnly: model.isReadOnly(engine.id), banner: banner.map(String.init), error: error,
                              state: engine.document)
            }
        }
    }
}
