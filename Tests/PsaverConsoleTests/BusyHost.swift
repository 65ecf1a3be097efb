import PsaverConsole
import PsaverState
import PsaverSystem

/// A busy host: `engines` engines of `entries` entries each, all AVAIL, the last one
/// (whose pfile sorts last) at retry over with its first entry FATAL.
enum BusyHost {
    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func id(_ n: Int) -> EngineID { EngineID("/var/opt/HA/PS/dump/pfile_\(two(n))") }

    static func document(_ n: Int, entries: Int, retryOver: Bool = false) -> StateDocument {
        var document = Fixture.tomcatDocument()
        document.pfile = "/var/opt/HA/PS/conf/pfile_\(two(n))"
        document.ipckey = "0x200000\(two(n))"
        document.controlSocket = id(n).rawValue + ".sock"
        document.entries = (1...entries).map { Fixture.entry($0, "/opt/svc\(n)/bin/app\($0)", pid: Int32(1000 * n + $0), .avail) }
        document.events = []
        if retryOver {
            document.engineSts = .retryOver
            document.entries[0].procSts = .fatal
            document.entries[0].pid = nil
            document.entries[0].retryCount = 3
        }
        return document
    }

    /// The model of such a host at the fixture's time, `rows` × `cols`.
    static func model(engines: Int = 20, entries: Int = 50, rows: Int = 24, cols: Int = 80) -> ConsoleModel {
        var model = ConsoleModel(rows: rows, cols: cols)
        for n in 1...engines {
            let failed = n == engines
            model.apply(.engineUpdated(id(n), document(n, entries: entries, retryOver: failed), failed ? .gone : .running))
        }
        model.apply(.tick(now: Fixture.now))
        return model
    }
}
