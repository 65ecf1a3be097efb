import Foundation
import PsaverState
import PsaverSystem
import Testing

/// Start, stop, the IPCKEY lock, the state file and the registry link.
@Suite("pcheck start and stop", .serialized, .timeLimit(.minutes(3)))
struct PcheckLifecycleTests {
    @Test func sigterm_stopsTheEngineCleanly_andLeavesTheRestartedServiceRunning() throws {
        let box = try Sandbox("sigterm")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        // Not running at start-up: pcheck's restart script starts it, in a session of its own.
        let service = try #require(try engine.waitForUp().pid)

        #expect(try engine.terminate() == 0)
        #expect(engine.log.contains("SIGTERM Catch (15)!!"))
        #expect(engine.log.contains("Stop pcheck!!"))
        #expect(engine.state?.engineSts == .stopped)
        #expect(engine.entry()?.pid == service)
        usleep(500_000)
        #expect(isAlive(service), "stopping the engine must never stop the service it restarted")
        #expect(box.pids(of: svc) == [service])
    }

    @Test func sigint_stopsTheEngineLikeSigterm() throws {
        let box = try Sandbox("sigint")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let service = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.pid == service }

        engine.program.signal(SIGINT)
        #expect(try engine.program.wait(timeout: PcheckRun.patience) == 0)
        #expect(engine.log.contains("SIGINT Catch (2)!!"))
        #expect(engine.log.contains("Stop pcheck!!"))
        #expect(engine.state?.engineSts == .stopped)
        #expect(isAlive(service))
    }

    @Test func aServiceRunningAtStartUp_isShownAvailAtOnce_notAMonitorIntervalLater() throws {
        let box = try Sandbox("startup")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"], monitorInterval: 60)
        let service = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        // Well inside the 60 s MONITOR_INTERVAL: the start-up lookup itself must reach the state file.
        let entry = try engine.waitForEntry(1, "AVAIL in the state file", timeout: 10) { $0.procSts == .avail }
        #expect(entry.pid == service)
        #expect(entry.retryCount == 0)
        #expect(entry.restartCount == 0)
        #expect(entry.rerunTime == nil)
        #expect(engine.log.contains("(\(svc) ,pid=\(service)) Up"))
    }

    @Test func aSecondEngineOnTheSameIpckey_exitsWithCode3_whileTheFirstRuns() throws {
        let box = try Sandbox("ipckey")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc)
        let pfile = try box.pfile(["\(svc):\(script):0:3:exit"])
        // Another pfile with the same IPCKEY (the sandbox's) but its own state file.
        let other = try box.pfile(["\(svc):\(script):0:3:exit"], name: "other")
        _ = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile)
        defer { engine.stop() }
        try engine.waitForUp()

        let second = try Program.run("pcheck", ["-f", other, "--log", "\(box.folder)/second.log"], in: box)
        #expect(second.code == 3)
        #expect(second.err.contains("another pcheck already runs with IPCKEY \(box.ipcKey)"), "\(second.err)")
        #expect(engine.isRunning)
        #expect(!FileManager.default.fileExists(atPath: "\(box.folder)/other.state"),
                "the refused engine must not write a state file")
        #expect(try engine.terminate() == 0)

        // Once the first has stopped, the key is free again.
        let third = try PcheckRun(box, pfile: other, stateFile: "\(box.folder)/other.state", logName: "third.log")
        defer { third.stop() }
        try third.waitForUp()
        #expect(try third.terminate() == 0)
    }

    @Test func aStateFileThatCannotBeWritten_isARuntimeFault_exitCode4() throws {
        let box = try Sandbox("fault")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc)
        // SHM_DUMP_FILE under a regular file: its folder can never be created.
        try box.write("\(box.folder)/plain", "not a folder\n", permissions: 0o644)
        let pfile = try box.pfile(["\(svc):\(script):0:3:exit"])
        try box.write(pfile, try FileSystem.readText(pfile).replacingOccurrences(
            of: "\(box.folder)/pfile.state", with: "\(box.folder)/plain/pfile.state"), permissions: 0o644)

        let result = try Program.run("pcheck", ["-f", pfile, "--log", "stderr"], in: box)
        #expect(result.code == 4, "\(result.err)")
        #expect(result.err.contains("\(box.folder)/plain"), "says which path failed: \(result.err)")
        #expect(box.pids(of: svc).isEmpty, "nothing is restarted by an engine that cannot record it")
    }

    @Test func theStateFile_isWorldReadableJsonWithTheContractKeys_andIsRegistered() throws {
        let box = try Sandbox("state")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit:include_strings=3600"],
                                  monitorInterval: 1)
        let service = try box.startService(svc)
        let runtime = "\(box.folder)/xdg"
        let registry = Identity.effectiveUser == .root ? "/run/psaver" : "\(runtime)/psaver"
        let link = "\(registry)/\(box.ipcKey)"
        let engine = try PcheckRun(box, pfile: pfile, environment: ["XDG_RUNTIME_DIR": runtime])
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.pid == service }

        let status = try FileSystem.status(of: box.stateFile)
        #expect(status.permissions == 0o644)
        #expect(status.owner == Identity.effectiveUser)

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: box.stateFile)))
                as? [String: Any])
        for key in ["version", "pid", "started_at", "heartbeat_at", "pfile", "ipckey", "params",
                    "control_socket", "engine_sts", "entries", "events"] {
            #expect(json[key] != nil, "state file key \(key)")
        }
        #expect(json["version"] as? Int == 1)
        #expect(json["pid"] as? Int == Int(engine.pid))
        #expect(json["pfile"] as? String == pfile)
        #expect(json["ipckey"] as? String == box.ipcKey)
        #expect(json["engine_sts"] as? String == "running")
        #expect(json["control_socket"] as? String == box.stateFile + ".sock")
        let params = try #require(json["params"] as? [String: Any])
        #expect(params["MONITOR_INTERVAL"] as? Int == 1)
        #expect(params["SHM_DUMP_FILE"] as? String == box.stateFile)
        for key in ["IPCKEY", "MSG_CHECK_INTERVAL"] { #expect(params[key] != nil, "params key \(key)") }
        let entries = try #require(json["entries"] as? [[String: Any]])
        let entry = try #require(entries.first)
        for key in ["pent_id", "pname", "pid", "retry_count", "restart_count", "proc_sts", "retry_over_act",
                    "rerun_time", "include_strings", "monitor_sts"] {
            #expect(entry[key] != nil, "entry key \(key)")
        }
        #expect(entry["pent_id"] as? Int == 1)
        #expect(entry["pname"] as? String == svc)
        #expect(entry["pid"] as? Int == Int(service))
        #expect(entry["proc_sts"] as? String == "AVAIL")
        #expect(entry["retry_over_act"] as? String == "exit")
        #expect(entry["rerun_time"] is NSNull, "rerun_time is null before any restart")
        #expect(entry["include_strings"] as? String == "3600")
        #expect(entry["monitor_sts"] as? String == "on")
        let events = try #require(json["events"] as? [[String: Any]])
        #expect(events.contains { $0["text"] as? String == "(\(svc) ,pid=\(service)) Up" && $0["pent_id"] as? Int == 1 })
        #expect(events.allSatisfy { $0["time"] is String })

        // The heartbeat moves on while nothing else happens (MONITOR_INTERVAL 1 s).
        let heartbeat = try #require(engine.state?.heartbeatAt)
        _ = try waitFor("a newer heartbeat", timeout: 10) { engine.state?.heartbeatAt != heartbeat ? true : nil }

        #expect(try FileSystem.readLink(link) == box.stateFile)
        #expect(FileSystem.exists(box.stateFile + ".sock"))

        #expect(try engine.terminate() == 0)
        #expect((try? FileSystem.readLink(link)) == nil, "the registry link must go when the engine stops")
        #expect(!FileSystem.exists(box.stateFile + ".sock"), "the control socket must go when the engine stops")
        #expect(FileSystem.exists(box.stateFile), "the last state stays for operators to read")
    }

    /// DESIGN §5: after a retry over the link stays, so that a console opened afterwards
    /// still finds the engine and shows which entry went FATAL (issue 9, item 1).
    @Test func theRegistryLink_staysAfterRetryOver() throws {
        let box = try Sandbox("reglink")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:0:exit"])
        let service = try box.startService(svc)
        let runtime = "\(box.folder)/xdg"
        let registry = Identity.effectiveUser == .root ? "/run/psaver" : "\(runtime)/psaver"
        let engine = try PcheckRun(box, pfile: pfile, environment: ["XDG_RUNTIME_DIR": runtime])
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.pid == service }
        #expect(try FileSystem.readLink("\(registry)/\(box.ipcKey)") == box.stateFile)

        kill(service, SIGKILL)
        #expect(try engine.program.wait(timeout: PcheckRun.patience) == 1)
        #expect((try? FileSystem.readLink("\(registry)/\(box.ipcKey)")) == box.stateFile)
        #expect(engine.state?.engineSts == .retryOver)
    }
}
