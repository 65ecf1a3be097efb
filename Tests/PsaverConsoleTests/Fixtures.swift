#if canImport(Glibc)
import Glibc
#endif
import PsaverConsole
import PsaverState
import PsaverSystem

/// Two engines, a tomcat one (AVAIL, DOWN, RESTARTING with a Japanese pname) and a batch
/// one (FATAL with monitoring off, AVAIL), seen at 2026-11-25 10:50:12 UTC.
enum Fixture {
    /// Times in the layout are local; every test that renders runs in UTC.
    static let utc: Void = {
        setenv("TZ", "UTC", 1)
        tzset()
    }()

    static var now: WallTime {
        _ = utc
        return WallTime(iso8601: "2026-11-25T10:50:12+00:00")!
    }

    static let tomcat: EngineID = "/var/opt/HA/PS/dump/pfile_tomcat"
    static let batch: EngineID = "/var/opt/HA/PS/dump/pfile_batch"

    static func entry(_ id: Int, _ pname: String, pid: Int32?, _ sts: ProcStatus, retry: (Int, Int) = (0, 3),
                      restarts: Int = 0, rerun: String? = nil, include: String = "", monitor: MonitorStatus = .on,
                      act: String = "exit") -> EntryRecord
    {
        EntryRecord(pentId: id, pname: pname, pid: pid, retryCount: retry.0, restartCount: restarts, procSts: sts,
                    retryOverAct: act, rerunTime: rerun, includeStrings: include, monitorSts: monitor,
                    restartScript: "/var/opt/HA/PS/conf/bin/start_\(id).sh", grace: 86400, retry: retry.1,
                    startWait: 10, scriptRunning: sts == .restarting)
    }

    static func tomcatDocument(heartbeat: String = "2026-11-25T10:50:09+00:00") -> StateDocument {
        StateDocument(
            pid: ProcessID(12183), uid: .root, host: "node1", startedAt: "2026-11-25T09:00:00+00:00",
            heartbeatAt: heartbeat, pfile: "/var/opt/HA/PS/conf/bin/pfile_tomcat", ipckey: "0x20000001",
            params: ParamsRecord(ipckey: "0x20000001", msgCheckInterval: 5, monitorInterval: 10,
                                 shmDumpFile: tomcat.rawValue, restartTimeout: 60),
            controlSocket: tomcat.rawValue + ".sock", engineSts: .running,
            entries: [
                entry(1, "/usr/bin/java", pid: 3679, .avail, include: "apache&tomcat"),
                entry(2, "/usr/sbin/httpd", pid: nil, .down, retry: (1, 3), restarts: 4,
                      rerun: "2026-11-25T10:49:58+00:00"),
                entry(3, "/opt/アプリ/bin/サーバ", pid: 4410, .restarting, retry: (2, 5), restarts: 2,
                      rerun: "2026-11-25T10:50:01+00:00", include: "db=本番"),
            ],
            events: [
                EventRecord(time: "2026-11-25T10:40:00+00:00", pentId: 1, text: "(/usr/bin/java ,pid=3679) Up"),
                EventRecord(time: "2026-11-25T10:49:57+00:00", pentId: 2,
                            text: "Process [/usr/sbin/httpd , pid=3702] Down"),
                EventRecord(time: "2026-11-25T10:49:58+00:00", pentId: 2,
                            text: "restart script /var/opt/HA/PS/conf/bin/start_2.sh started"),
                EventRecord(time: "2026-11-25T10:50:01+00:00", pentId: 3,
                            text: "Process [/opt/アプリ/bin/サーバ , pid=4400] Down"),
            ])
    }

    static func batchDocument(heartbeat: String = "2026-11-25T10:50:10+00:00") -> StateDocument {
        StateDocument(
            pid: ProcessID(13001), uid: .root, host: "node1", startedAt: "2026-11-24T20:00:00+00:00",
            heartbeatAt: heartbeat, pfile: "/etc/psaver/pfile_batch", ipckey: "0x20000002",
            params: ParamsRecord(ipckey: "0x20000002", msgCheckInterval: 5, monitorInterval: 10,
                                 shmDumpFile: batch.rawValue, restartTimeout: 60),
            controlSocket: batch.rawValue + ".sock", engineSts: .running,
            entries: [
                entry(1, "/usr/local/bin/batchd", pid: nil, .fatal, retry: (2, 2), restarts: 7,
                      rerun: "2026-11-24T23:10:00+00:00", monitor: .off, act: "stop"),
                entry(2, "/usr/bin/python3", pid: 5120, .avail, include: "worker.py"),
            ],
            events: [
                EventRecord(time: "2026-11-24T23:10:00+00:00", pentId: 1, text: "(/usr/local/bin/batchd) FATAL"),
                EventRecord(time: "2026-11-25T10:45:00+00:00", pentId: 1,
                            text: "monitoring off for pent 1 by uid 0"),
            ])
    }

    /// A model holding both engines, running, ticked at `now`; the selection moved by the
    /// operator to tomcat's first entry (/usr/bin/java), or left on the top row.
    static func model(rows: Int = 24, cols: Int = 80, onJava: Bool = true, viewer: UserID = .root) -> ConsoleModel {
        var model = ConsoleModel(rows: rows, cols: cols, viewer: viewer)
        model.apply(.engineUpdated(tomcat, tomcatDocument(), .running))
        model.apply(.engineUpdated(batch, batchDocument(), .running))
        model.apply(.tick(now: now))
        if onJava {
            _ = model.handle(.down)
            _ = model.handle(.down)
        }
        return model
    }

    static func render(_ model: ConsoleModel) -> ScreenGrid {
        ConsoleLayout.render(model, now: now, host: "node1")
    }
}
