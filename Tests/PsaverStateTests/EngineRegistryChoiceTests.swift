import PsaverState
import PsaverSystem
import Testing

/// Which folder a user's engine registers in, when another user got there first.
@Suite("EngineRegistry: choosing a user's folder")
struct EngineRegistryChoiceTests {
    let user = UserID(1000)

    @Test func theRuntimeDirectoryComesFirst_thenTheSharedTmp_thenHome() {
        let all = EngineRegistry.candidates(user: user, runtimeDirectory: "/run/user/1000", home: "/home/ops")
        #expect(all.map(\.folder) == ["/run/user/1000/psaver", "/tmp/psaver-1000", "/home/ops/.psaver"])
        let noRuntime = EngineRegistry.candidates(user: user, runtimeDirectory: nil, home: "/")
        #expect(noRuntime.map(\.folder) == ["/tmp/psaver-1000"])
    }

    @Test func aSquattedSharedFolder_isPassedOver_forTheUsersHome() {
        let chosen = EngineRegistry.standard(user: user, runtimeDirectory: nil, home: "/home/ops") {
            $0 != "/tmp/psaver-1000"
        }
        #expect(chosen.folder == "/home/ops/.psaver")
    }

    @Test func aSquattedFolder_isRefusedAsUnusable() throws {
        let scratch = try TemporaryDirectory.make(prefix: "psaver-registry")
        defer { TemporaryDirectory.removeTree(scratch) }
        let squatted = scratch + "/psaver-squat"
        try FileSystem.makeDirectory(squatted, permissions: 0o777)
        try FileSystem.setPermissions(squatted, 0o777)
        #expect(!EngineRegistry.isUsable(squatted), "a folder others can write is never used")
        #expect(EngineRegistry.isUsable(scratch + "/fresh"))
    }
}
