extension TextFitting {
    /// A question on at most two lines of `width` cells, cut at words; when even two
    /// are not enough the second is cut, keeping its trailing ` y/n` so the answer
    /// keys are always on screen.
    static func wrapQuestion(_ text: String, width: Int) -> [String] {
        guard width > 4, displayWidth(of: text) > width else { return [text] }
        var first = ""
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        while let word = words.first {
            let candidate = first.isEmpty ? word : first + " " + word
            if displayWidth(of: candidate) > width { break }
            first = candidate
            words.removeFirst()
        }
        if first.isEmpty { first = truncate(words.removeFirst(), to: width) }
        let rest = words.joined(separator: " ")
        if displayWidth(of: rest) <= width { return [first, rest] }
        let keys = " y/n"
        guard rest.hasSuffix(keys) else { return [first, truncate(rest, to: width)] }
        return [first, truncate(String(rest.dropLast(keys.count)), to: width - keys.count) + keys]
    }
}
