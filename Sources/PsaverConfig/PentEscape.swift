/// The escape that lets a PENT field hold the characters that separate fields,
/// options and strings: `\:`, `\,` and `\&` stand for `:`, `,` and `&`, and `\\`
/// for a backslash (`include_strings=127.0.0.1\:6390`). A backslash before any
/// other character is kept as written, so pfiles written before the escape read
/// as they did.
enum PentEscape {
    static let escapable: Set<Character> = [":", ",", "&", "\\"]

    /// Splits at every `separator` that no backslash escapes; the pieces keep their
    /// escapes and their indices in `text` (for diagnostics' columns).
    static func split(_ text: Substring, at separator: Character) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "\\", next < text.endIndex, escapable.contains(text[next]) {
                index = text.index(after: next)
                continue
            }
            if character == separator {
                pieces.append(text[start..<index])
                start = next
            }
            index = next
        }
        pieces.append(text[start..<text.endIndex])
        return pieces
    }

    /// The text with its escapes replaced by the characters they stand for.
    static func unescape(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if character == "\\", next < text.endIndex, escapable.contains(text[next]) {
                result.append(text[next])
                index = text.index(after: next)
            } else {
                result.append(character)
                index = next
            }
        }
        return result
    }
}
