import Foundation
import PsaverState
import PsaverSystem
import Testing

/// pcheck as a systemd `Type=notify` service: READY=1 after the first look at every
/// entry, WATCHDOG=1 from its loop, STOPPING=1 when it stops; and the unit itself.
@Suite("pcheck under systemd", .serialized, .timeLimit(.minutes(3)))
struct PcheckNotifyTests {
    @Test func ready_comesOnceEveryEntryHasBeenLookedAt_andTheStateFileShowsIt() throws {
        let box = try Sandbox("ready")
        defer { box.close() }
        let up = try box.service("up")
        let down = try box.service("down")
        let upPID = try box.startService(up)
        let pfile = try box.pfile(["\(up):\(try box.restartScript(for: up)):0:3:exit",
                                   "\(down):\(try box.restartScript(for: down)):0:3:exit"])
        let listener = try NotifyListener("\(box.folder)/notify.sock")
        let engine = try PcheckRun(box, pfile: pfile, environment: ["NOTIFY_SOCKET": listener.address])
        defer { engine.stop() }

        let ready = try listener.waitForMessage(with: "READY=1")
        #expect(ready.contains("MAINPID=\(engine.pid)"), "\(ready)")
        // Read after READY=1: the state file already shows both entries looked at.
        let state = try #require(engine.state, "the state file exists when READY=1 is sent")
        #expect(state.entries.count == 2)
        #expect(state.entries.first?.procSts == .avail && state.entries.first?.pid == upPID, "\(state.entries)")
        #expect(state.entries.last?.restartCount == 1, "the missing one is being restarted: \(state.entries)")
        #expect(listener.count("READY=1") == 1)
        #expect(listener.count("WATCHDOG=1") == 0, "no watchdog unless WATCHDOG_USEC asks")
    }

    @Test func watchdog_isFedFromTheLoop_whenWatchdogUsecAsks_andStoppingIsSaid() throws {
        let box = try Sandbox("watchdog")
        defer { box.close() }
        let svc = try box.service("a")
        _ = try box.startService(svc)
        // MONITOR_INTERVAL 30: the loop would sleep that long but for the watchdog's deadline.
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"], monitorInterval: 30)
        let listener = try NotifyListener("@psaver-test-\(box.tag)")
        let engine = try PcheckRun(box, pfile: pfile, environment: [
            "NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "400000", "WATCHDOG_PID": "",
        ])
        defer { engine.stop() }

        try listener.waitForMessage(with: "READY=1")
        _ = try waitFor("three WATCHDOG=1 after READY=1", timeout: PcheckRun.patience) {
            listener.count("WATCHDOG=1") >= 3 ? true : nil
        }
        #expect(try engine.terminate() == 0)
        let stopping = try listener.waitForMessage(with: "STOPPING=1")
        #expect(stopping.contains("STATUS=stopped"), "\(stopping)")
    }

    @Test func restartScripts_neverSeeTheNotifySocket() throws {
        let box = try Sandbox("notifyenv")
        defer { box.close() }
        let svc = try box.service("a")
        let seen = "\(box.folder)/seen-env"
        let script = try box.restartScript(for: svc, extra: "env > \(seen)")
        let pfile = try box.pfile(["\(svc):\(script):0:3:exit"])
        let listener = try NotifyListener("\(box.folder)/notify.sock")
        let engine = try PcheckRun(box, pfile: pfile, environment: [
            "NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "10000000",
        ])
        defer { engine.stop() }
        try engine.waitForUp()
        let environment = try waitFor("the script's environment", timeout: PcheckRun.patience) {
            (try? FileSystem.readText(seen)).flatMap { $0.contains("LANG=") ? $0 : nil }
        }
        #expect(!environment.contains("NOTIFY_SOCKET"), "\(environment)")
        #expect(!environment.contains("WATCHDOG_USEC"), "\(environment)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func theUnit_passesSystemdAnalyzeVerify_andFollowsThePathConvention() throws {
        let box = try Sandbox("unit")
        defer { box.close() }
        let unit = try FileSystem.readText(PcheckConfigTests.repositoryRoot + "/conf/systemd/psaver@.service")
        #expect(unit.contains("Type=notify"))
        #expect(unit.contains("\nWatchdogSec="))
        #expect(unit.contains("ExecStart=/opt/HA/PS/bin/pcheck -f /etc/psaver/%i "))
        #expect(unit.contains("ExecReload=/opt/HA/PS/bin/pcheck --check -f /etc/psaver/%i\n"
                              + "ExecReload=/bin/kill -HUP $MAINPID"))
        #expect(unit.contains("RestartPreventExitStatus=1 2 3"))
        #expect(!unit.contains("/var/opt/HA/PS/conf"), "one path convention: pfiles in /etc/psaver")
        // verify wants the programs it names to exist: point them at the built ones.
        let bin = FileSystem.directoryName(of: Sandbox.binary("pcheck"))
        let copy = "\(box.folder)/psaver@pfile_test.service"
        try box.write(copy, unit.replacingOccurrences(of: "/opt/HA/PS/bin", with: bin), permissions: 0o644)
        let verify = try Program.run("/usr/bin/systemd-analyze", ["verify", "--man=no", "--recursive-errors=no", copy],
                                     in: box, timeout: 60)
        #expect(verify.code == 0, "\(verify.err)")
        #expect(verify.err.isEmpty, "\(verify.err)")
    }
}
