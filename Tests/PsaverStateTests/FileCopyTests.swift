import PsaverSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `FileDescriptor.append(_:bytesOf:from:)`, which a heartbeat copies the state file with.
@Suite("Copying a file's bytes into another")
struct FileCopyTests {
    @Test(arguments: [true, false])
    func aRangeOfOneFile_isAppendedToAnother_inTheKernelOrThroughABuffer(inKernel: Bool) throws {
        let folder = try TemporaryDirectory.make(prefix: "psaver-copy")
        defer { TemporaryDirectory.removeTree(folder) }
        let source = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try FileSystem.replaceAtomically(folder + "/source", with: source)
        let input = FileDescriptor(rawValue: open(folder + "/source", O_RDONLY))
        let output = FileDescriptor(rawValue: open(folder + "/copy", O_WRONLY | O_CREAT | O_EXCL, 0o600))
        defer { input.close() }

        try output.write(Array("head".utf8))
        try output.append(200_000, bytesOf: input, from: 70_001, inKernel: inKernel)
        output.close()

        let copy = try FileSystem.readRegular(folder + "/copy", what: "copy", limit: 1 << 20)
        #expect(copy == Array("head".utf8) + Array(source[70_001..<270_001]))
    }

    @Test(arguments: [true, false])
    func aSourceThatEndsTooSoon_isAnError_notASilentlyShortCopy(inKernel: Bool) throws {
        let folder = try TemporaryDirectory.make(prefix: "psaver-copy")
        defer { TemporaryDirectory.removeTree(folder) }
        try FileSystem.replaceAtomically(folder + "/source", with: Array(repeating: 1, count: 1_000))
        let input = FileDescriptor(rawValue: open(folder + "/source", O_RDONLY))
        let output = FileDescriptor(rawValue: open(folder + "/copy", O_WRONLY | O_CREAT | O_EXCL, 0o600))
        defer { input.close(); output.close() }

        #expect(throws: SystemError.self) { try output.append(2_000, bytesOf: input, from: 0, inKernel: inKernel) }
    }
}
