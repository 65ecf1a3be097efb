import Foundation
import PsaverState
import PsaverSystem
import Testing

/// Issue 9: psview when things go wrong, in a real terminal (tmux) against real engines.
/// Each test names the item of the issue it reproduces.
@Suite("psview when things go wrong", .serialized, .timeLimit(.minutes(10)))
struct PsviewFailureTests {
    /// An engine on `pents` (PENT lines built from the sandbox's services), started and
    /// waited for until its state file lists them.
    final class Engine {
        let box: Sandbox
        let program: Program
        let pfile: String
        let logFile: String

        init(_ box: Sandbox, pents: [String], extraParams: String = "", environment: [String: String] = [:],
             name: String = "pfile") throws
        {
            self.box = box
            pfile = try box.pfile(pents, extraParams: extraParams, name: name)
            logFile = "\(box.folder)/\(name).log"
            program = try Program("pcheck", ["-f", pfile, "--log", logFile], in: box, environment: environment)
            let state = "\(box.folder)/\(name).state", count = pents.count
            _ = try waitFor("every entry AVAIL", timeout: 60) {
                box.state(state).flatMap { state in
                    state.entries.count == count && state.entries.allSatisfy { $0.procSts == .avail } ? true : nil
                }
            }
        }

        var state: StateDocument? { box.state("\(box.folder)/\(FileSystem.baseName(of: pfile)).state") }

        func close() {
            program.signal(SIGCONT)
            program.signal(SIGTERM)
            _ = try? program.wait(timeout: 10)
            program.stop()
        }
    }

    /// A service, up, watched with `retry` restarts and `act` at retry over.
    func pent(_ box: Sandbox, _ name: String, retry: Int = 5, act: String = "stop", scriptExit: Int = 0,
              extra: String = "") throws -> String
    {
        let svc = try box.service(name)
        let script = try box.restartScript(for: svc, exitCode: scriptExit, extra: extra)
        _ = try box.startService(svc)
        return "\(svc):\(script):0:\(retry):\(act)"
    }

    func registryEnvironment(_ box: Sandbox) throws -> [String: String] {
        let runtime = "\(box.folder)/xdg"
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        try FileSystem.setPermissions(runtime, 0o700)
        return ["XDG_RUNTIME_DIR": runtime]
    }

    /// Item 1 (and 8): an engine that stopped at retry over is shown by a psview opened
    /// afterwards, with a banner, not counted as live, until it is dismissed with x.
    @Test func aPsviewOpenedAfterARetryOver_showsTheFailedEngineUntilDismissed() throws {
        let box = try Sandbox("pvfail")
        defer { box.close() }
        let environment = try registryEnvironment(box)
        let engine = try Engine(box, pents: [try pent(box, "dies", retry: 0, act: "exit"), try pent(box, "stays")],
                                environment: environment)
        defer { engine.close() }
        let dying = try #require(engine.state?.entries.first?.pid)
        kill(dying, SIGKILL)
        #expect(try engine.program.wait(timeout: 60) == 1, "retry over with exit")

        let view = try PsviewTmux([], in: box, environment: environment, cols: 200, rows: 30)
        defer { view.close() }
        // As root the registry is /run/psaver, shared: show only this engine.
        try view.showOnly(ipcKey: box.ipcKey)
        let screen = try view.waitForScreen("the failed engine's banner", timeout: 60) {
            $0.contains("!! RETRY OVER") && $0.contains("IPCKEY \(box.ipcKey)")
        }
        #expect(screen.contains("IPCKEY \(box.ipcKey)"))
        #expect(screen.contains("retry over  rows as of"))
        #expect(screen.contains("retry over 1"), "item 8: a dead engine is counted apart from the live ones")
        #expect(screen.line(containing: "svc-\(box.tag)-dies FATAL.")?.contains("!! RETRY OVER") == true, "\(screen)")
        #expect(screen.contains("nothing watches its entries now"), "no cluster runs this engine")
        #expect(screen.line(containing: "svc-\(box.tag)-dies ")?.contains("FATAL") == true)

        try view.send("x")
        try view.waitForScreen("the dismiss question", timeout: 60) { $0.contains("Dismiss engine \(box.ipcKey)") }
        try view.send("y")
        try view.waitForScreen("the engine gone from the screen", timeout: 60) {
            !$0.contains("IPCKEY \(box.ipcKey)") && $0.contains("Dismissed engine")
        }
        let registry = Identity.effectiveUser == .root ? "/run/psaver" : "\(environment["XDG_RUNTIME_DIR"]!)/psaver"
        #expect((try? FileSystem.readLink("\(registry)/\(box.ipcKey)")) == nil, "x removes the registry link")
    }

    /// Item 1: the banner goes when a new engine with that IPCKEY starts (it replaces the
    /// registry link), and the group says running again.
    @Test func aNewEngineWithTheSameIpckey_replacesTheFailedOne() throws {
        let box = try Sandbox("pvagain")
        defer { box.close() }
        let environment = try registryEnvironment(box)
        let engine = try Engine(box, pents: [try pent(box, "dies", retry: 0, act: "exit")], environment: environment)
        defer { engine.close() }
        kill(try #require(engine.state?.entries.first?.pid), SIGKILL)
        #expect(try engine.program.wait(timeout: 60) == 1)
        let view = try PsviewTmux([], in: box, environment: environment, cols: 200, rows: 30)
        defer { view.close() }
        try view.showOnly(ipcKey: box.ipcKey)
        try view.waitForScreen("the banner", timeout: 60) {
            $0.contains("!! RETRY OVER") && $0.contains("IPCKEY \(box.ipcKey)")
        }
        // The operator mends the service, starts it by hand, and starts the engine again
        // (with retry 0, a service still missing would be a retry over at once).
        _ = try box.startService(try box.service("dies"))
        let again = try Program("pcheck", ["-f", engine.pfile, "--log", engine.logFile], in: box, environment: environment)
        defer {
            again.signal(SIGTERM)
            _ = try? again.wait(timeout: 10)
            again.stop()
        }
        let screen = try view.waitForScreen("the new engine running, no banner", timeout: 30) {
            $0.line(containing: "IPCKEY \(box.ipcKey)")?.contains("pid \(again.pid)  running") == true
                && !$0.contains("!! RETRY OVER")
        }
        #expect(screen.contains("svc-\(box.tag)-dies"))
    }

    /// Item 2: a non-root psview finds root's engines in /run/psaver, read-only.
    @Test(.enabled(if: Identity.effectiveUser == .root, "needs root to run an engine as root and psview as nobody"))
    func nobodySeesRootsEngines_readOnly() throws {
        let box = try Sandbox("pvnobody")
        defer { box.close() }
        let engine = try Engine(box, pents: [try pent(box, "web")])
        defer { engine.close() }
        let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                      Sandbox.binary("psview")]
        // /run/psaver is shared with every other root engine on the host: give it time.
        let once = try Program.run(nobody[0], Array(nobody.dropFirst()) + ["--once"], in: box,
                                   environment: ["XDG_RUNTIME_DIR": ""], timeout: 90)
        // Other engines on the host may need attention or have failed: any verdict but "nothing read".
        #expect([0, 1, 2].contains(once.code), "\(once.err)")
        #expect(once.out.contains("IPCKEY \(box.ipcKey)"), "\(once.out)")
        #expect(once.out.line(containing: "IPCKEY \(box.ipcKey)")?.contains("read-only (root)") == true)

        let view = try PsviewTmux(["--reuid=65534", "--regid=65534", "--clear-groups", Sandbox.binary("psview")],
                                  in: box, binary: "/usr/bin/setpriv", cols: 160, rows: 30)
        defer { view.close() }
        try view.showOnly(ipcKey: box.ipcKey)
        try view.waitForScreen("root's engine, read-only", timeout: 60) {
            $0.line(containing: "IPCKEY \(box.ipcKey)")?.contains("read-only (root)") == true
        }
        try view.send("m")
        let screen = try view.waitForScreen("the read-only refusal", timeout: 60) { $0.contains("Read-only:") }
        #expect(!screen.contains("y/n"), "refused before any question")
        #expect(engine.state?.entries.first?.monitorSts == .on)
    }

    /// Item 3: with the engine stopped (SIGSTOP), m y never freezes the screen, a timeout
    /// says "no answer yet" (never "refused"), and after SIGCONT the state file confirms.
    @Test func aCommandToAStoppedEngine_neverFreezesTheScreenNorReportsTheOpposite() throws {
        let box = try Sandbox("pvstop")
        defer { box.close() }
        let engine = try Engine(box, pents: [try pent(box, "web")], extraParams: "MSG_CHECK_INTERVAL 10")
        defer { engine.close() }
        let view = try PsviewTmux(["-f", engine.pfile], in: box)
        defer { view.close() }
        try view.waitForScreen("the row", timeout: 60) { $0.contains("AVAIL") }
        engine.program.signal(SIGSTOP)
        try view.send("m")
        try view.waitForScreen("the question", timeout: 60) { $0.contains("y/n") }
        try view.send("y")
        try view.waitForScreen("the pending mark", timeout: 60) { $0.contains("→off") }
        // Help opens while the request is still out: before the engine's MSG_CHECK_INTERVAL
        // (10 s) has run out, the status line has not said "No answer yet".
        try view.send("?")
        let help = try view.waitForScreen("help, while the command is outstanding", timeout: 10) {
            $0.contains("Help: psview")
        }
        #expect(!help.contains("No answer yet"), "a key is answered at once, not after the request's timeout")
        try view.send("Escape")
        let timedOut = try view.waitForScreen("no answer yet", timeout: 30) { $0.contains("No answer yet") }
        #expect(!timedOut.contains("refused"))
        #expect(timedOut.contains("→off"), "still pending: the state file has not said")
        engine.program.signal(SIGCONT)
        _ = try waitFor("monitoring off in the state file", timeout: 60) {
            engine.state?.entries.first?.monitorSts == .off ? true : nil
        }
        let confirmed = try view.waitForScreen("the confirmation", timeout: 60) { $0.contains("Confirmed by the state file") }
        #expect(confirmed.line(containing: "svc-\(box.tag)-web")?.contains(" off ") == true)
        #expect(!confirmed.contains("refused"))
    }

    /// Item 4 (and 6): p puts the one FATAL entry among many engines first, /FATAL finds
    /// it, n jumps to it, and the selected row keeps its red.
    @Test func oneBadEntryAmongMany_isFirstInTheProblemsView_andFoundByNAndFilter() throws {
        let box = try Sandbox("pvprob")
        defer { box.close() }
        let healthy = try Engine(box, pents: try (1...12).map { try pent(box, "ok\($0)") }, name: "pfile_a")
        defer { healthy.close() }
        let box2 = try Sandbox("pvprob2")
        defer { box2.close() }
        var pents = try (1...12).map { try pent(box2, "fine\($0)") }
        pents.insert(try pent(box2, "broken", retry: 0, act: "stop"), at: 7)
        let sick = try Engine(box2, pents: pents, name: "pfile_b")
        defer { sick.close() }
        let broken = try #require(sick.state?.entries[7].pid)
        kill(broken, SIGKILL)
        _ = try waitFor("the entry FATAL", timeout: 60) { sick.state?.entries[7].procSts == .fatal ? true : nil }

        let view = try PsviewTmux(["-f", healthy.pfile, "-f", sick.pfile], in: box, cols: 100, rows: 24)
        defer { view.close() }
        try view.waitForScreen("the list", timeout: 60) { $0.contains("FATAL 1") }
        try view.send("n")
        var screen = try view.waitForScreen("n on the FATAL row", timeout: 60) {
            $0.line(containing: "> ")?.contains("svc-\(box2.tag)-broken") == true
        }
        #expect(screen.line(containing: "> ")?.contains("FATAL") == true)
        try view.send("g", "p")
        screen = try view.waitForScreen("the problems view", timeout: 60) { $0.contains("ENGINE") }
        let first = try #require(screen.split(separator: "\n").dropFirst(2).first.map(String.init))
        #expect(first.hasPrefix(">") && first.contains("broken") && first.contains("FATAL"), "\(screen)")
        let coloured = view.screen(escapes: true)
        let selected = try #require(coloured.line(containing: "broken"))
        #expect(selected.contains("41m") || selected.contains(";41"), "FATAL keeps its red on the cursor: \(selected)")
        try view.send("p", "/")
        try view.send("-l", "FATAL")
        try view.send("Enter")
        screen = try view.waitForScreen("the filter on a state word", timeout: 60) { $0.contains("(1 of 25)") }
        #expect(screen.contains("svc-\(box2.tag)-broken"))
    }

    /// Item 5: the event log shows every engine's events whole, named by IPCKEY; details
    /// show where the log is and the restart script's own words.
    @Test func theEventLogAndDetails_showTheWholeStoryAndTheScriptsOutput() throws {
        let box = try Sandbox("pvlog")
        defer { box.close() }
        let failing = try pent(box, "mail", retry: 1, act: "stop", scriptExit: 1,
                               extra: "echo 'start-mail: port 25 already in use' >&2; exit 1")
        let engine = try Engine(box, pents: [failing])
        defer { engine.close() }
        let pid = try #require(engine.state?.entries.first?.pid)
        kill(pid, SIGKILL)
        _ = try waitFor("FATAL", timeout: 60) { engine.state?.entries.first?.procSts == .fatal ? true : nil }
        let view = try PsviewTmux(["-f", engine.pfile], in: box, cols: 80, rows: 24)
        defer { view.close() }
        try view.waitForScreen("the row", timeout: 60) { $0.contains("FATAL") }
        try view.send("e")
        var screen = try view.waitForScreen("the event log", timeout: 60) { $0.contains("Event log:") }
        #expect(screen.contains(" \(box.ipcKey) "), "engines are named by IPCKEY")
        #expect(screen.contains("FATAL"))
        try view.send("q", "Enter")
        try view.waitForScreen("details", timeout: 60) { $0.contains("Details of pent 1") }
        try view.send("End")
        screen = try view.waitForScreen("the restart script's output", timeout: 60) { $0.contains("port 25 already in use") }
        #expect(screen.contains("Restart script output: the end of \(engine.logFile)"))
        try view.send("Home")
        screen = try view.waitForScreen("the top of details", timeout: 60) { $0.contains("pname ") }
        try view.send("Down", "Down", "Down", "Down", "Down", "Down", "Down", "Down", "Down", "Down", "Down", "Down",
                      "Down", "Down", "Down", "Down")
        screen = try view.waitForScreen("the log line", timeout: 60) { $0.contains("log             = \(engine.logFile)") }
    }

    /// Item 7: the cursor starts on the top row, whatever order the engines come in.
    @Test func theCursorStartsOnTheTopRow() throws {
        let box = try Sandbox("pvtop")
        defer { box.close() }
        let second = try Engine(box, pents: [try pent(box, "zz")], name: "pfile_z")
        defer { second.close() }
        let box2 = try Sandbox("pvtop2")
        defer { box2.close() }
        let first = try Engine(box2, pents: [try pent(box2, "aa")], name: "pfile_a")
        defer { first.close() }
        // The engine listed last comes first: the cursor must still start at the top.
        let paths = [second.pfile, first.pfile].sorted()
        let view = try PsviewTmux(["-f", paths[1], "-f", paths[0]], in: box)
        defer { view.close() }
        let screen = try view.waitForScreen("both engines", timeout: 60) { $0.components(separatedBy: "AVAIL ").count == 4 }
        let lines = screen.split(separator: "\n").map(String.init)
        let firstGroup = try #require(lines.firstIndex { $0.hasPrefix("== ") })
        #expect(lines[firstGroup].contains(FileSystem.directoryName(of: paths[0])))
        #expect(lines[firstGroup + 1].hasPrefix(">"), "\(screen)")
    }

    /// Item 9: a message longer than the line is marked, and M shows it whole.
    @Test func aLongMessage_canBeReadWhole() throws {
        let box = try Sandbox("pvmsg")
        defer { box.close() }
        let engine = try Engine(box, pents: [try pent(box, "web")])
        defer { engine.close() }
        let view = try PsviewTmux(["-f", engine.pfile], in: box, cols: 80, rows: 24)
        defer { view.close() }
        try view.waitForScreen("the row", timeout: 60) { $0.contains("AVAIL") }
        try view.send("x")
        try view.waitForScreen("a cut message", timeout: 60) { $0.contains("[M: whole]") }
        try view.send("M")
        let screen = try view.waitForScreen("the messages view", timeout: 60) { $0.contains("Messages, oldest first") }
        #expect(screen.replacingOccurrences(of: "\n", with: " ").contains("only an engine that stopped or"))
        #expect(screen.contains("be dismissed."))
    }

    /// Item 10: without a terminal psview says so and suggests --once; --once and
    /// --once --json print every engine without curses.
    @Test func withoutATerminal_psviewSaysSo_andOncePrintsTheTable() throws {
        let box = try Sandbox("pvonce")
        defer { box.close() }
        let engine = try Engine(box, pents: [try pent(box, "web"), try pent(box, "db")])
        defer { engine.close() }
        let blind = try Program.run("psview", ["-f", engine.pfile], in: box)
        #expect(blind.code == 3)
        #expect(blind.out.isEmpty, "no escape codes into a file")
        #expect(blind.err.contains("not a terminal") && blind.err.contains("--once"))

        let once = try Program.run("psview", ["--once", "-f", engine.pfile], in: box)
        #expect(once.code == 0)
        #expect(!once.out.contains("\u{1b}"))
        #expect(once.out.contains("IPCKEY \(box.ipcKey)"))
        #expect(once.out.components(separatedBy: " AVAIL      on ").count == 3, "\(once.out)")

        let json = try Program.run("psview", ["--once", "--json", "-f", engine.pfile], in: box)
        #expect(json.code == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        let engines = try #require(object?["engines"] as? [[String: Any]])
        #expect(engines.count == 1)
        #expect(engines.first?["status"] as? String == "running")
        let state = try #require(engines.first?["state"] as? [String: Any])
        #expect((state["entries"] as? [Any])?.count == 2)
        #expect(state["ipckey"] as? String == box.ipcKey)
    }

    /// DESIGN §5: a FIFO (or anything but a regular file) at a state file's path is shown
    /// as unreadable, never read: psview does not freeze on it.
    @Test func aFifoInPlaceOfAStateFile_isUnreadable_notAFreeze() throws {
        let box = try Sandbox("pvfifo")
        defer { box.close() }
        let fifo = "\(box.folder)/trap.state"
        #expect(mkfifo(fifo, 0o644) == 0)
        // Opening a FIFO for reading blocks until a writer comes: none ever will here.
        let once = try Program.run("psview", ["--once", fifo], in: box, timeout: 60)
        #expect(once.code == 3, "nothing readable")
        #expect(once.out.contains("unreadable: a FIFO or device, not a regular file"), "\(once.out)")
    }

    /// Item 11: a huge retry is shown whole; F1 opens help, which explains the columns;
    /// F10 quits.
    @Test func smallerItems_hugeRetry_F1Help_F10Quit() throws {
        let box = try Sandbox("pvsmall")
        defer { box.close() }
        let engine = try Engine(box, pents: [try pent(box, "web", retry: 1_000_000)])
        defer { engine.close() }
        let view = try PsviewTmux(["-f", engine.pfile], in: box, cols: 80, rows: 40)
        defer { view.close() }
        try view.waitForScreen("the whole retry", timeout: 60) { $0.contains("0/1000000") }
        try view.send("F1")
        // The help's heading may be painted before its lines: wait for the column it explains.
        _ = try view.waitForScreen("help explaining RSTRT", timeout: 60) { $0.contains("Help: psview") && $0.contains("RSTRT") }
        // Issue 18 item 8: in a view F10 goes back, as help says; in the list it quits.
        try view.send("F10")
        try view.waitForScreen("help closed", timeout: 60) { !$0.contains("Help: psview") && $0.contains("0/1000000") }
        try view.send("F10")
        #expect(try view.waitForExit() == 0)
    }
}
