import Foundation
import PsaverState
import PsaverSystem
import Testing

/// A `pcheck` started on a sandbox's pfile, its log lines in a file of the sandbox,
/// with the waits the engine tests share.
///
/// Waits are generous (the test machine is loaded): they bound a test's length,
/// never measure the engine.
final class PcheckRun {
    static let patience: Double = 15

    let box: Sandbox
    let program: Program
    let logPath: String
    let stateFile: String

    /// Starts `pcheck -f PFILE --log FILE` plus `arguments`.
    /// `wrapper`, when given, runs first with pcheck's path and arguments after it
    /// (`/bin/sh -c 'ulimit -n 32; exec "$0" "$@"'`).
    init(_ box: Sandbox, pfile: String, arguments: [String] = [], stateFile: String? = nil,
         environment: [String: String] = [:], logName: String = "pcheck.log", wrapper: [String] = []) throws {
        self.box = box
        logPath = "\(box.folder)/\(logName)"
        self.stateFile = stateFile ?? box.stateFile
        let command = [Sandbox.binary("pcheck"), "-f", pfile, "--log", logPath] + arguments
        if let shell = wrapper.first {
            program = try Program(shell, Array(wrapper.dropFirst()) + command, in: box, environment: environment,
                                  name: "pcheck")
        } else {
            program = try Program("pcheck", Array(command.dropFirst()), in: box, environment: environment)
        }
    }

    var pid: Int32 { program.pid }
    var isRunning: Bool { program.isRunning }

    /// The log so far (restart scripts' output included).
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// How many log lines contain `text`.
    func logCount(_ text: String) -> Int {
        log.split(separator: "\n").filter { $0.contains(text) }.count
    }

    /// Waits until a log line contains `text`.
    func waitForLog(_ text: String, timeout: Double = patience) throws {
        do {
            _ = try waitFor("log line \"\(text)\"", timeout: timeout) { log.contains(text) ? true : nil }
        } catch {
            Issue.record("\(diagnosis)")
            throw error
        }
    }

    /// What a failed wait reports: whether pcheck still runs, its stderr and its log.
    var diagnosis: String {
        "pcheck pid \(pid) \(isRunning ? "running" : "ended"); stderr:\n\(program.errors)\nlog:\n\(log)"
    }

    var state: StateDocument? { box.state(stateFile) }

    func entry(_ pentID: Int = 1) -> EntryRecord? {
        state?.entries.first { $0.pentId == pentID }
    }

    /// Waits until entry `pentID` satisfies `condition`; returns it.
    @discardableResult
    func waitForEntry(
        _ pentID: Int = 1, _ what: String, timeout: Double = patience, _ condition: (EntryRecord) -> Bool
    ) throws -> EntryRecord {
        do {
            return try waitFor("entry \(pentID) \(what)", timeout: timeout) {
                entry(pentID).flatMap { condition($0) ? $0 : nil }
            }
        } catch {
            Issue.record("last state of entry \(pentID): \(String(describing: entry(pentID)))\n\(diagnosis)")
            throw error
        }
    }

    /// Waits until entry `pentID` is AVAIL with a pid other than `previous`; returns it.
    @discardableResult
    func waitForUp(_ pentID: Int = 1, replacing previous: Int32? = nil, timeout: Double = patience) throws
        -> EntryRecord
    {
        try waitForEntry(pentID, "AVAIL with a pid other than \(String(describing: previous))", timeout: timeout) {
            $0.procSts == .avail && $0.pid != nil && $0.pid != previous
        }
    }

    /// Sends SIGTERM and waits for the exit code.
    func terminate(timeout: Double = patience) throws -> Int32 {
        program.signal(SIGTERM)
        return try program.wait(timeout: timeout)
    }

    /// Ends pcheck if it still runs (cleanup): SIGTERM first, so that it removes its
    /// registry link and socket as in production; SIGKILL if it does not stop.
    func stop() {
        if program.isRunning {
            program.signal(SIGTERM)
            _ = try? program.wait(timeout: 5)
        }
        program.stop()
    }
}

/// Whether a process runs (not a zombie) with this pid.
func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? FileSystem.readText("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else {
        return false
    }
    return stat[stat.index(close, offsetBy: 2)] != "Z"
}

/// Writes an executable shell script into the sandbox; returns its path.
@discardableResult
func script(_ box: Sandbox, _ name: String, _ body: String) throws -> String {
    let path = "\(box.folder)/\(name)"
    try box.write(path, "#!/bin/sh\n\(body)\n", permissions: 0o755)
    return path
}

extension Sandbox {
    /// Starts one more copy of a service by hand; returns the pid of the new process
    /// (`startService` returns the lowest pid, which is an older copy when one runs).
    func startAnotherService(_ path: String, arguments: [String]) throws -> Int32 {
        let before = Set(pids(of: path))
        let starter = try Program("/usr/bin/setsid", ["-f", path] + arguments, in: self, name: "setsid")
        _ = try starter.wait(timeout: 5)
        return try waitFor("another \(path) to start", timeout: 5) {
            pids(of: path).first { !before.contains($0) }
        }
    }
}
