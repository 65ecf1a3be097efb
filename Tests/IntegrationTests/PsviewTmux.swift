import Foundation
import PsaverSystem

/// A psview running in a detached tmux session on a private server (`tmux -L`), so a
/// test can type keys and read the screen the way an operator would.
///
/// The pane runs `env TERM=tmux-256color LANG=C.UTF-8 … psview ARGS; echo $? > FILE`, so
/// it needs no TERM in the test's own environment (CI runs tests without one), and the
/// exit code is kept after the pane closes. `close()` kills only this private server.
final class PsviewTmux {
    let socket: String
    let exitFile: String
    private let box: Sandbox

    init(_ arguments: [String], in box: Sandbox, environment: [String: String] = [:],
         binary: String = Sandbox.binary("psview"), cols: Int = 100, rows: Int = 30) throws
    {
        self.box = box
        socket = "psaver-test-\(box.tag)-\(UInt16.random(in: 0...UInt16.max))"
        exitFile = "\(box.folder)/psview.\(socket).exit"
        let settings = ["TERM": "tmux-256color", "LANG": "C.UTF-8", "NCURSES_NO_UTF8_ACS": "1"]
            .merging(environment) { $1 }
        // The test runner may itself run with NO_COLOR set: only `environment` decides.
        let command = (["env", "-u", "NO_COLOR"] + settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            + [binary] + arguments).map(Self.quoted).joined(separator: " ")
            + "; echo $? > \(Self.quoted(exitFile)); sleep 120"  // the pane stays, to be looked at
        let started = try tmux(["new-session", "-d", "-x", String(cols), "-y", String(rows), command])
        guard started.code == 0 else { throw TmuxError(message: "tmux new-session failed: \(started.err)") }
    }

    /// The screen as text (`capture-pane -p`), or with SGR escapes too (`-e`).
    func screen(escapes: Bool = false) -> String {
        (try? tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : [])).out) ?? ""
    }

    /// A tmux format of the pane (`#{alternate_on}`, `#{pane_pid}`, …).
    func format(_ format: String) -> String {
        ((try? tmux(["display", "-p", format]).out) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// psview's pid: the child of the pane's shell.
    func psviewPID() -> Int32? {
        guard let shell = Int32(format("#{pane_pid}")),
            let children = try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        else { return nil }
        return children.split(separator: " ").first.flatMap { Int32($0) }
    }

    /// Types keys (tmux key names: `m`, `y`, `Enter`, `Escape`, `Down`).
    func send(_ keys: String...) throws {
        _ = try tmux(["send-keys"] + keys)
    }

    func resize(cols: Int, rows: Int) throws {
        _ = try tmux(["resize-window", "-x", String(cols), "-y", String(rows)])
    }

    /// Waits until the screen satisfies `probe`; returns the screen then, once it has
    /// settled. Polls every 100 ms.
    ///
    /// A capture can catch a paint half-way (the rows drawn, the status line not yet:
    /// seen under load), so a passing screen is captured again until two captures
    /// 50 ms apart agree; the settled one is returned if it still passes.
    @discardableResult
    func waitForScreen(_ what: String, timeout: Double = 15, escapes: Bool = false,
                       _ probe: (String) -> Bool) throws -> String
    {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen(escapes: escapes)
            if probe(last) {
                var settled = last
                for _ in 0..<10 {
                    usleep(50_000)
                    let again = screen(escapes: escapes)
                    if again == settled { break }
                    settled = again
                }
                return probe(settled) ? settled : last
            }
            usleep(100_000)
        }
        throw TmuxError(message: "timed out after \(timeout) s waiting for \(what); the screen was:\n\(last)")
    }

    /// psview's exit code once it has ended.
    func waitForExit(timeout: Double = 15) throws -> Int32 {
        try waitFor("psview to exit", timeout: timeout) {
            (try? String(contentsOfFile: exitFile, encoding: .utf8)).flatMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }

    /// Kills this test's tmux server (and the psview in it) only.
    func close() {
        _ = try? tmux(["kill-server"])
    }

    private func tmux(_ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        try Program.run("/usr/bin/tmux", ["-L", socket] + arguments, in: box, timeout: 10)
    }

    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

struct TmuxError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension String {
    /// The screen line that contains `needle`.
    func line(containing needle: String) -> String? {
        split(separator: "\n").first { $0.contains(needle) }.map(String.init)
    }
}

extension PsviewTmux {
    /// Filters the screen to one engine, as an operator would: as root the registry
    /// is /run/psaver, shared with every engine other tests run at the same time.
    func showOnly(ipcKey: String) throws {
        try waitForScreen("psview's first screen", timeout: 60) { $0.contains("Recent events") }
        try send("/")
        try send("-l", ipcKey)
        try send("Enter")
        try waitForScreen("the filter applied", timeout: 30) { $0.contains("Filter: \"\(ipcKey)\"") }
    }
}
