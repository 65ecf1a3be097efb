import Foundation
import PsaverSystem

/// A built psaver binary running as a child of the test, its stdout and stderr
/// captured in files in the sandbox.
///
/// Spawned with posix_spawn and waited for with waitpid: Foundation's Process
/// hangs in waitUntilExit under the test runner on Linux.
final class Program {
    let pid: pid_t
    let outputPath: String
    let errorPath: String
    private var status: Int32?

    /// Starts `binary` (a built product name, or an absolute path) with `arguments`;
    /// `environment` entries are added to the test's own.
    init(_ binary: String, _ arguments: [String], in sandbox: Sandbox, environment: [String: String] = [:],
         name: String? = nil)
    throws {
        let path = binary.hasPrefix("/") ? binary : Sandbox.binary(binary)
        let label = "\(name ?? FileSystem.baseName(of: binary)).\(UInt32.random(in: 0...UInt32.max))"
        outputPath = "\(sandbox.folder)/\(label).out"
        errorPath = "\(sandbox.folder)/\(label).err"
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let code = SpawnGate.run { posix_spawn(&child, path, &actions, nil, argv, envp) }
        guard code == 0 else { throw SystemError("posix_spawn", path, code: code) }
        pid = child
    }

    /// Runs a short command to its end; returns exit code, stdout and stderr.
    static func run(_ binary: String, _ arguments: [String], in sandbox: Sandbox,
                    environment: [String: String] = [:], timeout: Double = 20) throws -> (code: Int32, out: String, err: String) {
        let program = try Program(binary, arguments, in: sandbox, environment: environment)
        defer { program.stop() }
        let code = try program.wait(timeout: timeout)
        return (code, program.output, program.errors)
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Whether the program still runs (reaps it when it has ended).
    var isRunning: Bool {
        if status != nil { return false }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid {
            // Exit code, or 128 + signal for a killed program, as shells report it.
            status = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
            return false
        }
        return true
    }

    /// Waits for the program to end; its exit code, or throws after `timeout` seconds.
    func wait(timeout: Double) throws -> Int32 {
        _ = try waitFor("\(FileSystem.baseName(of: outputPath)) to exit", timeout: timeout) { isRunning ? nil : true }
        return status ?? -1
    }

    func signal(_ signal: Int32) { kill(pid, signal) }

    /// Kills the program if it still runs (cleanup after a failed expectation).
    func stop() {
        if isRunning {
            kill(pid, SIGKILL)
            _ = try? wait(timeout: 5)
        }
    }
}
