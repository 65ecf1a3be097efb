import PsaverSystem
import Testing

/// Reading `fdinfo` flags: who has a pfile open for writing.
@Suite("OpenWriters: a file's writers")
struct OpenWritersTests {
    @Test func writeOnlyAndReadWriteDescriptors_areWriters_readOnlyOnesAreNot() {
        #expect(OpenWriters.isWritable(fdinfo: "pos:\t0\nflags:\t0100001\nmnt_id:\t30\n"))
        #expect(OpenWriters.isWritable(fdinfo: "pos:\t0\nflags:\t0100002\n"))
        #expect(!OpenWriters.isWritable(fdinfo: "pos:\t0\nflags:\t0100000\n"))
        #expect(!OpenWriters.isWritable(fdinfo: "garbage"))
    }

    @Test func thisProcessWritingAFile_isNotCountedAsAWriterOfIt() throws {
        let folder = try TemporaryDirectory.make(prefix: "psaver-writers")
        defer { TemporaryDirectory.removeTree(folder) }
        let path = folder + "/pfile"
        let file = try FileDescriptor.openForAppending(path)
        defer { file.close() }
        #expect(OpenWriters.pids(of: path).isEmpty, "the engine itself is never waited for")
    }
}
