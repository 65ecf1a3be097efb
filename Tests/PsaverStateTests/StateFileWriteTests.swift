import Foundation
import PsaverState
import PsaverSystem
import Testing

@Suite("Writing the state file")
struct StateFileWriteTests {
    @Test func aLinkPlantedAtTheTemporaryName_isNeverWrittenThrough() throws {
        let folder = NSTemporaryDirectory() + "psaver-write-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let victim = folder + "/victim"
        try "precious\n".write(toFile: victim, atomically: false, encoding: .utf8)
        let state = folder + "/state"
        let temporary = "\(folder)/.state.\(ProcessInfo.processInfo.processIdentifier).tmp"
        try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: victim)

        try FileSystem.replaceAtomically(state, with: Array("{}\n".utf8), permissions: 0o644)

        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        #expect(try String(contentsOfFile: state, encoding: .utf8) == "{}\n")
        #expect(try FileSystem.status(of: state, followLinks: false).kind == .regular)
        #expect(try FileSystem.status(of: state).permissions == 0o644)
        #expect(!FileSystem.exists(temporary))
    }
}
