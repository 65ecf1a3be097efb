import Foundation
import PsaverState
import PsaverSystem
import Testing

/// Issue 7's reproductions against the built engine and real processes: one attempt
/// at a time, no duplicate services, no false deaths, nothing after exit.
@Suite("pcheck on its failure paths", .serialized, .timeLimit(.minutes(4)))
struct PcheckFailurePathTests {
    @Test func aScriptThatStartsTheServiceAndExitsNonZero_leavesOneInstance() throws {
        let box = try Sandbox("nonzero")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc, exitCode: 3)):0:3:stop"])
        let first = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == first }
        kill(first, SIGKILL)
        let up = try engine.waitForUp(replacing: first)
        usleep(1_500_000)
        #expect(box.pids(of: svc) == [try #require(up.pid)], "one instance, not one per failed-looking attempt")
        let entry = try #require(engine.entry())
        #expect(entry.procSts == .avail && entry.restartCount == 1)
        // Either the look at the script's end found the service, or (it was still exec'ing
        // behind `setsid &`) the pass during the first back-off did: never a second script.
        #expect(engine.log.contains("restart script failed: exit status 3; the process runs, so the restart succeeded")
                || engine.logCount("restart script") == 2, "\(engine.log)")
    }

    @Test func aDeathWhileTheScriptStillRuns_waitsForIt_oneScriptAtATime() throws {
        let box = try Sandbox("during")
        defer { box.close() }
        let svc = try box.service("a")
        // The guide's shape: start, sleep, exit 0. A second script while one runs leaves a mark.
        let restart = try script(box, "start.sh", """
            mkdir \(box.folder)/running 2>/dev/null || touch \(box.folder)/overlap
            setsid \(svc) 3600 </dev/null >/dev/null 2>&1 &
            sleep 2
            rmdir \(box.folder)/running
            exit 0
            """)
        let pfile = try box.pfile(["\(svc):\(restart):0:5:exit"], monitorInterval: 1)
        let first = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == first }
        kill(first, SIGKILL)
        let second = try #require(try engine.waitForUp(replacing: first).pid)
        #expect(engine.entry()?.scriptRunning == true)
        kill(second, SIGKILL)  // crashes within the script's sleep
        let third = try engine.waitForUp(replacing: second)
        try engine.waitForEntry(1, "with both scripts ended") { !$0.scriptRunning && $0.restartCount == 2 }
        #expect(!FileManager.default.fileExists(atPath: "\(box.folder)/overlap"), "two scripts ran at once")
        #expect(box.pids(of: svc) == [try #require(third.pid)])
        #expect(engine.log.contains("its restart script still runs; the restart waits for it to end"))
    }

    @Test func outOfDescriptors_noHealthyServiceIsTakenForDead() throws {
        let box = try Sandbox("emfile")
        defer { box.close() }
        let svc = try box.service("a")
        let restart = try box.restartScript(for: svc)
        let count = 50
        let lines = (1...count).map { "\(svc):\(restart):0:3:exit:include_strings=100000.\(1000 + $0)" }
        let pfile = try box.pfile(lines, monitorInterval: 1)
        for n in 1...count { _ = try box.startAnotherService(svc, arguments: ["100000.\(1000 + n)"]) }
        let engine = try PcheckRun(box, pfile: pfile, arguments: [], wrapper: ["/bin/sh", "-c", "ulimit -n 32; exec \"$0\" \"$@\""])
        defer { engine.stop() }
        _ = try waitFor("all \(count) entries AVAIL", timeout: 30) {
            engine.state.flatMap { $0.entries.allSatisfy { $0.procSts == .avail } ? true : nil }
        }
        usleep(3_000_000)
        #expect(engine.isRunning)
        #expect(engine.logCount("] Down") == 0, "\(engine.log)")
        #expect(engine.logCount("restart script") == 0)
        #expect(box.pids(of: svc).count == count)
        #expect(engine.log.contains("short of file descriptors"))
    }

    /// Past the descriptor limit a process has no pidfd; as root the engine follows
    /// those through the kernel's exit reports and looks at them itself only every
    /// 5 minutes, instead of reading /proc for every one of them every second.
    @Test(.enabled(if: getuid() == 0, "skipped: the kernel's exit reports need root"))
    func pastTheDescriptorLimit_deathsAreSeenThroughExitReports() throws {
        let box = try Sandbox("exitreports")
        defer { box.close() }
        // ulimit -n 100 leaves 36 pidfds (64 are kept for files and clients): entries 37–60 have none.
        let services = try (1...60).map { try box.service("s\($0)") }
        let lines = try services.map { "\($0):\(try box.restartScript(for: $0)):0:3:exit" }
        let pfile = try box.pfile(lines, monitorInterval: 10)
        for service in services { _ = try box.startService(service) }
        let engine = try PcheckRun(box, pfile: pfile, arguments: [], wrapper: ["/bin/sh", "-c", "ulimit -n 100; exec \"$0\" \"$@\""])
        defer { engine.stop() }
        _ = try waitFor("all 60 entries AVAIL", timeout: 30) {
            engine.state.flatMap { $0.entries.allSatisfy { $0.procSts == .avail } ? true : nil }
        }
        try engine.waitForLog("the processes without a pidfd are followed through the kernel's exit reports")

        let victims = Array(58...60)
        for pentID in victims { #expect(kill(try #require(engine.entry(pentID)?.pid), SIGKILL) == 0) }

        // The engine's own look is 5 minutes away: only the reports can restart them sooner.
        for pentID in victims {
            try engine.waitForEntry(pentID, "restarted", timeout: 10) { $0.restartCount == 1 && $0.procSts == .avail }
        }
        #expect(engine.logCount("] Down") == victims.count, "\(engine.log)")
    }

    @Test(.enabled(if: ResourceLimitProbe.hardDescriptorLimit > 2048))
    func elevenHundredEntries_underTheDefaultSoftLimitOf1024_areAllWatched() throws {
        let box = try Sandbox("many")
        defer { box.close() }
        let svc = try box.service("a")
        let restart = try box.restartScript(for: svc)
        let count = 1100
        let lines = (1...count).map { "\(svc):\(restart):0:3:exit:include_strings=100000.\(10000 + $0)" }
        let pfile = try box.pfile(lines, monitorInterval: 2)
        let starter = try script(box, "start-all.sh", """
            i=1
            while [ $i -le \(count) ]; do
                setsid \(svc) 100000.$((10000 + i)) </dev/null >/dev/null 2>&1 &
                i=$((i + 1))
            done
            """)
        _ = try Program(starter, [], in: box, name: "start-all").wait(timeout: 60)
        _ = try waitFor("\(count) services", timeout: 60) { box.pids(of: svc).count == count ? true : nil }
        let engine = try PcheckRun(box, pfile: pfile, wrapper: ["/bin/sh", "-c", "ulimit -Sn 1024; exec \"$0\" \"$@\""])
        defer { engine.stop() }
        _ = try waitFor("all \(count) entries AVAIL", timeout: 150) {
            engine.state.flatMap { $0.entries.allSatisfy { $0.procSts == .avail } ? true : nil }
        }
        usleep(2_000_000)
        #expect(engine.logCount("] Down") == 0 && engine.logCount("restart script") == 0)
        #expect(!engine.log.contains("short of file descriptors"), "the soft limit is raised to the hard one")
        #expect(box.pids(of: svc).count == count)
    }

    @Test func retryOverExitAtStartUp_leavesTheOtherEntryUntouched() throws {
        let box = try Sandbox("startover")
        defer { box.close() }
        let a = try box.service("a")
        let b = try box.service("b")
        let pfile = try box.pfile(["\(a):\(try box.restartScript(for: a)):0:0:exit",
                                   "\(b):\(try box.restartScript(for: b)):0:3:exit"])
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        #expect(try engine.program.wait(timeout: PcheckRun.patience) == 1)
        #expect(engine.logCount("RETRY_OVER:EXIT") == 1 && engine.logCount(") FATAL") == 1)
        let other = try #require(engine.entry(2))
        #expect(other.procSts == .down && other.restartCount == 0 && other.rerunTime == nil && !other.scriptRunning)
        #expect(box.pids(of: b).isEmpty, "no script ran for entry 2")
    }

    @Test func anEngineStartedWhileItsPredecessorsScriptRuns_waitsForThatScript() throws {
        let box = try Sandbox("adopt")
        defer { box.close() }
        let svc = try box.service("a")
        let restart = try script(box, "start.sh", """
            echo run >> \(box.folder)/runs
            sleep 2
            setsid \(svc) 3600 </dev/null >/dev/null 2>&1 &
            exit 0
            """)
        let pfile = try box.pfile(["\(svc):\(restart):0:3:exit"], monitorInterval: 1)
        let first = try PcheckRun(box, pfile: pfile, logName: "first.log")
        try first.waitForEntry(1, "with its script recorded") { $0.procSts == .restarting && $0.script != nil }
        first.program.signal(SIGKILL)
        _ = try first.program.wait(timeout: 5)
        let second = try PcheckRun(box, pfile: pfile, logName: "second.log")
        defer { second.stop() }
        try second.waitForLog("started by an engine before this one still runs")
        let up = try second.waitForUp()
        usleep(500_000)
        #expect(box.pids(of: svc) == [try #require(up.pid)])
        let runs = try String(contentsOfFile: "\(box.folder)/runs", encoding: .utf8)
        #expect(runs == "run\n", "one script, not one per engine")
    }

    @Test func aScriptThatFailsAtOnce_backsOff_insteadOfStorming() throws {
        let box = try Sandbox("storm")
        defer { box.close() }
        let svc = try box.service("a")
        let failing = try script(box, "fail.sh", "exit 1")
        let pfile = try box.pfile(["\(svc):\(failing):0:1000000:exit"], monitorInterval: 1)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForLog("next restart attempt in 4 s, after 3 failed attempts")
        usleep(3_000_000)
        let started = engine.logCount("restart script \(failing) started")
        // 1 s doubling: after the third failure the next wait is 4 s, so no attempt in the
        // next 3 s (the storm it replaces ran 557 a second; 100 ms doubling, 6 in 3 s).
        #expect(started >= 3 && started <= 4, "\(started) attempts")
    }

    @Test(.enabled(if: Sandbox.canRunBinariesAsNobody))
    func aLookAlikeOfAnotherUser_isNotTakenAsTheSuccessor() throws {
        let box = try Sandbox("lookalike")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let real = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == real }
        let starter = try Program("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                       "/usr/bin/setsid", "-f", svc, "3600"], in: box, name: "nobody")
        _ = try starter.wait(timeout: 5)
        let lookAlike = try waitFor("the look-alike", timeout: 5) { box.pids(of: svc).first { $0 != real } }
        kill(real, SIGKILL)
        let up = try engine.waitForEntry(1, "restarted") { $0.restartCount == 1 && $0.procSts == .avail }
        #expect(up.pid != lookAlike)
        #expect(!engine.log.contains("still running as pid=\(lookAlike)"))
    }

    @Test func aStoppedServiceLongerThanStall_isLoggedHung_killed_andRestarted() throws {
        let box = try Sandbox("stall")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit:stall=2"], monitorInterval: 1)
        let first = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == first }
        kill(first, SIGSTOP)
        try engine.waitForLog("(\(svc) ,pid=\(first)) hung: stopped (state T)")
        let up = try engine.waitForUp(replacing: first)
        #expect(up.restartCount == 1 && up.retryCount == 1)
        #expect(!isAlive(first))
    }

    @Test func aScriptThatExecsTheService_isFollowedAsTheService() throws {
        let box = try Sandbox("exec")
        defer { box.close() }
        let svc = try box.service("a")
        let restart = try script(box, "start.sh", "exec \(svc) 3600")
        let pfile = try box.pfile(["\(svc):\(restart):0:2:exit"], monitorInterval: 1)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        let up = try engine.waitForUp()
        #expect(engine.log.contains("exec'd the program itself"))
        usleep(500_000)
        #expect(engine.entry()?.restartCount == 1, "no second attempt while the exec'd service runs")
        kill(try #require(up.pid), SIGKILL)
        let again = try engine.waitForUp(replacing: up.pid)
        #expect(again.restartCount == 2 && box.pids(of: svc).count == 1)
    }

    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")))
    func pcheckAsPID1_refusesClearly() throws {
        let box = try Sandbox("pid1")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let run = try Program.run("/usr/bin/unshare", ["--pid", "--fork", "--mount-proc", Sandbox.binary("pcheck"),
                                                        "-f", pfile, "--log", "stderr"], in: box)
        #expect(run.code == 2)
        #expect(run.err.contains("refusing to run as PID 1"))
    }
}

enum ResourceLimitProbe {
    static var hardDescriptorLimit: UInt64 {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return UInt64(limit.rlim_max)
    }
}

/// A service that detaches (forks, and its first process exits at once) hands over
/// to its child: the engine follows the child instead of restarting.
@Suite("pcheck and daemons that detach", .serialized, .timeLimit(.minutes(2)))
struct PcheckDetachingDaemonTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func aServiceThatForksAndExits_isFollowedInItsChild_notRestartedAgain() throws {
        let box = try Sandbox("detach")
        defer { box.close() }
        let daemon = "import os, sys, time\nif os.fork(): os._exit(0)\ntime.sleep(3600)\n"
        let program = "\(box.folder)/daemon.py"
        try box.write(program, daemon, permissions: 0o644)
        let restart = try script(box, "start.sh", "/usr/bin/python3 \(program) \(box.tag) </dev/null >/dev/null 2>&1")
        let pfile = try box.pfile(["/usr/bin/python3:\(restart):0:3:exit:include_strings=\(box.tag)"], monitorInterval: 1)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        let first = try engine.waitForUp()
        usleep(1_500_000)
        let settled = try #require(engine.entry())
        #expect(settled.procSts == .avail && settled.restartCount == 1, "\(engine.log)")
        #expect(daemons(box).count == 1, "one daemon, not one per handover")
        _ = first
    }

    /// Pids of this test's daemons (python3 running daemon.py with the sandbox's tag).
    func daemons(_ box: Sandbox) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { name in
            guard let pid = Int32(name), let cmdline = try? FileSystem.readBytes("/proc/\(name)/cmdline"),
                isAlive(pid)
            else { return nil }
            let text = String(decoding: cmdline.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return text.contains("daemon.py \(box.tag)") ? pid : nil
        }
    }
}

/// SIGHUP re-reads the pfile off the loop: a large or hostile one never holds up
/// monitoring while it is parsed.
@Suite("pcheck reloads off the loop", .serialized, .timeLimit(.minutes(2)))
struct PcheckSlowReloadTests {
    @Test func aDeathDuringTheParseOfAHugeBadPfile_isRestartedBeforeTheReloadIsRefused() throws {
        let box = try Sandbox("slowreload")
        defer { box.close() }
        let svc = try box.service("a")
        let good = "\(svc):\(try box.restartScript(for: svc)):0:5:exit"
        let pfile = try box.pfile([good], monitorInterval: 2)
        // Under a parent that reaps it at once: the script waits for the dead process to
        // leave the process table, and PID 1 may reap late (1.5 s on some VMs).
        let first = FileManager.default.isExecutableFile(atPath: RealServer.python)
            ? try RealServer.startUnderReaper(box, svc, delay: 0) : try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == first }
        // About 12 MB of lines that are all colons: the slowest shape the fuzzer found.
        let bad = String(repeating: String(repeating: ":", count: 4000) + "\n", count: 3000)
        let text = try String(contentsOfFile: pfile, encoding: .utf8) + bad
        try box.write(pfile, text, permissions: 0o644)
        kill(engine.pid, SIGHUP)
        kill(first, SIGKILL)
        try engine.waitForUp(replacing: first)
        try engine.waitForLog("pfile reload refused", timeout: 60)
        let log = engine.log
        let restarted = try #require(log.range(of: "restart script \(FileSystem.directoryName(of: svc))"))
        let refused = try #require(log.range(of: "pfile reload refused"))
        #expect(restarted.lowerBound < refused.lowerBound, "the restart waited for the parse:\n\(log)")
        #expect(engine.isRunning)
    }
}
