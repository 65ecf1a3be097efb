import Foundation
import PsaverState
import Testing

/// SIGHUP: re-reading the pfile while services run.
@Suite("pcheck reloads its pfile on SIGHUP", .serialized, .timeLimit(.minutes(3)))
struct PcheckReloadTests {
    @Test func aChangedPfile_keepsTheCountersOfUnchangedEntries_andABrokenOneIsRefused() throws {
        let box = try Sandbox("reload")
        defer { box.close() }
        let a = try box.service("a")
        let b = try box.service("b")
        let c = try box.service("c")
        let lineA = "\(a):\(try box.restartScript(for: a)):0:3:exit"
        let lineB = "\(b):\(try box.restartScript(for: b)):0:3:exit"
        let lineC = "\(c):\(try box.restartScript(for: c)):0:2:exit"
        let pfile = try box.pfile([lineA, lineB])
        var pidA = try box.startService(a)
        let pidB = try box.startService(b)
        let pidC = try box.startService(c)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.pid == pidA }
        try engine.waitForEntry(2, "up") { $0.pid == pidB }
        kill(pidA, SIGKILL)
        pidA = try #require(try engine.waitForUp(1, replacing: pidA).pid)

        // a unchanged (now second); b changed (its retry), so old b goes and a new b comes; c new.
        let changedB = lineB.replacingOccurrences(of: ":0:3:exit", with: ":0:5:exit")
        try box.pfile([lineC, lineA, changedB])
        engine.program.signal(SIGHUP)
        try engine.waitForLog("pfile reloaded: 1 entries kept, 2 new, 1 removed")
        let keptA = try engine.waitForEntry(2, "to be a, with its counters") { $0.pname == a && $0.procSts == .avail }
        #expect(keptA.pid == pidA)
        #expect(keptA.retryCount == 1)
        #expect(keptA.restartCount == 1)
        let freshB = try engine.waitForEntry(3, "to be b, found running") { $0.pname == b && $0.procSts == .avail }
        #expect(freshB.retry == 5)
        #expect(freshB.pid == pidB)
        #expect(freshB.restartCount == 0)
        let freshC = try engine.waitForEntry(1, "to be c, found running") { $0.pname == c && $0.procSts == .avail }
        #expect(freshC.pid == pidC)
        #expect(freshC.restartCount == 0)

        // A broken pfile is refused and logged; the previous configuration stays in force.
        try box.pfile([lineC, lineA, changedB.replacingOccurrences(of: ":0:5:exit", with: ":0:five:exit")])
        engine.program.signal(SIGHUP)
        try engine.waitForLog("pfile reload refused, the previous configuration stays in force")
        #expect(engine.log.contains("\(pfile):9:"), "the refusal names the file and line:\n\(engine.log)")
        #expect(engine.isRunning)
        #expect(engine.state?.engineSts == .running)
        #expect(engine.state?.entries.map(\.pname) == [c, a, b])
        #expect(engine.entry(3)?.retry == 5)

        // Still working on the kept configuration: a's next death is its second retry.
        kill(pidA, SIGKILL)
        let again = try engine.waitForUp(2, replacing: pidA)
        #expect(again.retryCount == 2)
        #expect(again.restartCount == 2)
        #expect(try engine.terminate() == 0)
    }

    @Test func aRemovedEntry_isNoLongerRestarted() throws {
        let box = try Sandbox("removed")
        defer { box.close() }
        let a = try box.service("a")
        let b = try box.service("b")
        let lineA = "\(a):\(try box.restartScript(for: a)):0:3:exit"
        let lineB = "\(b):\(try box.restartScript(for: b)):0:3:exit"
        let pfile = try box.pfile([lineA, lineB], monitorInterval: 1)
        let pidA = try box.startService(a)
        let pidB = try box.startService(b)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(2, "up") { $0.pid == pidB }

        try box.pfile([lineA])
        engine.program.signal(SIGHUP)
        try engine.waitForLog("pfile reloaded: 1 entries kept, 0 new, 1 removed")
        _ = try waitFor("one entry in the state", timeout: PcheckRun.patience) {
            engine.state?.entries.count == 1 ? true : nil
        }
        #expect(engine.entry(1)?.pid == pidA)

        kill(pidB, SIGKILL)
        sleep(3)
        #expect(box.pids(of: b).isEmpty, "b is no longer watched")
        #expect(engine.isRunning)
        #expect(try engine.terminate() == 0)
    }

    @Test func sighup_reopensTheLogFile_afterLogrotateMovedIt() throws {
        let box = try Sandbox("logrotate")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        let first = try #require(try engine.waitForUp().pid)

        try FileManager.default.moveItem(atPath: engine.logPath, toPath: engine.logPath + ".1")
        engine.program.signal(SIGHUP)
        try engine.waitForLog("SIGHUP Catch (1)!! log reopened")
        kill(first, SIGKILL)
        try engine.waitForLog("Process [\(svc) , pid=\(first)] Down")
        try engine.waitForLog("restart script ended: exit status 0")
        let rotated = try String(contentsOfFile: engine.logPath + ".1", encoding: .utf8)
        #expect(rotated.contains("Start pcheck!!"))
        #expect(!rotated.contains("Down"), "nothing is written to the rotated file after SIGHUP")
        #expect(try engine.terminate() == 0)
    }
}
