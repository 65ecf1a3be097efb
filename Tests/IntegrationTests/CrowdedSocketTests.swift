import Foundation
import PsaverState
import PsaverSystem
import Testing

/// DESIGN §6: no number of other clients can lock root out of the control socket.
@Suite("a crowded control socket", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: Sandbox.canRunBinariesAsNobody && FileSystem.isExecutable("/usr/bin/python3"),
                "needs root, setpriv and /usr/bin/python3"))
struct CrowdedSocketTests {
    @Test func anotherUserHoldingManyIdleConnections_neverLocksRootsPadminOut() throws {
        let run = try EngineUnderTest("crowd")
        defer { run.close() }
        try run.start()
        let socket = try #require(run.state?.controlSocket)
        // The socket's group is one `nobody` belongs to, as an operators' group would be.
        chown(socket, uid_t.max, gid_t(65534))
        let drop = "\(run.box.folder)/crowd"
        try FileSystem.makeDirectory(drop, permissions: 0o755)
        chown(drop, 65534, 65534)
        let ready = "\(drop)/ready"
        let holder = try script(run.box, "crowd.py", """
            import socket, time
            held = []
            while True:
                for _ in range(8):
                    s = socket.socket(socket.AF_UNIX)
                    try:
                        s.connect("\(socket)")
                        held.append(s)
                    except OSError:
                        s.close()
                if len(held) >= 40:
                    open("\(ready)", "a").close()
                time.sleep(0.05)
            """)
        let crowd = try Program("/usr/bin/setpriv",
                                ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3", holder],
                                in: run.box, name: "crowd")
        defer { crowd.stop() }
        _ = try waitFor("the crowd to hold its connections", timeout: PcheckRun.patience) { () -> Bool? in
            guard crowd.isRunning else { throw TimedOut(what: "a crowd that ended: \(crowd.errors)", seconds: 0) }
            return FileSystem.exists(ready) ? true : nil
        }
        for round in 1...10 {
            let result = try run.padmin(["-c", "monitor", round % 2 == 0 ? "on" : "off"])
            #expect(result.code == 0, "round \(round): \(result.err)")
        }
    }
}
