import Foundation
import PsaverSystem
import Testing

/// DESIGN §5: the one reader for files someone else may have replaced (pfiles, state
/// files, logs): never blocks, reads only a regular file of sane size, or its tail.
@Suite("Reading a regular file without blocking", .timeLimit(.minutes(1)))
struct RegularFileReadTests {
    let base: String

    init() throws {
        base = try TemporaryDirectory.make(prefix: "psaver-regular")
    }

    private func write(_ name: String, _ count: Int) throws -> String {
        let path = base + "/" + name
        try FileSystem.replaceAtomically(path, with: (0..<count).map { UInt8(truncatingIfNeeded: $0 % 251) })
        return path
    }

    @Test func aFileWithinTheLimit_isReadWhole() throws {
        defer { TemporaryDirectory.removeTree(base) }
        let path = try write("state", 200_000)
        let bytes = try FileSystem.readRegular(path, what: "state file", limit: 200_000)
        #expect(bytes == (0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 251) })
    }

    @Test func aFileOverTheLimit_isRefused_namingThePathAndWhatItShouldBe() throws {
        defer { TemporaryDirectory.removeTree(base) }
        let path = try write("big", 2048)
        let refused = try #require(pathRefusal {
            _ = try FileSystem.readRegular(path, what: "state file", limit: 1024)
        })
        #expect(refused.problem == .tooLarge(size: 2048, limit: 1024))
        #expect(refused.description.hasPrefix("\(path) is 2048 bytes"), "\(refused)")
        #expect(refused.description.contains("this is not a state file"))
    }

    @Test func aTail_isTheLastLimitBytes_ofAFileOverTheLimit() throws {
        defer { TemporaryDirectory.removeTree(base) }
        let path = try write("out", 100_000)
        let bytes = try FileSystem.readRegular(path, what: "log", limit: 70_000, tail: true)
        #expect(bytes == (30_000..<100_000).map { UInt8(truncatingIfNeeded: $0 % 251) })
        #expect(try FileSystem.readRegular(path, what: "log", limit: 200_000, tail: true).count == 100_000,
                "a file within the limit is read whole")
    }

    @Test func aFIFO_isRefusedAtOnce_neverWaitedOn() throws {
        defer { TemporaryDirectory.removeTree(base) }
        #expect(mkfifo(base + "/state", 0o666) == 0)
        let refused = try #require(pathRefusal {
            _ = try FileSystem.readRegular(base + "/state", what: "state file", limit: 1 << 20, links: .follow)
        })
        #expect(refused.reason == "a FIFO or device, not a regular file")
        #expect(refused.description.contains("a state file is a regular file"), "\(refused)")
    }

    @Test func aFolder_isRefused_asAFolder() throws {
        defer { TemporaryDirectory.removeTree(base) }
        let refused = try #require(pathRefusal {
            _ = try FileSystem.readRegular(base, what: "pfile", limit: 1 << 20)
        })
        #expect(refused.reason == "a folder")
    }

    @Test func aLink_isRefusedForFilesPsaverWrites_butFollowedForPathsAnOperatorNames() throws {
        defer { TemporaryDirectory.removeTree(base) }
        let target = try write("real", 10)
        #expect(symlink(target, base + "/link") == 0)
        let refused = try #require(pathRefusal {
            _ = try FileSystem.readRegular(base + "/link", what: "state file", limit: 1 << 20)
        })
        #expect(refused.reason == "a symbolic link")
        #expect(refused.description.contains("never read through a link"), "\(refused)")
        #expect(try FileSystem.readRegular(base + "/link", what: "pfile", limit: 1 << 20, links: .follow).count == 10)
    }

    @Test func aMissingFile_isASystemError_thatNamesIt() throws {
        defer { TemporaryDirectory.removeTree(base) }
        do {
            _ = try FileSystem.readRegular(base + "/none", what: "state file", limit: 1 << 20)
            Issue.record("read a missing file")
        } catch let error as SystemError {
            #expect(error.code == SystemError.noSuchFile)
            #expect(error.description.contains(base + "/none"))
        }
    }
}
