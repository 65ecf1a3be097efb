import Foundation
import PsaverState
import Testing

@Suite("padmin for a user who may not change the engine", .serialized, .timeLimit(.minutes(3)),
       .enabled(if: Sandbox.canRunBinariesAsNobody, "needs root, and binaries that nobody may run, for setpriv"))
struct PadminPermissionTests {
    @Test func aUserWhoIsNeitherRootNorTheOwner_canShow_butNotSwitch_andIsToldWhy() throws {
        let run = try EngineUnderTest("pperm")
        defer { run.close() }
        try run.start()

        let show = try run.padmin(["-c", "show", "pent"], asNobody: true)
        #expect(show.code == 0, "\(show.err)")
        #expect(show.out.contains("pname           = \(run.service)"))
        #expect(try run.padmin(["-c", "show", "param"], asNobody: true).code == 0)

        for command in [["monitor", "off"], ["monitor", "off", "-i", "1"], ["reset"], ["stop"]] {
            let result = try run.padmin(["-c"] + command, asNobody: true)
            #expect(result.code == 3, "\(command): \(result.err)")
            // padmin: SOCKET: permission denied: …, the socket first (ToolError's shape).
            #expect(result.err.hasPrefix("padmin: /"))
            #expect(result.err.contains(".sock: permission denied: only root may change this engine"))
            #expect(result.err.contains("you are nobody"))
            #expect(result.err.split(separator: "\n").count == 1)
        }
        let json = try PadminJSON(try run.padmin(["-c", "monitor", "off", "--json"], asNobody: true).out)
        #expect(json.error == "permission_denied")
        #expect(json.exitCode == 3)
        #expect(run.entry?.monitorSts == .on)
        #expect(run.engine?.isRunning == true)
    }

    /// In the socket's group, nobody can connect; the engine's SO_PEERCRED check refuses it.
    @Test func aUserWhoCanConnect_isStillRefusedByTheEngine_andTheRefusalIsLogged() throws {
        let run = try EngineUnderTest("ppeer")
        defer { run.close() }
        try run.start()
        let result = try run.padmin(["-c", "monitor", "off"], asNobody: true, group: 0)
        #expect(result.code == 3, "\(result.err)")
        #expect(result.err.contains("permission denied"))
        #expect(run.entry?.monitorSts == .on)
        #expect(run.log.contains("control request refused: uid=65534"))
    }
}
