import Foundation
import PsaverState
import PsaverSystem
import Testing

/// DESIGN §3: the engine works as an ordinary user too, with its files in that
/// user's hands and its registry link in that user's folder.
@Suite("pcheck as an ordinary user", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: Sandbox.canRunBinariesAsNobody, "needs root, and binaries that nobody may run, for setpriv"))
struct PcheckOrdinaryUserTests {
    @Test func asNobody_pcheckRestartsItsService_writesItsState_andMayBeSwitchedByItsOwnUser() throws {
        let box = try Sandbox("user")
        defer { box.close() }
        let svc = try box.service("a")
        let script = try box.restartScript(for: svc)
        let pfile = try box.pfile(["\(svc):\(script):0:3:exit"])
        let nobody: uid_t = 65534
        for path in [box.folder, svc, script, pfile] { chown(path, nobody, gid_t(65534)) }
        func asNobody(_ binary: String, _ arguments: [String]) throws -> Program {
            try Program("/usr/bin/setpriv",
                        ["--reuid=nobody", "--regid=nogroup", "--clear-groups", Sandbox.binary(binary)] + arguments,
                        in: box, environment: ["XDG_RUNTIME_DIR": ""], name: "\(binary)-nobody")
        }
        let log = "\(box.folder)/pcheck.log"
        let engine = try asNobody("pcheck", ["-f", pfile, "--log", log])
        defer { engine.stop() }

        let first = try waitFor("the service started by nobody's engine", timeout: 15) { () -> Int32? in
            guard let entry = box.state()?.entries.first, entry.procSts == .avail else { return nil }
            return entry.pid
        }
        let state = try #require(box.state())
        #expect(state.uid == UserID(nobody))
        #expect(try FileSystem.status(of: box.stateFile).owner == UserID(nobody))
        #expect(try FileSystem.readLink("/tmp/psaver-65534/\(box.ipcKey)") == box.stateFile)

        kill(first, SIGKILL)
        _ = try waitFor("a new pid", timeout: 15) { () -> Bool? in
            guard let entry = box.state()?.entries.first, entry.procSts == .avail, entry.pid != first else { return nil }
            return true
        }
        // The engine's own user may switch it, through the socket.
        let off = try asNobody("padmin", ["-f", pfile, "-c", "monitor", "off"])
        #expect(try off.wait(timeout: 15) == 0, "\(off.errors)")
        #expect(box.state()?.entries.first?.monitorSts == .off)

        engine.signal(SIGTERM)
        #expect(try engine.wait(timeout: 15) == 0)
        #expect(!FileSystem.exists("/tmp/psaver-65534/\(box.ipcKey)"), "the link goes when the engine stops")
    }
}
