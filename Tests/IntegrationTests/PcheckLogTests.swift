import Foundation
import PsaverState
import PsaverSystem
import Testing

/// Logs that can't vanish: no syslog socket means stderr, said once; stderr lines
/// carry their level for journald; a log file in a missing folder names the path;
/// SIGUSR1 reopens the log file and the scripts' `.out` file after rotation.
@Suite("pcheck's logs", .serialized, .timeLimit(.minutes(3)))
struct PcheckLogTests {
    /// A sandbox with one running service and its pfile.
    static func running(_ name: String, pents: (String, String) throws -> [String] = { svc, script in
        ["\(svc):\(script):0:3:exit"]
    }) throws -> (Sandbox, String, String) {
        let box = try Sandbox(name)
        let svc = try box.service("a")
        _ = try box.startService(svc)
        return (box, svc, try box.pfile(try pents(svc, try box.restartScript(for: svc))))
    }

    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/dev/log")))
    func withNoSyslogSocket_linesGoToStderr_andThatIsSaidOnce() throws {
        let (box, _, pfile) = try Self.running("nosyslog")
        defer { box.close() }
        let engine = try Program("pcheck", ["-f", pfile, "--log", "syslog"], in: box)
        defer { engine.stop() }
        _ = try waitFor("Up on stderr", timeout: PcheckRun.patience) { engine.errors.contains(") Up") ? true : nil }
        let lines = engine.errors.split(separator: "\n")
        #expect(lines.first?.hasPrefix("<4>") == true, "\(engine.errors)")
        #expect(lines.first?.contains("no syslog at /dev/log: connect: No such file or directory") == true,
                "\(engine.errors)")
        #expect(lines.filter { $0.contains("no syslog") }.count == 1, "\(engine.errors)")
        #expect(lines.contains { $0.contains("Start pcheck!!") })
    }

    @Test func stderrLines_startWithTheirLevel_asJournaldReadsIt_thenTheSyslogStylePrefix() throws {
        let (box, _, pfile) = try Self.running("stderrlvl")
        defer { box.close() }
        let engine = try Program("pcheck", ["-f", pfile, "--log", "stderr"], in: box)
        defer { engine.stop() }
        _ = try waitFor("Up on stderr", timeout: PcheckRun.patience) { engine.errors.contains(") Up") ? true : nil }
        let lines = engine.errors.split(separator: "\n")
        let start = try #require(lines.first { $0.contains("Start pcheck!!") }, "\(engine.errors)")
        #expect(start.hasPrefix("<5>"), "notice: \(start)")
        #expect(start.contains(" pcheck[\(engine.pid)]: Start pcheck!!"), "\(start)")
        #expect(lines.allSatisfy { $0.range(of: #"^<[3-7]>"#, options: .regularExpression) != nil }, "\(engine.errors)")
    }

    @Test func sigusr1_reopensTheLogFile_afterLogrotateMovedIt() throws {
        let (box, _, pfile) = try Self.running("usr1")
        defer { box.close() }
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForLog(") Up")
        let rotated = engine.logPath + ".1"
        #expect(rename(engine.logPath, rotated) == 0)
        engine.program.signal(SIGUSR1)
        try engine.waitForLog("SIGUSR1 Catch (10)!! log files reopened")
        #expect(engine.isRunning)
        #expect(!(try FileSystem.readText(rotated)).contains("SIGUSR1"), "the new line is in the new file")
    }

    @Test func sigusr1_reopensTheScriptsOutFile_forTheNextRestartScript() throws {
        let box = try Sandbox("usr1out")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc, extra: "echo \"script ran at $(date +%s%N)\"")
        let pfile = try box.pfile(["\(svc):\(script):0:5:exit"])
        // Under syslog (there or not), restart scripts write into SHM_DUMP_FILE.out.
        let out = box.stateFile + ".out"
        let engine = try Program("pcheck", ["-f", pfile, "--log", "syslog"], in: box)
        defer { engine.stop() }
        _ = try waitFor("the first script's output", timeout: PcheckRun.patience) {
            ((try? FileSystem.readText(out)) ?? "").contains("script ran") ? true : nil
        }
        let first = try waitFor("the service up", timeout: PcheckRun.patience) {
            box.state()?.entries.first.flatMap { $0.procSts == .avail ? $0.pid : nil }
        }
        #expect(rename(out, out + ".1") == 0)
        engine.signal(SIGUSR1)
        _ = try waitFor("SIGUSR1 to be taken", timeout: PcheckRun.patience) {
            engine.isRunning && (box.state()?.events.contains { $0.text.contains("SIGUSR1") } ?? false) ? true : nil
        }
        kill(first, SIGKILL)
        _ = try waitFor("the second script's output in a new .out", timeout: PcheckRun.patience) {
            ((try? FileSystem.readText(out)) ?? "").contains("script ran") ? true : nil
        }
        #expect((try FileSystem.readText(out + ".1")).components(separatedBy: "script ran").count == 2,
                "the rotated file kept only the first script's line")
    }
}
