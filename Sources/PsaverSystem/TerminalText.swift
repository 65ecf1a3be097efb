/// Text from files and sockets made safe to print on an operator's terminal.
///
/// A state file, a pfile or an engine's answer can hold escape sequences (a
/// title change, a cleared screen, a forged prompt). Every control character but
/// tab (and, when asked, line feed) becomes U+FFFD, one column for one, so
/// nothing read is ever obeyed by the terminal and quoted columns still line up.
public enum TerminalText {
    public static func visible(_ text: some StringProtocol, keepingLineBreaks: Bool = false) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool {
            if scalar == "\t" || (keepingLineBreaks && scalar == "\n") { return false }
            return scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || scalar == "\u{2028}" || scalar == "\u{2029}"
        }
        guard text.unicodeScalars.contains(where: isControl) else { return String(text) }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(isControl(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(result)
    }
}
