import Foundation
import PsaverState
import PsaverSystem
import Testing

extension String {
    /// The selected row of a psview screen (the one that starts with `>`).
    var selected: String? { split(separator: "\n").first { $0.hasPrefix(">") }.map(String.init) }
}

/// Issue 18: psview on a busy host at 3 a.m., in tmux and with `--once`. Each test names
/// the item it reproduces.
@Suite("psview on a busy host", .serialized, .timeLimit(.minutes(10)))
struct PsviewBusyHostTests {
    /// Writes `engines` state files of `entries` AVAIL entries each, as engines on another
    /// host would (so psview takes them as running while their heartbeat is fresh); the
    /// last one, whose pfile sorts last, at retry over with its first entry FATAL.
    /// `change` edits a document before it is written. Returns the paths.
    func busyHost(_ box: Sandbox, engines: Int = 20, entries: Int = 50,
                  change: (Int, inout StateDocument) -> Void = { _, _ in }) throws -> [String]
    {
        try (1...engines).map { n in
            let two = n < 10 ? "0\(n)" : "\(n)"
            let path = "\(box.folder)/pfile_\(two).state"
            let records = (1...entries).map { id in
                EntryRecord(pentId: id, pname: "/opt/svc\(two)/bin/app\(id)", pid: Int32(1000 * n + id), retryCount: 0,
                            restartCount: 0, procSts: .avail, retryOverAct: "exit", rerunTime: nil, includeStrings: "",
                            monitorSts: .on, restartScript: "/opt/svc\(two)/start.sh", grace: 0, retry: 3, startWait: 10,
                            flapping: false)
            }
            var document = StateDocument(
                pid: ProcessID(Int32(30000 + n)), uid: Identity.effectiveUser, host: "another-host",
                startedAt: WallTime.now().iso8601, heartbeatAt: WallTime.now().iso8601,
                pfile: "/var/opt/HA/PS/conf/pfile_\(two)", ipckey: "0x7\(two)00000",
                params: ParamsRecord(ipckey: "0x7\(two)00000", msgCheckInterval: 5, monitorInterval: 3600,
                                     shmDumpFile: path, restartTimeout: 60),
                controlSocket: path + ".sock", engineSts: .running, entries: records, events: [])
            if n == engines {
                document.engineSts = .retryOver
                document.entries[0].procSts = .fatal
                document.entries[0].pid = nil
                document.entries[0].retryCount = 3
            }
            change(n, &document)
            let bytes = StateCodec.encode(document)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// Items 2 and 3: 20 engines × 50 entries, the failed one sorting last: its group,
    /// banner and FATAL row are on the first screen at 60×15, 80×24 and 200×60, and the
    /// header names the engine at retry over at each width.
    @Test(arguments: [(60, 15), (80, 24), (200, 60)])
    func theFailedEngineIsOnTheFirstScreenAndInTheHeader(cols: Int, rows: Int) throws {
        let box = try Sandbox("pvbusy\(cols)")
        defer { box.close() }
        let files = try busyHost(box)
        let view = try PsviewTmux(files, in: box, cols: cols, rows: rows)
        defer { view.close() }
        let screen = try view.waitForScreen("the failed engine", timeout: 60) { $0.contains("app1 ") }
        let header = try #require(screen.split(separator: "\n").first.map(String.init))
        #expect(header.contains("retry over 1"), "\(cols)×\(rows): \(header)")
        #expect(screen.contains("!! RETRY OVER"), "\(screen)")
        #expect(screen.line(containing: "/opt/svc20/bin/app1")?.contains("FATAL") == true, "\(screen)")
        if cols >= 80 { #expect(header.contains("running 19")) }
    }

    /// Item 6: n goes from the failed engine's FATAL row to the one DOWN entry and back,
    /// never through the failed engine's other 49 rows.
    @Test func nJumpsBetweenProblemsWithoutWalkingADeadEnginesRows() throws {
        let box = try Sandbox("pvjump")
        defer { box.close() }
        let files = try busyHost(box, engines: 3) { n, document in
            if n == 1 { document.entries[9].procSts = .down; document.entries[9].pid = nil }
        }
        let view = try PsviewTmux(files, in: box, cols: 100, rows: 30)
        defer { view.close() }
        try view.waitForScreen("the list", timeout: 60) { $0.contains("app1 ") }
        try view.send("n")
        try view.waitForScreen("the DOWN entry selected", timeout: 60) { $0.selected?.contains("/opt/svc01/bin/app10 ") == true }
        try view.send("n")
        try view.waitForScreen("back on the FATAL row", timeout: 60) { $0.selected?.contains("/opt/svc03/bin/app1 ") == true }
        // Not on to the dead engine's next row: round again to the DOWN entry.
        try view.send("n")
        try view.waitForScreen("on the DOWN entry again", timeout: 60) { $0.selected?.contains("/opt/svc01/bin/app10 ") == true }
    }

    /// Item 7: --once and --once --json exit as a Nagios check does, with machine words.
    @Test func onceExitsZeroOneTwoOrThree_andJSONSaysRetryOver() throws {
        let box = try Sandbox("pvexit")
        defer { box.close() }
        let healthy = try busyHost(box, engines: 2, entries: 3) { _, document in
            document.engineSts = .running
            document.entries[0].procSts = .avail
            document.entries[0].pid = 1
        }
        #expect(try Program.run("psview", ["--once"] + healthy, in: box).code == 0)

        let flapping = try busyHost(box, engines: 2, entries: 3) { n, document in
            document.engineSts = .running
            document.entries[0].procSts = .avail
            document.entries[0].flapping = n == 2
        }
        let attention = try Program.run("psview", ["--once"] + flapping, in: box)
        #expect(attention.code == 1, "\(attention.out)")
        #expect(attention.out.contains("psview: ATTENTION (1)"))
        #expect(attention.out.contains("FLAPPING"))

        let failed = try busyHost(box, engines: 2, entries: 3)
        let critical = try Program.run("psview", ["--once"] + failed, in: box)
        #expect(critical.code == 2)
        #expect(critical.out.contains("psview: CRITICAL (2): engine 0x70200000"))
        let json = try Program.run("psview", ["--once", "--json"] + failed, in: box)
        #expect(json.code == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "critical")
        #expect(object["exit_code"] as? Int == 2)
        let statuses = (object["engines"] as? [[String: Any]])?.compactMap { $0["status"] as? String }
        #expect(statuses == ["running", "retry_over"])

        let nothing = try Program.run("psview", ["--once", "\(box.folder)/no-such.state"], in: box)
        #expect(nothing.code == 3)
        #expect(try Program.run("psview", ["--once", "--no-such-option"], in: box).code == 3)
    }

    /// Item 1: m on an entry that is DOWN at its last retry, with monitoring off, asks
    /// first and says pcheck will exit; n leaves it off, y turns it on.
    @Test func mAtTheRetryLimitAsksAndSaysWhatWillHappen() throws {
        let box = try Sandbox("pvlimit")
        defer { box.close() }
        let service = try box.service("web")
        let script = try box.restartScript(for: service)
        _ = try box.startService(service)
        let pfile = try box.pfile(["\(service):\(script):0:1:exit"])
        let engine = try Program("pcheck", ["-f", pfile, "--log", "\(box.folder)/pcheck.log"], in: box)
        defer { engine.signal(SIGTERM); _ = try? engine.wait(timeout: 10); engine.stop() }
        let up = try waitFor("AVAIL", timeout: 60) { box.state()?.entries.first.flatMap { $0.pid } }
        #expect(try Program.run("padmin", ["-f", pfile, "-c", "monitor", "off", "-i", "1"], in: box).code == 0)
        kill(up, SIGKILL)
        _ = try waitFor("DOWN, monitoring off", timeout: 60) {
            box.state()?.entries.first.flatMap { $0.procSts == .down && $0.monitorSts == .off ? true : nil }
        }
        let view = try PsviewTmux(["-f", pfile], in: box, cols: 200, rows: 24)
        defer { view.close() }
        try view.waitForScreen("the DOWN row", timeout: 60) { $0.contains("DOWN") }
        try view.send("m")
        let asked = try view.waitForScreen("the question", timeout: 60) { $0.contains("y/n") }
        #expect(asked.contains("DOWN at 0/1 retries"), "\(asked)")
        #expect(asked.contains("pcheck exits"))
        try view.send("n")
        try view.waitForScreen("cancelled", timeout: 60) { $0.contains("Cancelled.") }
        #expect(box.state()?.entries.first?.monitorSts == .off)
        try view.send("m")
        try view.waitForScreen("the question again", timeout: 60) { $0.contains("y/n") }
        try view.send("y")
        _ = try waitFor("monitoring on", timeout: 60) {
            box.state()?.entries.first.flatMap { $0.monitorSts == .on ? true : nil }
        }
    }

    /// Items 4 and 5: a service killed again and again is flapping in the state file, and
    /// the reason for its last restart is there too; psview shows both.
    @Test func aCrashLoopIsFlappingAndItsReasonIsDied() throws {
        let box = try Sandbox("pvflap")
        defer { box.close() }
        let service = try box.service("loop")
        let script = try box.restartScript(for: service)
        _ = try box.startService(service)
        let pfile = try box.pfile(["\(service):\(script):0:10:stop"])
        let engine = try Program("pcheck", ["-f", pfile, "--log", "\(box.folder)/pcheck.log"], in: box)
        defer { engine.signal(SIGTERM); _ = try? engine.wait(timeout: 10); engine.stop() }
        var pid = try waitFor("AVAIL", timeout: 60) { box.state()?.entries.first.flatMap { $0.pid } }
        for round in 1...3 {
            kill(pid, SIGKILL)
            pid = try waitFor("AVAIL again after kill \(round)", timeout: 60) {
                box.state()?.entries.first.flatMap { $0.procSts == .avail && $0.pid != pid ? $0.pid : nil }
            }
        }
        let entry = try #require(box.state()?.entries.first)
        #expect(entry.flapping == true)
        #expect(entry.lastRestartReason == .died)
        #expect(entry.lastRestartText == "died")
        let once = try Program.run("psview", ["--once", "-f", pfile], in: box)
        #expect(once.code == 1, "\(once.out)")
        #expect(once.out.contains("FLAPPING"))
        #expect(once.out.contains("flapping 1"))
    }

    /// Item 5: a service stopped past its stall limit is killed and restarted; its row's
    /// details say it was hung, from the engine's state file.
    @Test func aHungServiceRestartedSaysHungInDetails() throws {
        let box = try Sandbox("pvhung")
        defer { box.close() }
        let service = try box.service("stuck")
        let pfile = try box.pfile(["\(service):\(try box.restartScript(for: service)):0:3:exit:stall=2"], monitorInterval: 1)
        let first = try box.startService(service)
        let engine = try Program("pcheck", ["-f", pfile, "--log", "\(box.folder)/pcheck.log"], in: box)
        defer { engine.signal(SIGTERM); _ = try? engine.wait(timeout: 10); engine.stop() }
        _ = try waitFor("AVAIL", timeout: 60) { box.state()?.entries.first.flatMap { $0.pid == first ? true : nil } }
        kill(first, SIGSTOP)
        let entry = try waitFor("restarted after the hang", timeout: 60) {
            box.state()?.entries.first.flatMap { $0.procSts == .avail && $0.pid != first ? $0 : nil }
        }
        #expect(entry.lastRestartReason == .hung)
        #expect(entry.lastRestartText?.hasPrefix("hung for ") == true)
        let view = try PsviewTmux(["-f", pfile], in: box, cols: 120, rows: 40)
        defer { view.close() }
        try view.waitForScreen("the row", timeout: 60) { $0.contains("AVAIL") }
        try view.send("Enter")
        let details = try view.waitForScreen("details", timeout: 60) { $0.contains("last_restart") }
        #expect(details.line(containing: "last_restart")?.contains("hung for") == true, "\(details)")
    }
}
