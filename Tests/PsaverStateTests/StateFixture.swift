import PsaverState
import PsaverSystem

/// A tomcat engine's state as the engine writes it, for report and codec tests.
enum StateFixture {
    static func entry(
        _ id: Int, _ pname: String, pid: Int32?, _ sts: ProcStatus, retryCount: Int = 0, restarts: Int = 0,
        rerun: String? = nil, include: String = "", monitor: MonitorStatus = .on
    ) -> EntryRecord {
        EntryRecord(pentId: id, pname: pname, pid: pid, retryCount: retryCount, restartCount: restarts,
                    procSts: sts, retryOverAct: "exit", rerunTime: rerun, includeStrings: include,
                    monitorSts: monitor, restartScript: "/var/opt/HA/PS/conf/bin/start_\(id).sh", grace: 86400,
                    retry: 3, startWait: 10)
    }

    static let java = entry(1, "/usr/bin/java", pid: 3679, .avail, include: "apache&tomcat")

    static func document(
        entries: [EntryRecord] = [java], status: EngineStatus = .running,
        heartbeat: String = "2026-11-25T10:50:09+00:00"
    ) -> StateDocument {
        StateDocument(
            pid: ProcessID(12183), uid: .root, host: "node1", startedAt: "2026-11-25T09:00:00+00:00",
            heartbeatAt: heartbeat, pfile: "/var/opt/HA/PS/conf/bin/pfile_tomcat", ipckey: "0x20000001",
            params: ParamsRecord(ipckey: "0x20000001", msgCheckInterval: 5, monitorInterval: 10,
                                 shmDumpFile: "/var/opt/HA/PS/dump/pfile_tomcat", restartTimeout: 60),
            controlSocket: "/var/opt/HA/PS/dump/pfile_tomcat.sock", engineSts: status, entries: entries,
            events: [EventRecord(time: "2026-11-25T10:40:00+00:00", pentId: 1, text: "(/usr/bin/java ,pid=3679) Up")])
    }
}
