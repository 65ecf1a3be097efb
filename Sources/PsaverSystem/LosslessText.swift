/// Bytes that may not be UTF-8 (a pfile written in Shift-JIS or EUC-JP) held in a
/// `String` without losing any of them, and given back byte for byte.
///
/// Valid UTF-8 reads as itself. Every byte that is not part of a valid UTF-8
/// sequence (always 0x80–0xFF) reads as the private-use scalar U+10FC00 + byte,
/// U+10FC80–U+10FCFF, and a valid sequence that itself encodes one of those
/// scalars is taken byte by byte the same way, so that the mapping is one to
/// one. `bytes(of:)` undoes it. The result is valid Unicode, so it travels
/// through JSON (the state file) unchanged; docs/encodings.md describes it for
/// readers of the state file.
public enum LosslessText {
    /// The first scalar of the range that stands for raw bytes: U+10FC00 + byte.
    static let base: UInt32 = 0x10_FC00

    /// `bytes` as a String, every byte kept (see the type's comment).
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if let length, !isRawByteScalar(bytes, at: index, length: length) {
                utf8.append(contentsOf: bytes[index..<(index + length)])
                index += length
            } else {
                appendRawByte(bytes[index], to: &utf8)
                index += 1
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// The bytes `text` stands for: UTF-8, with each U+10FC80–U+10FCFF one raw byte.
    public static func bytes(of text: some StringProtocol) -> [UInt8] {
        guard holdsRawBytes(text) else { return Array(text.utf8) }
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            if let raw = rawByte(scalar) {
                bytes.append(raw)
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    /// Whether `text` stands for bytes that are not UTF-8.
    public static func holdsRawBytes(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains { rawByte($0) != nil }
    }

    /// `text` with each raw byte written `\xNN`, for places that can only show UTF-8.
    public static func escaped(_ text: some StringProtocol) -> String {
        guard holdsRawBytes(text) else { return String(text) }
        var result = ""
        for scalar in text.unicodeScalars {
            if let raw = rawByte(scalar) {
                result += "\\x" + String(raw, radix: 16, uppercase: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The raw byte a scalar stands for, or nil for an ordinary scalar.
    public static func rawByte(_ scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        guard value >= base + 0x80, value <= base + 0xFF else { return nil }
        return UInt8(value - base)
    }

    private static func appendRawByte(_ byte: UInt8, to utf8: inout [UInt8]) {
        utf8.append(contentsOf: String(Unicode.Scalar(base + UInt32(byte))!).utf8)
    }

    /// A valid sequence that encodes U+10FC80–U+10FCFF: F4 8F B2 80 … F4 8F B3 BF.
    private static func isRawByteScalar(_ bytes: [UInt8], at index: Int, length: Int) -> Bool {
        length == 4 && bytes[index] == 0xF4 && bytes[index + 1] == 0x8F
            && (bytes[index + 2] == 0xB2 || bytes[index + 2] == 0xB3)
    }

    /// The length of the well-formed UTF-8 sequence at `index` (Unicode table 3-7),
    /// or nil when the byte there does not start one.
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int? {
        let lead = bytes[index]
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < bytes.count && range.contains(bytes[index + offset])
        }
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : nil
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : nil
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : nil
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default: return nil
        }
    }
}
