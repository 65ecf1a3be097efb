import Foundation
import PsaverState
import PsaverSystem
import Testing

/// DESIGN §3 and issue 8: the one rule for every path the engine creates or opens.
/// These run as any user; the cases that need a second user are integration tests.
@Suite("Opening the engine's own folders and files", .timeLimit(.minutes(1)))
struct TrustedDirectoryTests {
    let base: String

    init() throws {
        base = try TemporaryDirectory.make(prefix: "psaver-trusted")
    }

    @Test func aMissingFolderIsCreatedWithExactlyTheModeAsked() throws {
        defer { TemporaryDirectory.removeTree(base) }
        let folder = try TrustedDirectory(base + "/a/b", creatingWith: 0o700)
        #expect(try FileSystem.status(of: folder.path).permissions == 0o700)
        #expect(try FileSystem.status(of: base + "/a").kind == .directory)
    }

    @Test func aFolderOthersMayWrite_isRefusedAsTheTarget_withTheFix() throws {
        defer { TemporaryDirectory.removeTree(base) }
        try FileSystem.setPermissions(base, 0o775)
        let refused = try #require(pathRefusal { _ = try TrustedDirectory(base) })
        #expect(refused.problem == .writableByOthers(0o775))
        #expect(refused.description.contains("chmod go-w \(base)"))
    }

    @Test func aStickySharedFolder_mayBeAParent_butNeverTheStateFolder() throws {
        defer { TemporaryDirectory.removeTree(base) }
        try FileSystem.setPermissions(base, 0o1777)
        let refused = try #require(pathRefusal { _ = try TrustedDirectory(base) })
        #expect(refused.description.contains("a folder of its own"))
        _ = try TrustedDirectory(base, shared: true)
        _ = try TrustedDirectory(base + "/own", creatingWith: 0o755)
    }

    @Test func aWorldWritableFolderWithoutStickyBit_isRefusedEvenAsAParent() throws {
        defer { TemporaryDirectory.removeTree(base) }
        try FileSystem.setPermissions(base, 0o777)
        #expect(pathRefusal { _ = try TrustedDirectory(base + "/own", creatingWith: 0o755) } != nil)
        #expect(!FileSystem.exists(base + "/own"), "nothing is created under a folder that is refused")
    }

    @Test func aFIFOWhereAFileBelongs_isRefusedAtOnce_neverWaitedOn() throws {
        defer { TemporaryDirectory.removeTree(base) }
        #expect(mkfifo(base + "/state.out", 0o666) == 0)
        let folder = try TrustedDirectory(base)
        let refused = try #require(pathRefusal { _ = try folder.openForAppending("state.out") })
        #expect(refused.description.contains("FIFO"))
    }

    @Test func aLinkWhereAFileBelongs_isNeverWrittenThrough() throws {
        defer { TemporaryDirectory.removeTree(base) }
        let victim = base + "/victim"
        try FileSystem.replaceAtomically(victim, with: Array("keep".utf8))
        #expect(symlink(victim, base + "/x.log") == 0)
        let folder = try TrustedDirectory(base)
        let refused = try #require(pathRefusal { _ = try folder.openForAppending("x.log") })
        #expect(refused.problem == .symbolicLink)
        #expect(try FileSystem.readText(victim) == "keep")
    }

    @Test func replace_writesTheWholeFile_andLeavesNoTemporaryBehind() throws {
        defer { TemporaryDirectory.removeTree(base) }
        let folder = try TrustedDirectory(base)
        try folder.replace("state", with: Array("one".utf8))
        try folder.replace("state", with: Array("two".utf8))
        #expect(try FileSystem.readText(base + "/state") == "two")
        #expect(try FileSystem.status(of: base + "/state").permissions == 0o644)
        #expect(try FileSystem.contents(ofDirectory: base) == ["state"])
    }

    @Test func aFlockIsHeldByOneDescriptorAtATime() throws {
        defer { TemporaryDirectory.removeTree(base) }
        let folder = try TrustedDirectory(base)
        let first = try #require(try folder.lockFile(".lock"))
        #expect(try folder.lockFile(".lock") == nil)
        first.close()
        // Other tests in this process spawn programs, and a child holds a copy of
        // the descriptor from its fork until its exec closes it (close-on-exec):
        // the lock is free once they have exec'd, microseconds as a rule.
        let deadline = ContinuousClock.now + .seconds(2)
        var again = try folder.lockFile(".lock")
        while again == nil, ContinuousClock.now < deadline { again = try folder.lockFile(".lock") }
        try #require(again != nil)
        again?.close()
    }

    @Test func aDeletedFolderIsNoticed_andComesBackWhenOpenedAgain() throws {
        defer { TemporaryDirectory.removeTree(base) }
        let folder = try TrustedDirectory(base + "/state", creatingWith: 0o755)
        #expect(folder.isInPlace)
        TemporaryDirectory.removeTree(base + "/state")
        #expect(!folder.isInPlace)
        _ = try TrustedDirectory(base + "/state", creatingWith: 0o755)
        #expect(FileSystem.exists(base + "/state"))
    }
}
