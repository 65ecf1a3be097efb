import Foundation
import PsaverState
import PsaverSystem
import Testing

/// Nothing plugged into the engine's output can fail a service.
@Suite("pcheck whose log reader exits", .serialized, .timeLimit(.minutes(3)))
struct LogReaderTests {
    @Test func aLogReaderThatExits_failsNoRestart_andTheScriptsOutputGoesToTheirFile() throws {
        let box = try Sandbox("logpipe")
        defer { box.close() }
        let svc = try box.service("a")
        // The script writes before it starts the service, as real ones do.
        let start = try box.restartScript(for: svc, extra: "echo starting; echo starting >&2")
        let pfile = try box.pfile(["\(svc):\(start):0:5:exit"])
        var pid = try box.startService(svc)
        // `pcheck --log stderr | head -n 1`: the reader exits after one line.
        let pipeline = try Program("/bin/sh", [
            "-c", "\"$0\" \"$@\" 2>&1 >/dev/null | head -n 1 >\(box.folder)/head.out",
            Sandbox.binary("pcheck"), "-f", pfile, "--log", "stderr",
        ], in: box, name: "pipeline")
        defer { pipeline.stop() }
        _ = try waitFor("the reader to have exited", timeout: PcheckRun.patience) {
            ((try? String(contentsOfFile: "\(box.folder)/head.out", encoding: .utf8)) ?? "").isEmpty ? nil : true
        }
        _ = try waitFor("the engine to see its service", timeout: PcheckRun.patience) {
            box.state()?.entries.first.flatMap { $0.pid == pid ? true : nil }
        }
        for round in 1...3 {
            kill(pid, SIGKILL)
            let previous = pid
            pid = try waitFor("restart \(round)", timeout: PcheckRun.patience) {
                box.state()?.entries.first.flatMap { entry -> Int32? in
                    guard entry.procSts == .avail, let now = entry.pid, now != previous else { return nil }
                    return now
                }
            }
            let entry = try #require(box.state()?.entries.first)
            #expect(entry.retryCount == round, "no failed attempt: \(entry)")
        }
        #expect(box.state()?.engineSts == .running)
        let output = (try? String(contentsOfFile: box.stateFile + ".out", encoding: .utf8)) ?? ""
        #expect(output.components(separatedBy: "starting").count - 1 == 6, "scripts wrote into STATE.out: \(output)")
    }
}
