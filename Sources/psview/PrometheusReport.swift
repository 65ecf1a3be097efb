import PsaverConsole
import PsaverProcessTable
import PsaverState
import PsaverSystem

/// `psview --once --prometheus`: every engine the source names as Prometheus metrics
/// (`PrometheusText`), for node_exporter's textfile collector.
///
/// The `engine` label is the engine's IPCKEY (its identity on the host, which survives
/// a moved pfile), or the state file's path when the file can't be read.
/// `psaver_restarts_total` comes from the history file beside the state file
/// (`HistoryStore`), so it does not reset when the engine restarts. Exits 0 whenever
/// the metrics were written: they carry the health themselves.
enum PrometheusReport {
    static func run(source: EngineSource) -> PsviewExitCode {
        let host = Identity.hostName
        var catalog = EngineCatalog(source: source, host: host)
        let now = WallTime.now()
        let clock = BootClock.read()
        let table = ProcessTable()
        let engines = catalog.discover().added.sorted().map { path in
            engine(path, host: host, now: now, clock: clock, table: table)
        }
        do {
            try FileDescriptor.standardOutput.write(Array(PrometheusText.render(engines).utf8))
        } catch {
            return .fault
        }
        return .quit
    }

    /// One engine's metrics from its state file, history file and the process table.
    static func engine(
        _ path: String, host: String, now: WallTime, clock: BootClock?, table: ProcessTable
    ) -> PrometheusText.Engine {
        let (reading, liveness) = StateReader.read(path, host: host, previous: nil)
        guard let document = reading?.document else {
            return PrometheusText.Engine(label: path, up: false, retryOver: false, entries: [])
        }
        let freshness = StateFreshness.judge(document, now: now, processExists: liveness != .gone)
        let history = (try? HistoryStore(stateFile: path).read()) ?? nil
        let totals = history?.lifetimeRestarts(of: document) ?? document.entries.map(\.restartCount)
        let keys = HistoryKey.keys(of: document.entries)
        let entries = document.entries.indices.map { at in
            let entry = document.entries[at]
            let lastRestart = entry.rerunTime ?? history?.entry(keys[at])?.lastRestart
            var started: Double?
            if document.host == host, let pid = entry.pid, let clock,
                let identity = table.identity(of: ProcessID(pid))
            {
                started = clock.wallTime(ofTicks: identity.startTime)
            }
            return PrometheusText.Entry(
                pentID: entry.pentId, pname: entry.pname, processUp: entry.procSts == .avail,
                monitoring: entry.monitorSts == .on, retries: entry.retryCount, retryLimit: entry.retry,
                restartsTotal: totals[at], lastRestart: lastRestart.flatMap { WallTime(iso8601: $0)?.secondsSinceEpoch },
                processStart: started)
        }
        let retryOver = document.engineSts == .retryOver || document.entries.contains { $0.procSts == .fatal }
        return PrometheusText.Engine(label: document.ipckey, up: freshness == .running, retryOver: retryOver,
                                     entries: entries)
    }
}
