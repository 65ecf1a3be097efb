/// Fitting text into columns by display width, for the layout.
enum TextFitting {
    /// `text` cut to at most `width` cells, ending in `…` when cut; never splits a wide
    /// character (the result may then be one cell narrower than `width`).
    static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if displayWidth(of: text) <= width { return text }
        var result = ""
        var used = 0
        for character in text {
            let cells = displayWidth(of: character)
            if used + cells > width - 1 { break }
            result.append(character)
            used += cells
        }
        return result + "…"
    }

    /// `text` cut to `width` cells keeping its end (`…/conf/pfile`), for paths.
    static func truncateHead(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if displayWidth(of: text) <= width { return text }
        var kept: [Character] = []
        var used = 0
        for character in text.reversed() {
            let cells = displayWidth(of: character)
            if used + cells > width - 1 { break }
            kept.append(character)
            used += cells
        }
        return "…" + String(kept.reversed())
    }

    /// `text` truncated to `width` cells, then padded with spaces to exactly `width`.
    static func left(_ text: String, _ width: Int) -> String {
        let cut = truncate(text, to: width)
        return cut + blanks(width - displayWidth(of: cut))
    }

    /// `text` truncated to `width` cells and aligned right.
    static func right(_ text: String, _ width: Int) -> String {
        let cut = truncate(text, to: width)
        return blanks(width - displayWidth(of: cut)) + cut
    }

    /// `count` spaces (none for a count below 1); the usual widths are made once, not at
    /// every cell of every paint.
    static func blanks(_ count: Int) -> String {
        guard count > 0 else { return "" }
        return count < spaces.count ? spaces[count] : String(repeating: " ", count: count)
    }

    private static let spaces = (0..<256).map { String(repeating: " ", count: $0) }

    /// `text` cut to `width` cells by dropping its middle (`Process [/usr/…=3702] Down`),
    /// so that both the subject at the start and the verb at the end stay.
    static func truncateMiddle(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if displayWidth(of: text) <= width { return text }
        let tail = (width - 1) / 3
        let head = truncate(text, to: width - tail)
        let kept = String(head.dropLast())
        return kept + "…" + String(truncateHead(text, to: width - displayWidth(of: kept)).dropFirst())
    }

    /// `text` wrapped into lines of at most `width` cells, at spaces where possible
    /// (long words are cut); continuation lines start with `indent` spaces.
    static func wrap(_ text: String, to width: Int, indent: Int = 0) -> [String] {
        guard width > indent + 1 else { return [truncate(text, to: max(width, 1))] }
        var lines: [String] = []
        var line = ""
        var used = 0
        var limit = width
        func flush() {
            lines.append(line)
            line = String(repeating: " ", count: indent)
            used = indent
            limit = width
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let wordWidth = displayWidth(of: word)
            let space = used > (lines.isEmpty ? 0 : indent) ? 1 : 0
            if used + space + wordWidth <= limit {
                if space == 1 { line.append(" ") }
                line += word
                used += space + wordWidth
                continue
            }
            if used > (lines.isEmpty ? 0 : indent) { flush() }
            for character in word {
                let cells = displayWidth(of: character)
                if used + cells > limit { flush() }
                line.append(character)
                used += cells
            }
        }
        lines.append(line)
        return lines
    }
}
