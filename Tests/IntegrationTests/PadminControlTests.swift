import Foundation
import PsaverState
import Testing

@Suite("padmin changes a running engine", .serialized, .timeLimit(.minutes(5)))
struct PadminControlTests {
    @Test func monitorOff_thenADeath_showsDown_andNothingRestarts_untilMonitorOn_restartsAtOnce() throws {
        let run = try EngineUnderTest("pmon")
        defer { run.close() }
        try run.start()
        let first = try #require(run.entry?.pid)

        let off = try run.padmin(["-c", "monitor", "off", "-i", "1"])
        #expect(off.code == 0, "\(off.err)")
        #expect(off.out.contains("monitor_sts=off"))
        // Written to the state file before the answer came back.
        #expect(run.entry?.monitorSts == .off)

        kill(first, SIGKILL)
        try run.waitForEntry("DOWN") { $0.procSts == .down && $0.pid == nil }
        // Several MONITOR_INTERVALs (1 s) go by: no script, no process, nothing counted.
        sleep(4)
        let down = try #require(run.entry)
        #expect(down.procSts == .down)
        #expect(down.monitorSts == .off)
        #expect(down.retryCount == 0)
        #expect(down.restartCount == 0)
        #expect(run.starts().isEmpty)
        #expect(run.box.pids(of: run.service).isEmpty)
        let show = try run.padmin(["-c", "show", "pent"])
        #expect(show.out.contains("proc_sts        = DOWN"))
        #expect(show.out.contains("monitor_sts     = off"))

        let asked = Date().timeIntervalSince1970
        let on = try run.padmin(["-c", "monitor", "on", "-i", "1"])
        #expect(on.code == 0, "\(on.err)")
        let started = try waitFor("the restart script", timeout: 20) { run.starts().first }
        let back = try run.waitForEntry("AVAIL again") { $0.procSts == .avail && $0.pid != nil }
        #expect(back.pid != first)
        #expect(back.restartCount == 1)
        #expect(back.monitorSts == .on)
        print("padmin monitor on → restart script started: \(Int((started - asked) * 1000)) ms")

        // Each change is logged with who asked, and kept in the state file's events.
        #expect(run.log.contains("monitoring off by uid=0 pid="))
        #expect(run.log.contains("monitoring on by uid=0 pid="))
        let events = try #require(run.state?.events.map(\.text))
        #expect(events.contains { $0.contains("monitoring off by uid=0") })
        #expect(events.contains { $0.contains("monitoring on by uid=0") })
    }

    @Test func maintenance_aServiceStartedByHandWhileOff_isFound_andNotRestartedWhenOnAgain() throws {
        let run = try EngineUnderTest("pmaint")
        defer { run.close() }
        try run.start()
        let first = try #require(run.entry?.pid)
        #expect(try run.padmin(["-c", "monitor", "off", "-i", "1"]).code == 0)
        kill(first, SIGKILL)
        try run.waitForEntry("DOWN") { $0.procSts == .down }
        let byHand = try run.box.startService(run.service)
        try run.waitForEntry("found by the scan") { $0.procSts == .avail && $0.pid == byHand }
        #expect(try run.padmin(["-c", "monitor", "on", "-i", "1"]).code == 0)
        sleep(2)
        let entry = try #require(run.entry)
        #expect(entry.pid == byHand)
        #expect(entry.restartCount == 0)
        #expect(run.starts().isEmpty)
    }

    @Test func monitorWithoutAnID_switchesEveryEntry() throws {
        let run = try EngineUnderTest("pall", entries: 2)
        defer { run.close() }
        try run.start()
        let off = try run.padmin(["-c", "monitor", "off"])
        #expect(off.code == 0, "\(off.err)")
        #expect(off.out.split(separator: "\n").count == 2)
        #expect(run.state?.entries.map(\.monitorSts) == [.off, .off])
        let on = try run.padmin(["-c", "monitor", "on", "--json"])
        #expect(on.code == 0)
        let json = try PadminJSON(on.out)
        #expect(json.ok)
        #expect(json.entries?.map(\.monitorSts) == [.on, .on])
        #expect(run.state?.entries.map(\.monitorSts) == [.on, .on])
    }

    @Test func reset_setsRetryCountToZero_andKeepsRestartCount() throws {
        let run = try EngineUnderTest("preset", retry: 5)
        defer { run.close() }
        try run.start()
        for round in 1...2 {
            let pid = try #require(run.entry?.pid)
            kill(pid, SIGKILL)
            try run.waitForEntry("restart \(round)") { $0.procSts == .avail && $0.restartCount == round }
        }
        #expect(run.entry?.retryCount == 2)

        let reset = try run.padmin(["-c", "reset", "-i", "1"])
        #expect(reset.code == 0, "\(reset.err)")
        #expect(reset.out.contains("retry_count=0 restart_count=2"))
        let entry = try #require(run.entry)
        #expect(entry.retryCount == 0)
        #expect(entry.restartCount == 2)
        #expect(run.log.contains("retry_count reset to 0 by uid=0 pid="))
        #expect(run.state?.events.contains { $0.text.contains("retry_count reset to 0") } == true)

        let all = try run.padmin(["-c", "reset", "--json"])
        #expect(all.code == 0)
        #expect(try PadminJSON(all.out).entries?.first?.retryCount == 0)
    }

    @Test func anUnknownPentID_isRefused_withItsOwnExitCode_andNothingChanges() throws {
        let run = try EngineUnderTest("punknown")
        defer { run.close() }
        try run.start()
        for command in [["monitor", "off"], ["reset"]] {
            let result = try run.padmin(["-c"] + command + ["-i", "9"])
            #expect(result.code == 4)
            #expect(result.err.hasPrefix("padmin: no entry with pent_id 9"))
            #expect(result.err.split(separator: "\n").count == 1)
        }
        let json = try PadminJSON(try run.padmin(["-c", "monitor", "off", "-i", "9", "--json"]).out)
        #expect(json.error == "unknown_entry")
        #expect(json.exitCode == 4)
        #expect(run.entry?.monitorSts == .on)
        let show = try run.padmin(["-c", "show", "pent", "-i", "9"])
        #expect(show.code == 4)
    }

    @Test func stop_endsTheEngineWithExitZero_andTheNormalStopLines_leavingTheServiceUp() throws {
        let run = try EngineUnderTest("pstop")
        defer { run.close() }
        let engine = try run.start()
        let service = try #require(run.entry?.pid)
        let stop = try run.padmin(["-c", "stop"])
        #expect(stop.code == 0, "\(stop.err)")
        #expect(stop.out.contains("has stopped"))
        // padmin returns once the engine has finished.
        #expect(try engine.wait(timeout: 10) == 0)
        #expect(run.log.contains("stop requested by uid=0 pid="))
        #expect(run.log.contains("Stop pcheck!!"))
        #expect(run.state?.engineSts == .stopped)
        #expect(run.box.pids(of: run.service) == [service])
        #expect(!FileManager.default.fileExists(atPath: run.box.stateFile + ".sock"))
    }

    @Test func garbageAndSilentClients_onTheSocket_doNotDelayARestart() throws {
        let run = try EngineUnderTest("pnoise")
        defer { run.close() }
        try run.start()
        let socket = run.box.stateFile + ".sock"
        var clients: [RawControlClient] = []
        defer { clients.forEach { $0.close() } }
        for _ in 0..<8 { clients.append(try RawControlClient(socket)) }  // silent
        for _ in 0..<4 {  // half a line, never finished
            let client = try RawControlClient(socket)
            client.send(#"{"cmd":"mon"#)
            clients.append(client)
        }
        let garbage = try RawControlClient(socket)
        garbage.send("\u{01}\u{02} not json at all\n{\"cmd\":\"reboot\"}\n")
        clients.append(garbage)
        let flood = try RawControlClient(socket)
        flood.send([UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024))
        clients.append(flood)

        let first = try #require(run.entry?.pid)
        let killed = Date().timeIntervalSince1970
        kill(first, SIGKILL)
        let started = try waitFor("the restart script", timeout: 20) { run.starts().first }
        try run.waitForEntry("AVAIL again") { $0.procSts == .avail && $0.pid != first }
        let delay = started - killed
        print("death → restart script with 14 misbehaving clients: \(Int(delay * 1000)) ms")
        // Well under the 5 s a silent client may idle: the loop never waited on one.
        #expect(delay < 4)

        // The garbage got answers, the flood a refusal, and the engine still serves padmin.
        let answers = garbage.readAll()
        #expect(answers.contains("bad_request"))
        #expect(answers.split(separator: "\n").count == 2)
        #expect(flood.readAll().contains("too_long"))
        let show = try run.padmin(["-c", "monitor", "on"])
        #expect(show.code == 0, "\(show.err)")
        #expect(run.engine?.isRunning == true)
    }

    @Test func aKilledEngine_leavesAStaleSocket_thatPadminNames_andTheNextEngineReplaces() throws {
        let run = try EngineUnderTest("pstale")
        defer { run.close() }
        let engine = try run.start()
        engine.signal(SIGKILL)
        _ = try engine.wait(timeout: 10)
        let socket = run.box.stateFile + ".sock"
        #expect(FileManager.default.fileExists(atPath: socket))

        let change = try run.padmin(["-c", "monitor", "off"])
        #expect(change.code == 1)
        #expect(change.err.contains("stale"))
        #expect(change.err.contains("nothing was changed"))
        let show = try run.padmin(["-c", "show", "pent"])
        #expect(show.code == 1)
        #expect(show.err.hasPrefix("padmin: warning: /"))
        #expect(show.err.contains(": the engine is not running"))
        #expect(show.out.contains("pname           = \(run.service)"))

        try run.start()
        let again = try run.padmin(["-c", "monitor", "off"])
        #expect(again.code == 0, "\(again.err)")
    }

    /// Not a check: measures, over several runs, how long after `padmin -c monitor on`
    /// the restart script of a down entry starts, and prints it for the report.
    @Test func monitorOn_forADownEntry_latencyIsMeasured() throws {
        let run = try EngineUnderTest("plat", retry: 100)
        defer { run.close() }
        try run.start()
        var samples: [Int] = []
        for round in 1...5 {
            #expect(try run.padmin(["-c", "monitor", "off"]).code == 0)
            let pid = try #require(run.entry?.pid)
            kill(pid, SIGKILL)
            try run.waitForEntry("DOWN") { $0.procSts == .down }
            usleep(300_000)
            let asked = Date().timeIntervalSince1970
            #expect(try run.padmin(["-c", "monitor", "on"]).code == 0)
            let started = try waitFor("restart \(round)", timeout: 20) {
                run.starts().count == round ? run.starts().last : nil
            }
            samples.append(Int((started - asked) * 1000))
            try run.waitForEntry("AVAIL \(round)") { $0.procSts == .avail && $0.pid != pid }
        }
        print("padmin monitor on → restart script started, ms: \(samples) (median \(samples.sorted()[2]))")
        #expect(samples.count == 5)
    }
}

