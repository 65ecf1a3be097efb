import PsaverState
import PsaverSystem
import Testing
@testable import psview

/// psview shows a pfile's legacy-encoded strings decoded with the locale's
/// character set, or with the bytes escaped when they can't be decoded.
@Suite struct LocaleTextTests {
    static let shiftJIS: [UInt8] = [0x83, 0x65, 0x83, 0x58, 0x83, 0x67]
    static let eucJP: [UInt8] = [0xA5, 0xC6, 0xA5, 0xB9, 0xA5, 0xC8]

    @Test func shiftJISAndEUCJPBytesDecodeWithTheirCharacterSets() {
        #expect(LocaleText.decode(Self.shiftJIS, from: "SHIFT_JIS") == "\u{30C6}\u{30B9}\u{30C8}")
        #expect(LocaleText.decode(Self.eucJP, from: "EUC-JP") == "\u{30C6}\u{30B9}\u{30C8}")
    }

    @Test func bytesThatDoNotDecodeAreEscaped() {
        #expect(LocaleText.decode([0x83], from: "SHIFT_JIS") == nil)
        let text = LosslessText.decode(Array("-D".utf8) + [0xFF])
        // Under a UTF-8 or C locale (the test's), raw bytes are shown as \xNN.
        if ["UTF-8", "ANSI_X3.4-1968"].contains(LocaleText.codeset.uppercased()) {
            #expect(LocaleText.display(text) == "-D\\xFF")
        }
        #expect(LocaleText.display("plain") == "plain")
    }
}
