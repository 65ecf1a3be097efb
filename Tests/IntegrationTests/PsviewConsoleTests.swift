import Foundation
import PsaverState
import PsaverSystem
import Testing

/// psview in a real terminal (tmux) against real engines and real processes.
@Suite("psview in tmux", .serialized, .timeLimit(.minutes(10)))
struct PsviewConsoleTests {
    /// A running engine watching `names` (copies of sleep, already up).
    struct Fixture {
        let box: Sandbox
        let engine: Program
        let services: [String]
        let pfile: String

        init(_ names: [String] = ["web", "db"], environment: [String: String] = [:]) throws {
            box = try Sandbox("pv")
            var pents: [String] = []
            var started: [String] = []
            for name in names {
                let svc = try box.service(name)
                let script = try box.restartScript(for: svc)
                pents.append("\(svc):\(script):0:5:stop")
                _ = try box.startService(svc)
                started.append(svc)
            }
            services = started
            pfile = try box.pfile(pents)
            engine = try Program("pcheck", ["-f", pfile, "--log", "stderr"], in: box, environment: environment)
            let box = box, count = names.count
            _ = try waitFor("every entry AVAIL", timeout: 15) {
                box.state().flatMap { state in
                    state.entries.count == count && state.entries.allSatisfy { $0.procSts == .avail } ? true : nil
                }
            }
        }

        var pids: [Int32] { box.state()?.entries.compactMap(\.pid) ?? [] }

        func close() {
            engine.signal(SIGTERM)
            _ = try? engine.wait(timeout: 10)
            engine.stop()
            box.close()
        }
    }

    @Test func theList_showsEveryEntryWithItsPidAndState() throws {
        let fixture = try Fixture(["web", "db", "batch"])
        defer { fixture.close() }
        let view = try PsviewTmux(["-f", fixture.pfile], in: fixture.box)
        defer { view.close() }
        let pids = fixture.pids
        #expect(pids.count == 3)
        let screen = try view.waitForScreen("three rows with their pids") { screen in
            pids.allSatisfy { screen.line(containing: " \($0) ")?.contains("AVAIL") == true }
        }
        #expect(screen.contains("running"))
        #expect(screen.contains(fixture.engine.pid.description))
        #expect(screen.contains("q Quit"))
    }

    @Test func mThenY_switchesMonitoringOffInTheEngine() throws {
        let fixture = try Fixture(["web", "db"])
        defer { fixture.close() }
        let view = try PsviewTmux([fixture.box.stateFile], in: fixture.box)
        defer { view.close() }
        try view.waitForScreen("the rows") { $0.contains("AVAIL") }
        try view.send("m")
        try view.waitForScreen("the y/n question") { $0.contains("y/n") }
        #expect(fixture.box.state()?.entries.first?.monitorSts == .on, "nothing is sent before the answer")
        try view.send("y")
        _ = try waitFor("monitor_sts off in the state file", timeout: 10) {
            fixture.box.state()?.entries.first?.monitorSts == .off ? true : nil
        }
        #expect(fixture.box.state()?.entries.last?.monitorSts == .on)
        // As an operator would check it: padmin reads the same engine.
        let shown = try Program.run("padmin", ["-f", fixture.pfile, "-c", "show", "pent", "-i", "1"], in: fixture.box)
        #expect(shown.code == 0)
        #expect(shown.out.contains("monitor_sts     = off"), "\(shown.out)")
        let pid = try #require(fixture.pids.first)
        try view.waitForScreen("off on the first row") { $0.line(containing: " \(pid) ")?.contains(" off ") == true }
    }

    @Test func killingAWatchedProcess_showsItsNewPid() throws {
        let fixture = try Fixture(["web"])
        defer { fixture.close() }
        let view = try PsviewTmux(["-f", fixture.pfile], in: fixture.box)
        defer { view.close() }
        let first = try #require(fixture.pids.first)
        try view.waitForScreen("the first pid") { $0.contains(" \(first) ") }
        kill(first, SIGKILL)
        let second = try waitFor("a new pid in the state file", timeout: 15) { () -> Int32? in
            guard let entry = fixture.box.state()?.entries.first, entry.procSts == .avail,
                let pid = entry.pid, pid != first
            else { return nil }
            return pid
        }
        let screen = try view.waitForScreen("the new pid \(second)", timeout: 5) { $0.contains(" \(second) ") }
        #expect(!screen.contains(" \(first) "))
        #expect(screen.line(containing: " \(second) ")?.contains("AVAIL") == true)
    }

    @Test func resizingTo80x24_keepsTheRowsAndTheKeyHelp() throws {
        let fixture = try Fixture(["web", "db"])
        defer { fixture.close() }
        let view = try PsviewTmux(["-f", fixture.pfile], in: fixture.box, cols: 120, rows: 40)
        defer { view.close() }
        let pids = fixture.pids
        try view.waitForScreen("the rows") { screen in pids.allSatisfy { screen.contains(" \($0) ") } }
        try view.resize(cols: 80, rows: 24)
        let screen = try view.waitForScreen("the 80×24 screen") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count <= 25 && lines.allSatisfy { $0.count <= 80 }
                && lines.contains { $0.contains("q Quit") } && pids.allSatisfy { screen.contains(" \($0) ") }
        }
        #expect(screen.contains("AVAIL"))
        #expect(screen.contains("m Monitor"))
    }

    @Test func q_leavesWithExitCodeZero() throws {
        let fixture = try Fixture(["web"])
        defer { fixture.close() }
        let view = try PsviewTmux(["-f", fixture.pfile], in: fixture.box)
        defer { view.close() }
        try view.waitForScreen("the rows") { $0.contains("AVAIL") }
        try view.send("q")
        #expect(try view.waitForExit() == 0)
        #expect(fixture.engine.isRunning, "quitting the console leaves the engine alone")
    }

    @Test func withNoArguments_psviewFindsTheRunningEngine() throws {
        // As a user the registry is $XDG_RUNTIME_DIR/psaver: a private one for this test.
        // As root it is /run/psaver, shared with any other engine on the host.
        let runtime = "/tmp/psaver-it-runtime-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        try FileSystem.setPermissions(runtime, 0o700)
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        let environment = ["XDG_RUNTIME_DIR": runtime]
        let fixture = try Fixture(["web"], environment: environment)
        defer { fixture.close() }
        let view = try PsviewTmux([], in: fixture.box, environment: environment)
        defer { view.close() }
        let pid = try #require(fixture.pids.first)
        // As root the registry is shared with every engine other tests run at the same
        // time (one has 1,100 entries): show only this one, as an operator would.
        try view.showOnly(ipcKey: fixture.box.ipcKey)
        let screen = try view.waitForScreen("the engine found through the registry") { screen in
            screen.contains("pid \(fixture.engine.pid)") && screen.line(containing: " \(pid) ")?.contains("AVAIL") == true
        }
        #expect(screen.contains(fixture.box.ipcKey))
    }

    @Test func noColor_drawsNoColourCodes() throws {
        let fixture = try Fixture(["web"])
        defer { fixture.close() }
        // With colours, to show the check below can see them at all.
        let colourful = try PsviewTmux(["-f", fixture.pfile], in: fixture.box)
        defer { colourful.close() }
        try colourful.waitForScreen("colour codes", escapes: true) { Self.hasColour($0) && $0.contains("AVAIL") }
        for (arguments, environment) in [([String](), ["NO_COLOR": "1"]), (["--no-color"], [:])] {
            let plain = try PsviewTmux(arguments + ["-f", fixture.pfile], in: fixture.box, environment: environment)
            defer { plain.close() }
            let screen = try plain.waitForScreen("the rows", escapes: true) { $0.contains("AVAIL") && $0.contains("q") }
            #expect(!Self.hasColour(screen), "\(arguments) \(environment) drew colours:\n\(screen)")
            #expect(screen.contains("\u{1b}["), "bold and reverse still mark the header and the selection")
        }
    }

    @Test func theDemo_runsItsToyServicesAndQStopsThemAll() throws {
        let box = try Sandbox("pvdemo")
        defer { box.close() }
        let view = try PsviewTmux(["--demo"], in: box, cols: 120, rows: 30)
        defer { view.close() }
        let screen = try view.waitForScreen("the demo's entries", timeout: 20) { screen in
            screen.contains("demo-web") && screen.contains("FATAL") && screen.components(separatedBy: "AVAIL").count >= 3
        }
        #expect(screen.contains("データベース"))
        let group = try #require(screen.line(containing: "psview-demo-"))
        let folder = try #require(group.split(separator: " ").first { $0.contains("psview-demo-") }
            .map { FileSystem.directoryName(of: String($0)) })
        let engine = try #require(group.components(separatedBy: "pid ").last?.split(separator: " ").first
            .flatMap { Int32($0) })
        defer { Self.killEverything(under: folder) }
        #expect(FileManager.default.fileExists(atPath: folder))
        try view.send("q")
        #expect(try view.waitForExit(timeout: 20) == 0)
        #expect(kill(engine, 0) != 0, "the demo engine is stopped")
        #expect(Self.processes(under: folder).isEmpty, "the toy services are stopped")
        #expect(!FileManager.default.fileExists(atPath: folder), "the demo folder is removed")
    }

    @Test func sigterm_restoresTheTerminalAndStopsTheDemoEngine() throws {
        let box = try Sandbox("pvterm")
        defer { box.close() }
        let view = try PsviewTmux(["--demo"], in: box)
        defer { view.close() }
        let screen = try view.waitForScreen("the demo's entries", timeout: 20) { $0.contains("FATAL") }
        let group = try #require(screen.line(containing: "psview-demo-"))
        let folder = try #require(group.split(separator: " ").first { $0.contains("psview-demo-") }
            .map { FileSystem.directoryName(of: String($0)) })
        defer { Self.killEverything(under: folder) }
        #expect(view.format("#{alternate_on}") == "1", "curses holds the terminal")
        let psview = try #require(view.psviewPID())
        kill(psview, SIGTERM)
        #expect(try view.waitForExit(timeout: 20) == 0)
        #expect(view.format("#{alternate_on}") == "0", "the terminal is given back")
        #expect(Self.processes(under: folder).isEmpty, "the demo engine and its services are stopped")
        #expect(!FileManager.default.fileExists(atPath: folder))
    }

    /// Whether SGR sequences set a foreground or background colour (30–38, 40–48, 90–107).
    static func hasColour(_ screen: String) -> Bool {
        let pattern = try! NSRegularExpression(pattern: "\u{1b}\\[([0-9;:]*)m")
        let range = NSRange(screen.startIndex..., in: screen)
        for match in pattern.matches(in: screen, range: range) {
            let parameters = (screen as NSString).substring(with: match.range(at: 1))
            for parameter in parameters.split(whereSeparator: { $0 == ";" || $0 == ":" }) {
                guard let code = Int(parameter) else { continue }
                if (30...38).contains(code) || (40...48).contains(code) || (90...107).contains(code) { return true }
            }
        }
        return false
    }

    static func processes(under folder: String) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name in
            guard let pid = Int32(name), let cmdline = try? FileSystem.readBytes("/proc/\(name)/cmdline"),
                let stat = try? FileSystem.readText("/proc/\(name)/stat"), !stat.contains(") Z ")
            else { return nil }
            return String(decoding: cmdline, as: UTF8.self).contains(folder + "/") ? pid : nil
        }
    }

    /// Cleanup after a failed expectation: the demo's processes, by pid, and its folder.
    static func killEverything(under folder: String) {
        guard folder.contains("psview-demo-") else { return }
        for pid in processes(under: folder) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: folder)
    }
}
