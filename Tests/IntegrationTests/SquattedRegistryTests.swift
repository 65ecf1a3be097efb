import Foundation
import PsaverState
import PsaverSystem
import Testing

/// Nobody can stop another user's engine from starting or being found.
@Suite("a user's engine beside a squatted registry folder", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: Sandbox.canRunBinariesAsNobody, "needs root, and binaries that nobody may run, for setpriv"))
struct SquattedRegistryTests {
    @Test func aRuntimeFolderSquattedByAnotherUser_doesNotStopNobodysEngine_andPsviewFindsIt() throws {
        let box = try Sandbox("squat")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc)
        let pfile = try box.pfile(["\(svc):\(script):0:3:exit"])
        let nobody: uid_t = 65534
        let runtime = "\(box.folder)/runtime"
        try FileSystem.makeDirectory(runtime, permissions: 0o755)
        // Another user (daemon, uid 1) made nobody's registry folder first.
        try FileSystem.makeDirectory(runtime + "/psaver", permissions: 0o755)
        chown(runtime + "/psaver", 1, 1)
        for path in [box.folder, runtime, svc, script, pfile] { chown(path, nobody, gid_t(65534)) }
        func asNobody(_ binary: String, _ arguments: [String]) throws -> Program {
            try Program("/usr/bin/setpriv",
                        ["--reuid=nobody", "--regid=nogroup", "--clear-groups", Sandbox.binary(binary)] + arguments,
                        in: box, environment: ["XDG_RUNTIME_DIR": runtime, "HOME": "/nonexistent"],
                        name: "\(binary)-nobody")
        }
        _ = try box.startService(svc)
        let engine = try asNobody("pcheck", ["-f", pfile, "--log", "\(box.folder)/pcheck.log"])
        defer { engine.stop() }
        _ = try waitFor("nobody's engine to run", timeout: 15) { () -> Bool? in
            guard engine.isRunning else { throw TimedOut(what: "an engine that ended: \(engine.errors)", seconds: 0) }
            return box.state()?.entries.first?.procSts == .avail ? true : nil
        }
        #expect(((try? String(contentsOfFile: "\(box.folder)/pcheck.log", encoding: .utf8)) ?? "")
            .contains("\(runtime)/psaver is not usable"), "the engine says where it registered instead")
        let psview = try asNobody("psview", ["--once", "--json"])
        _ = try psview.wait(timeout: 15)
        #expect(psview.output.contains(box.stateFile), "psview finds it: \(psview.output)")
        engine.signal(SIGTERM)
        #expect(try engine.wait(timeout: 15) == 0)
    }
}
