import PsaverState
import PsaverSystem

/// `psaver-bench state-write`: the cost of encoding one state file of `entries`
/// entries and a full event ring, as the engine does at every change and every
/// heartbeat; for timing, and for `valgrind --tool=callgrind`.
struct StateWrite {
    var entries: Int
    var times: Int

    func run() {
        let document = Self.document(entries: entries)
        var bytes: [UInt8] = []
        let start = MonotonicInstant.now()
        for _ in 0..<times { bytes = StateCodec.encode(document) }
        let elapsed = Double((MonotonicInstant.now() - start).nanoseconds) / 1e6
        print("state-write: \(entries) entries, \(times) encodings: \(Summary.format(elapsed / Double(times))) ms each, "
            + "\(bytes.count) bytes")
    }

    /// A running engine's document: every entry AVAIL with a pid, some with strings and a rerun time.
    static func document(entries: Int) -> StateDocument {
        let records = (1...max(1, entries)).map { id in
            EntryRecord(
                pentId: id, pname: "/opt/app/bin/service-\(id)", pid: Int32(10_000 + id), retryCount: id % 3,
                restartCount: id % 7, procSts: .avail, retryOverAct: "exit",
                rerunTime: id % 2 == 0 ? "2026-11-30T12:00:00+00:00" : nil,
                includeStrings: id % 5 == 0 ? "apache&tomcat" : "", monitorSts: .on,
                restartScript: "/opt/app/bin/start-\(id).sh", grace: 86400, retry: 3,
                excludeStrings: id % 11 == 0 ? "--stop" : "", user: id % 13 == 0 ? "app" : nil, startWait: 10)
        }
        let events = (0..<200).map { index in
            EventRecord(time: "2026-11-30T12:00:\(index % 60)+00:00", pentId: index + 1,
                        text: "(/opt/app/bin/service-\(index + 1) ,pid=\(10_000 + index)) Up")
        }
        return StateDocument(
            pid: ProcessID(4242), uid: UserID(0), host: "bench", startedAt: "2026-11-30T12:00:00+00:00",
            heartbeatAt: "2026-11-30T12:00:10+00:00", pfile: "/var/opt/HA/PS/conf/bin/pfile_bench",
            ipckey: "0x20000001",
            params: ParamsRecord(ipckey: "0x20000001", msgCheckInterval: 5, monitorInterval: 10,
                                 shmDumpFile: "/var/opt/HA/PS/dump/pfile_bench", restartTimeout: 60),
            controlSocket: "/var/opt/HA/PS/dump/pfile_bench.sock", engineSts: .running,
            entries: records, events: events)
    }
}
