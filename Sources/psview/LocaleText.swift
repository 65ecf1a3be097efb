#if canImport(Glibc)
import Glibc
#endif
import PsaverState
import PsaverSystem

/// The pfile's strings as the screen shows them: a pname or include string
/// written in Shift-JIS or EUC-JP reaches psview as raw bytes (`LosslessText`);
/// they are decoded with the locale's character set (`nl_langinfo(CODESET)`,
/// through iconv), and where that fails, or the locale is UTF-8, each byte that
/// is not UTF-8 is shown as `\xNN`. Text that is UTF-8 already is left alone.
enum LocaleText {
    /// The locale's character set, read once (LC_CTYPE from the environment).
    static let codeset: String = {
        _ = setlocale(LC_CTYPE, "")
        guard let name = nl_langinfo(nl_item(CODESET)) else { return "UTF-8" }
        return String(cString: name)
    }()

    /// `document` with its entries' pname, include and exclude strings and its
    /// events' text made displayable; the same document when none holds raw bytes.
    static func displayed(_ document: StateDocument) -> StateDocument {
        let raw = document.entries.contains {
            LosslessText.holdsRawBytes($0.pname) || LosslessText.holdsRawBytes($0.includeStrings)
                || LosslessText.holdsRawBytes($0.excludeStrings)
        } || document.events.contains { LosslessText.holdsRawBytes($0.text) }
        guard raw else { return document }
        var shown = document
        for index in shown.entries.indices {
            shown.entries[index].pname = display(shown.entries[index].pname)
            shown.entries[index].includeStrings = display(shown.entries[index].includeStrings)
            shown.entries[index].excludeStrings = display(shown.entries[index].excludeStrings)
        }
        for index in shown.events.indices { shown.events[index].text = display(shown.events[index].text) }
        return shown
    }

    /// One string: decoded with the locale's character set when it holds raw bytes
    /// and decodes whole, else with those bytes escaped.
    static func display(_ text: String) -> String {
        guard LosslessText.holdsRawBytes(text) else { return text }
        let upper = codeset.uppercased()
        if upper != "UTF-8" && upper != "UTF8", let decoded = decode(LosslessText.bytes(of: text), from: codeset) {
            return decoded
        }
        return LosslessText.escaped(text)
    }

    /// `bytes` in `charset` as a String, or nil when iconv can't convert them all.
    /// The corresponding C functions are `iconv_open`, `iconv` and `iconv_close`.
    static func decode(_ bytes: [UInt8], from charset: String) -> String? {
        let converter = iconv_open("UTF-8", charset)
        guard let converter, converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 16)
        let outputSize = output.count
        var written = 0
        let ok = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress
                var inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress
                var outLeft = outputSize
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                written = outputSize - outLeft
                return result != -1 && inLeft == 0
            }
        }
        guard ok else { return nil }
        return String(validating: output[..<written].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
