import Foundation
import PsaverState
import PsaverSystem
import Testing

/// DESIGN §3: a restart script gets stdin from /dev/null, stdout and stderr into the
/// log, and no other descriptor: never one of the engine's pidfds, sockets, state
/// or lock files, nor one that pcheck itself inherited without close-on-exec.
@Suite("What a restart script inherits", .serialized, .timeLimit(.minutes(2)))
struct ScriptDescriptorTests {
    @Test func aRestartScript_holdsOnlyItsThreeStandardDescriptors() throws {
        let box = try Sandbox("fds")
        defer { box.close() }
        let pidFile = box.folder + "/script.pid"
        let services = try (0..<4).map { try box.service("s\($0)") }
        // The script leaves its pid, starts the service and becomes `sleep`: the test
        // reads what that process holds, which is what the script was given.
        let restart = box.folder + "/start-listed.sh"
        try box.write(restart, """
            #!/bin/sh
            echo $$ > \(pidFile).tmp && mv \(pidFile).tmp \(pidFile)
            setsid \(services[0]) 3600 </dev/null >/dev/null 2>&1 &
            exec sleep 5

            """, permissions: 0o755)
        let others = try services.dropFirst().map { "\($0):\(try box.restartScript(for: $0)):0:3:exit" }
        let pfile = try box.pfile(["\(services[0]):\(restart):0:3:exit"] + others)
        let pids = try services.map { try box.startService($0) }
        // Started the way a careless parent might: fd 7 left open without close-on-exec.
        let engine = try PcheckRun(box, pfile: pfile, wrapper: [
            "/bin/sh", "-c", "exec 7>>\(box.folder)/inherited; exec \"$0\" \"$@\"",
        ])
        defer { engine.stop() }
        for (index, pid) in pids.enumerated() {
            try engine.waitForEntry(index + 1, "up") { $0.procSts == .avail && $0.pid == pid }
        }
        kill(pids[0], SIGKILL)
        let script = try waitFor("the script's pid", timeout: 15) {
            (try? FileSystem.readText(pidFile)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let fds = try waitFor("sleep in the script's place", timeout: 5) { () -> [String]? in
            guard (try? FileSystem.readLink("/proc/\(script)/exe"))?.hasSuffix("sleep") == true else { return nil }
            return try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(script)/fd")
        }
        let held = Dictionary(uniqueKeysWithValues: fds.compactMap { name -> (Int, String)? in
            guard let fd = Int(name), let target = try? FileSystem.readLink("/proc/\(script)/fd/\(name)") else { return nil }
            return (fd, target)
        })
        let text = "\(held.sorted { $0.key < $1.key })"
        #expect(held[0] == "/dev/null", "\(text)")
        #expect(held[1] != nil && held[2] != nil, "\(text)")
        let leaked = held.filter { $0.key > 2 }
        #expect(leaked.isEmpty, "descriptors beyond stdin, stdout and stderr: \(leaked)")
        kill(script, SIGKILL)
    }
}
