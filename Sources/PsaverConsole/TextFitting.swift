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
        return cut + String(repeating: " ", count: max(width - displayWidth(of: cut), 0))
    }

    /// `text` truncated to `width` cells and aligned right.
    static func right(_ text: String, _ width: Int) -> String {
        let cut = truncate(text, to: width)
        return String(repeating: " ", count: max(width - displayWidth(of: cut), 0)) + cut
    }
}
