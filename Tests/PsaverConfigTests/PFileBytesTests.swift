import PsaverConfig
import PsaverSystem
import Testing

/// pfile strings are bytes: a pfile written in Shift-JIS or EUC-JP keeps every byte
/// of its pname, include and exclude strings from the file to the matcher.
@Suite struct PFileBytesTests {
    /// テスト in Shift-JIS and in EUC-JP; neither is UTF-8.
    static let shiftJIS: [UInt8] = [0x83, 0x65, 0x83, 0x58, 0x83, 0x67]
    static let eucJP: [UInt8] = [0xA5, 0xC6, 0xA5, 0xB9, 0xA5, 0xC8]

    @Test(arguments: [shiftJIS, eucJP])
    func includeStringsInALegacyEncodingKeepEveryByte(encoded: [UInt8]) throws {
        try withTemporaryFolder { folder in
            try write("#!/bin/sh\nexit 0\n", to: "\(folder)/start.sh", permissions: 0o755)
            var text = Array(pfile(param: ["IPCKEY 0x2a", "SHM_DUMP_FILE state"], pent: []).utf8)
            text += Array("/usr/bin/java:\(folder)/start.sh:0:3:exit:include_strings=-Dname=".utf8) + encoded
                + Array("&tomcat,exclude_strings=".utf8) + encoded + Array("x\n".utf8)
            try FileSystem.replaceAtomically("\(folder)/pfile", with: text, permissions: 0o644)

            let loaded = try PFileLoader.load(path: "\(folder)/pfile")

            let entry = try #require(loaded.entries.first)
            #expect(entry.includeStrings.map { LosslessText.bytes(of: $0) }
                == [Array("-Dname=".utf8) + encoded, Array("tomcat".utf8)])
            #expect(entry.excludeStrings.map { LosslessText.bytes(of: $0) } == [encoded + Array("x".utf8)])
            let note = try #require(loaded.warnings.first { $0.message.contains("not UTF-8") })
            #expect(note.severity == .warning)
            #expect(note.message.contains("include_strings and exclude_strings of pent_id 1"))
            #expect(note.description.contains("\\x83") || note.description.contains("\\xA5"))
        }
    }

    @Test func aUTF8PFileGetsNoEncodingNote() throws {
        try withTemporaryFolder { folder in
            let path = try writePFile(in: folder, options: "include_strings=\u{30C6}\u{30B9}\u{30C8}")
            let loaded = try PFileLoader.load(path: path)
            #expect(loaded.warnings.isEmpty)
            #expect(loaded.entries[0].includeStrings == ["\u{30C6}\u{30B9}\u{30C8}"])
        }
    }

    @Test func anyBytesComeBackAsTheyWentIn() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in 0..<400 {
            let bytes = (0..<(length % 40)).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
            #expect(LosslessText.bytes(of: LosslessText.decode(bytes)) == bytes)
        }
        // The scalars that stand for raw bytes, written as UTF-8 in the file, come back too.
        let lookalike = Array("\u{10FC83}a".utf8)
        #expect(LosslessText.bytes(of: LosslessText.decode(lookalike)) == lookalike)
        #expect(LosslessText.decode(Array("java \u{3042}".utf8)) == "java \u{3042}")
    }

    @Test func rawBytesAreEscapedForUTF8OnlyDisplays() {
        #expect(LosslessText.escaped(LosslessText.decode(Self.shiftJIS[0..<2] + Array("a".utf8))) == "\\x83ea")
    }
}
