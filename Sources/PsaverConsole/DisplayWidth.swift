/// Terminal cells a character takes: 2 for East Asian Wide and Fullwidth characters
/// (CJK, kana, Hangul, fullwidth forms, most emoji), 0 for control and zero-width
/// characters, 1 otherwise.
///
/// A grapheme cluster counts as its first scalar, so a base letter with combining marks
/// is one cell. Ambiguous-width characters (`…`, box drawing) count as 1, as in a UTF-8
/// locale without CJK legacy settings. This is a small table, not all of UAX #11, but it
/// covers what pnames and event texts hold.
public func displayWidth(of character: Character) -> Int {
    guard let scalar = character.unicodeScalars.first else { return 0 }
    let value = scalar.value
    if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
    if zeroWidth.contains(where: { $0.contains(value) }) { return 0 }
    if value < 0x1100 { return 1 }
    return wide.contains(where: { $0.contains(value) }) ? 2 : 1
}

/// Cells the whole text takes (see `displayWidth(of:)` for a character).
///
/// Printable ASCII, what most pnames, paths and event texts are, is counted a byte at a
/// time: every paint measures every cell of the rows on screen.
public func displayWidth(of text: some StringProtocol) -> Int {
    if let cells = asciiWidth(of: text) { return cells }
    return text.reduce(0) { $0 + displayWidth(of: $1) }
}

/// The width of `text` when it is all printable ASCII (one cell a byte), else nil.
func asciiWidth(of text: some StringProtocol) -> Int? {
    var count = 0
    for byte in text.utf8 {
        guard byte >= 0x20, byte < 0x7F else { return nil }
        count += 1
    }
    return count
}

private let zeroWidth: [ClosedRange<UInt32>] = [
    0x0300...0x036F, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0xFE00...0xFE0F, 0xFEFF...0xFEFF,
]

private let wide: [ClosedRange<UInt32>] = [
    0x1100...0x115F,  // Hangul Jamo initials
    0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
    0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693,
    0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE,
    0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA,
    0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728, 0x274C...0x274C,
    0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797, 0x27B0...0x27B0,
    0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
    0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
    0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, Hangul compatibility, Kanbun, CJK compatibility
    0x3400...0x4DBF,  // CJK Extension A
    0x4E00...0x9FFF,  // CJK Unified Ideographs
    0xA000...0xA4CF,  // Yi
    0xA960...0xA97F,  // Hangul Jamo Extended-A
    0xAC00...0xD7A3,  // Hangul syllables
    0xF900...0xFAFF,  // CJK compatibility ideographs
    0xFE10...0xFE19, 0xFE30...0xFE6F,  // vertical forms, CJK compatibility forms, small forms
    0xFF00...0xFF60, 0xFFE0...0xFFE6,  // Fullwidth forms
    0x16FE0...0x18CFF, 0x1B000...0x1B2FF,  // Tangut, Kana supplement
    0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
    0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF,
    0x20000...0x3FFFD,  // CJK Extensions B and beyond
]
