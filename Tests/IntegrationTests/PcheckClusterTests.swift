import Foundation
import PsaverState
import PsaverSystem
import Testing

/// What a cluster manager relies on, run against real processes without a cluster:
/// the retry-over command, the refused stop, the kept retry-over state, and the
/// OCF agent under ocf-tester.
@Suite("pcheck under a cluster", .serialized, .timeLimit(.minutes(3)))
struct PcheckClusterTests {
    @Test func atRetryOver_theCommandRuns_afterTheFinalStateIsWritten_andBeforePcheckExits() throws {
        let box = try Sandbox("hook")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:0:exit"])
        let marker = "\(box.folder)/told-the-cluster"
        // The command sees the final state: it copies engine_sts and the FATAL list it was given.
        let command = ["/bin/sh", "-c", "grep '\"engine_sts\" : ' \"$PSAVER_STATE_FILE\" > \(marker); "
                       + "echo \"fatal=$PSAVER_FATAL resource=$PSAVER_CLUSTER_RESOURCE\" >> \(marker)"]
        let pid = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile,
                                   arguments: ["--cluster-resource", "psaver"] + ["--on-retry-over"] + command)
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == pid }

        kill(pid, SIGKILL)
        #expect(try engine.program.wait(timeout: PcheckRun.patience) == 1)
        let told = (try? String(contentsOfFile: marker, encoding: .utf8)) ?? ""
        #expect(told.contains("\"retry_over\""), "the command ran after the final state was written: \(told)")
        #expect(told.contains("fatal=\(svc) resource=psaver"))
        #expect(engine.log.contains("retry-over command /bin/sh -c"))
        #expect(engine.log.contains("ended: exit status 0"))
        let final = try #require(engine.state)
        #expect(final.engineSts == .retryOver)
        #expect(final.cluster == ClusterRecord(manager: .pacemaker, resource: "psaver"))
        #expect(final.events.last?.text.contains("ended: exit status 0") == true,
                "the command's end is in the state file too")
    }

    @Test func aRetryOverCommandThatHangs_isKilledAfterTenSeconds_andPcheckStillExits() throws {
        let box = try Sandbox("hookhang")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:0:exit"])
        let hang = try box.service("hang")
        let pid = try box.startService(svc)
        let engine = try PcheckRun(box, pfile: pfile, arguments: ["--on-retry-over", hang, "3600"])
        defer { engine.stop() }
        try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == pid }

        let killed = MonotonicInstant.now()
        kill(pid, SIGKILL)
        #expect(try engine.program.wait(timeout: 30) == 1)
        let waited = MonotonicInstant.now() - killed
        #expect(waited >= .seconds(10) && waited < .seconds(25), "bounded by the 10 s limit: \(waited)")
        #expect(engine.log.contains("did not end within 10 s; killed"), "\(engine.log)")
        #expect(box.pids(of: hang).isEmpty, "the hung command was killed, by its process group")
    }

    @Test func aClusterManagedEngine_refusesPadminStop_namesTheClusterCommand_andStopsWithForce() throws {
        let run = try ClusterManagedEngine("clstop", resource: "psaver_tomcat")
        defer { run.close() }
        let (box, pfile) = (run.box, run.pfile)

        let refused = try Program.run("padmin", ["-f", pfile, "-c", "stop"], in: box)
        #expect(refused.code == 8)
        #expect(refused.err.contains("crm resource stop psaver_tomcat"), "\(refused.err)")
        #expect(refused.err.contains("--force"))
        #expect(run.engine.isRunning, "a refused stop changes nothing")

        let param = try Program.run("padmin", ["-f", pfile, "-c", "show", "param"], in: box)
        #expect(param.out.contains("cluster_resource   = psaver_tomcat (pacemaker)"), "\(param.out)")

        let forced = try Program.run("padmin", ["-f", pfile, "-c", "stop", "--force"], in: box)
        #expect(forced.code == 0, "\(forced.err)")
        try run.expectStoppedCleanly()
    }

    /// DESIGN §9: under a cluster manager, stopping is the cluster's job. The engine
    /// itself refuses, so a client that skips padmin (a script writing to the socket)
    /// cannot fail the service over by accident either.
    @Test func aClusterManagedEngine_refusesARawStopOnItsSocket_logsIt_andStopsOnlyWhenForced() throws {
        let run = try ClusterManagedEngine("clraw", resource: "psaver_raw")
        defer { run.close() }
        let (engine, socket) = (run.engine, run.box.stateFile + ".sock")

        let raw = try RawControlClient(socket)
        defer { raw.close() }
        raw.send("{\"cmd\":\"stop\"}\n")
        let answer = try ControlCodec.decodeAnswer(Array(raw.readLine().utf8))
        #expect(!answer.ok)
        #expect(answer.error?.rawValue == "cluster_managed")
        #expect(answer.message.contains("pacemaker resource psaver_raw"), "\(answer.message)")
        #expect(answer.message.contains("crm resource stop psaver_raw"), "\(answer.message)")
        #expect(answer.message.contains("--force"), "\(answer.message)")
        try engine.waitForLog("stop refused")
        #expect(engine.log.contains("psaver_raw"), "the refusal is logged with the resource: \(engine.log)")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(engine.isRunning, "a refused stop changes nothing")
        #expect(engine.state?.engineSts == .running)

        let forced = try RawControlClient(socket)
        defer { forced.close() }
        forced.send("{\"cmd\":\"stop\",\"force\":true}\n")
        #expect(try ControlCodec.decodeAnswer(Array(forced.readLine().utf8)).ok)
        try run.expectStoppedCleanly()
    }

    /// How the OCF agent stops the engine: SIGTERM, which needs no force.
    @Test func aClusterManagedEngine_stopsCleanlyOnSIGTERM() throws {
        let run = try ClusterManagedEngine("clterm", resource: "psaver_term")
        defer { run.close() }
        run.engine.program.signal(SIGTERM)
        try run.expectStoppedCleanly()
        #expect(run.engine.log.contains("SIGTERM Catch (15)!!"))
    }

    @Test func aNewEngine_keepsTheRetryOverStateOfTheOneBefore_andPadminShowsItWithPrevious() throws {
        let box = try Sandbox("previous")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:0:exit"])
        let noPrevious = try Program.run("padmin", ["-f", pfile, "-c", "show", "pent", "--previous"], in: box)
        #expect(noPrevious.code == 1)
        #expect(noPrevious.err.contains("no earlier engine's state is kept"), "\(noPrevious.err)")

        let pid = try box.startService(svc)
        let first = try PcheckRun(box, pfile: pfile)
        defer { first.stop() }
        try first.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == pid }
        kill(pid, SIGKILL)
        #expect(try first.program.wait(timeout: PcheckRun.patience) == 1)

        _ = try box.startService(svc)
        let second = try PcheckRun(box, pfile: pfile, logName: "second.log")
        defer { second.stop() }
        try second.waitForEntry(1, "up again under the new engine") { $0.procSts == .avail }
        let kept = try #require(box.state(box.stateFile + ".previous"))
        #expect(kept.pid.rawValue == first.pid)
        #expect(kept.engineSts == .retryOver)
        #expect(second.log.contains("its final state is kept in \(box.stateFile).previous"))

        let shown = try Program.run("padmin", ["-f", pfile, "-c", "show", "pent", "--previous"], in: box)
        #expect(shown.code == 1, "the kept state is of an engine that is not running")
        #expect(shown.err.contains("exited at retry over"), "\(shown.err)")
        #expect(shown.out.contains("proc_sts        = FATAL"), "\(shown.out)")
        let current = try Program.run("padmin", ["-f", pfile, "-c", "show", "pent"], in: box)
        #expect(current.code == 0)
        #expect(current.out.contains("proc_sts        = AVAIL"))

        // A clean stop is no evidence: the next engine leaves the kept retry-over state alone.
        second.program.signal(SIGTERM)
        #expect(try second.program.wait(timeout: PcheckRun.patience) == 0)
        let third = try PcheckRun(box, pfile: pfile, logName: "third.log")
        defer { third.stop() }
        try third.waitForEntry(1, "up under the third engine") { $0.procSts == .avail }
        #expect(box.state(box.stateFile + ".previous")?.pid.rawValue == first.pid)
    }

    @Test(.enabled(if: FileSystem.isExecutable("/usr/bin/systemd-analyze"), "systemd-analyze is not installed"))
    func theSystemdUnit_verifiesCleanly_andRestartsCrashesButNeverARetryOver() throws {
        let box = try Sandbox("unit")
        defer { box.close() }
        let text = try String(contentsOfFile: PcheckConfigTests.repositoryRoot + "/conf/systemd/psaver@.service",
                              encoding: .utf8)
        // Restart=on-abnormal never looks at exit codes: the exceptions would do nothing.
        #expect(text.contains("\nRestart=on-failure\n"))
        #expect(text.contains("\nRestartPreventExitStatus=1 2 3\n"))
        #expect(text.contains("\nKillMode=process\n"))
        // Verified as installed, with pcheck where the unit expects it (here, the built one).
        let unit = "\(box.folder)/psaver@pfile_tomcat.service"
        try box.write(unit, text.replacingOccurrences(of: "/opt/HA/PS/bin/pcheck", with: Sandbox.binary("pcheck")),
                      permissions: 0o644)
        // --man=no: the man pages the unit names come with the package, not with a checkout.
        let verified = try Program.run("/usr/bin/systemd-analyze", ["verify", "--man=no", unit], in: box, timeout: 60)
        #expect(verified.code == 0)
        #expect(verified.err.isEmpty, "systemd-analyze verify finds nothing to say: \(verified.err)")
    }

    /// Runs the OCF agent's `action` as Pacemaker would, for resource `name`.
    static func agent(_ action: String, name: String, pfile: String, in box: Sandbox) throws
        -> (code: Int32, out: String, err: String)
    {
        try Program.run(PcheckConfigTests.repositoryRoot + "/conf/ocf/pcheck", [action], in: box, environment: [
            "OCF_ROOT": "/usr/lib/ocf", "OCF_RESOURCE_INSTANCE": name, "OCF_RESKEY_pfile": pfile,
            "OCF_RESKEY_binary": Sandbox.binary("pcheck"), "OCF_RESKEY_log": "\(box.folder)/\(name).log",
            "HA_RSCTMP": box.folder,
        ], timeout: 60)
    }

    @Test(.enabled(if: FileSystem.exists("/usr/lib/ocf/lib/heartbeat/ocf-shellfuncs"),
                   "resource-agents is not installed (.ci/run installs it)"))
    func theAgentsStart_saysWhyPcheckRefused_heldIPCKeyIsGeneric_badPfileIsConfigured() throws {
        let box = try Sandbox("ocfstart")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc)
        let pfile = try box.pfile(["\(svc):\(script):0:3:exit"])
        // Same IPCKEY, another state file: the second engine can't take the key.
        let rival = try box.pfile(["\(svc):\(script):0:3:exit"], name: "rival")
        let started = try Self.agent("start", name: "first", pfile: pfile, in: box)
        #expect(started.code == 0, "\(started.err)")
        defer { _ = try? Self.agent("stop", name: "first", pfile: pfile, in: box) }

        let held = try Self.agent("start", name: "second", pfile: rival, in: box)
        #expect(held.code == 1, "OCF_ERR_GENERIC: \(held.err)")
        #expect(held.err.contains("ocf-exit-reason:IPCKEY held by another pcheck"), "\(held.err)")

        let bad = "\(box.folder)/bad"
        try box.write(bad, "##### PARAM #####\nIPCKEY 0x1\n##### PENT #####\n", permissions: 0o644)
        let refused = try Self.agent("start", name: "third", pfile: bad, in: box)
        #expect(refused.code == 6, "OCF_ERR_CONFIGURED: \(refused.err)")
        #expect(refused.err.contains("ocf-exit-reason:pcheck --check -f \(bad) failed"), "\(refused.err)")

        let stopped = try Self.agent("stop", name: "first", pfile: pfile, in: box)
        #expect(stopped.code == 0)
        #expect(box.state()?.engineSts == .stopped)
        #expect(try Self.agent("stop", name: "first", pfile: pfile, in: box).code == 0, "stop is idempotent")
        #expect(try Self.agent("monitor", name: "first", pfile: pfile, in: box).code == 7, "OCF_NOT_RUNNING")
    }

    @Test(.enabled(if: FileSystem.isExecutable("/usr/sbin/ocf-tester") && FileSystem.isExecutable("/usr/bin/xmllint"),
                   "ocf-tester and xmllint are not installed (.ci/run installs resource-agents and libxml2-utils)"))
    func theOCFAgent_passesOcfTester() throws {
        let box = try Sandbox("ocf")
        defer { box.close() }
        let svc = try box.service("a")
        let pfile = try box.pfile(["\(svc):\(try box.restartScript(for: svc)):0:3:exit"])
        let agent = PcheckConfigTests.repositoryRoot + "/conf/ocf/pcheck"
        let result = try Program.run(
            "/usr/sbin/ocf-tester",
            ["-n", "psaver_\(box.tag)", "-o", "pfile=\(pfile)", "-o", "binary=\(Sandbox.binary("pcheck"))",
             "-o", "log=\(box.folder)/pcheck.log", agent], in: box, timeout: 120)
        print("ocf-tester: \(result.out.split(separator: "\n").last ?? "")")
        #expect(result.code == 0, "\(result.out)\n\(result.err)")
        #expect(result.out.contains("passed all tests"), "\(result.out)")
        #expect(box.state()?.engineSts == .stopped, "ocf-tester's last action was a stop")
    }
}

/// One service up under a pcheck started with `--cluster-resource`, as the OCF agent
/// starts it, in a sandbox of its own.
struct ClusterManagedEngine {
    let box: Sandbox
    let service: String
    let servicePID: Int32
    let pfile: String
    let engine: PcheckRun

    init(_ name: String, resource: String) throws {
        box = try Sandbox(name)
        do {
            service = try box.service("a")
            pfile = try box.pfile(["\(service):\(try box.restartScript(for: service)):0:3:exit"])
            servicePID = try box.startService(service)
            engine = try PcheckRun(box, pfile: pfile, arguments: ["--cluster-resource", resource])
        } catch {
            box.close()
            throw error
        }
        let pid = servicePID
        do {
            try engine.waitForEntry(1, "up") { $0.procSts == .avail && $0.pid == pid }
        } catch {
            close()
            throw error
        }
    }

    /// The engine ended with exit 0 and `engine_sts` stopped, and left the service running.
    func expectStoppedCleanly() throws {
        #expect(try engine.program.wait(timeout: PcheckRun.patience) == 0)
        #expect(engine.state?.engineSts == .stopped)
        #expect(box.pids(of: service) == [servicePID], "the service outlives the engine's stop")
    }

    func close() {
        engine.stop()
        box.close()
    }
}
