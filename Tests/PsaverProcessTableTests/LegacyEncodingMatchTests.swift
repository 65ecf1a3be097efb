import PsaverConfig
import PsaverProcessTable
import PsaverSystem
import Testing

/// Strings from a pfile in Shift-JIS or EUC-JP (held by `LosslessText`) are
/// compared with /proc byte for byte.
@Suite struct LegacyEncodingMatchTests {
    /// テスト and テキスト in Shift-JIS: both are invalid UTF-8, and would read alike
    /// if invalid bytes were replaced.
    static let test: [UInt8] = [0x83, 0x65, 0x83, 0x58, 0x83, 0x67]
    static let text: [UInt8] = [0x83, 0x65, 0x83, 0x4C, 0x83, 0x58, 0x83, 0x67]

    @Test func aShiftJISIncludeStringFindsItsProcessAndNotItsNeighbour() throws {
        let fixture = try ProcFixture()
        let java = try fixture.program("java")
        try fixture.process(100, arguments: [java], exe: java)
        try fixture.rawCommandLine(100, Array(java.utf8) + [0] + Array("-Dname=".utf8) + Self.test + [0])
        try fixture.process(101, arguments: [java], exe: java)
        try fixture.rawCommandLine(101, Array(java.utf8) + [0] + Array("-Dname=".utf8) + Self.text + [0])
        let entries = [
            entry(1, java, include: [LosslessText.decode(Array("-Dname=".utf8) + Self.test)]),
            entry(2, java, include: [LosslessText.decode(Self.text)]),
            entry(3, java, include: ["-Dname="], exclude: [LosslessText.decode(Self.text)]),
        ]

        let found = fixture.table().findAllMatches(for: entries)

        #expect(found[PentID(1)]?.map(\.pid) == [ProcessID(100)])
        #expect(found[PentID(2)]?.map(\.pid) == [ProcessID(101)])
        #expect(found[PentID(3)]?.map(\.pid) == [ProcessID(100)])
    }

    @Test func anEUCJPPnameIsComparedWithArgvZeroByteForByte() throws {
        let fixture = try ProcFixture()
        let pname = Array("/opt/".utf8) + [0xA5, 0xC6, 0xA5, 0xB9, 0xA5, 0xC8] + Array("/bin/app".utf8)
        try fixture.process(100, arguments: ["x"], exe: nil)
        try fixture.rawCommandLine(100, pname + [0] + Array("serve".utf8) + [0])

        let found = fixture.table().findMatches(for: [entry(1, LosslessText.decode(pname), include: ["serve"])])

        #expect(found[PentID(1)]?.pid == ProcessID(100))
    }
}
