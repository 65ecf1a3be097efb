import CNcursesw
import PsaverConsole

/// Semantic styles to curses attributes: colour pairs on the terminal's own
/// background, or bold, reverse and dim only when colours are off.
enum Palette {
    private enum Pair: Int16, CaseIterable {
        case bar = 1, title, group, ok, warn, bad, fatal, prompt

        var colors: (foreground: Int16, background: Int16) {
            switch self {
            case .bar: (Int16(COLOR_BLACK), Int16(COLOR_CYAN))
            case .title: (Int16(COLOR_BLACK), Int16(COLOR_GREEN))
            case .group: (Int16(COLOR_CYAN), -1)
            case .ok: (Int16(COLOR_GREEN), -1)
            case .warn: (Int16(COLOR_YELLOW), -1)
            case .bad: (Int16(COLOR_RED), -1)
            case .fatal: (Int16(COLOR_WHITE), Int16(COLOR_RED))
            case .prompt: (Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
            }
        }
    }

    /// Defines every pair once, after `start_color` and `use_default_colors`.
    static func defineColorPairs() {
        for pair in Pair.allCases {
            init_pair(pair.rawValue, pair.colors.foreground, pair.colors.background)
        }
    }

    /// The attribute for `style`: colours if `color`, else monochrome attributes only.
    static func attributes(for style: CellStyle, color: Bool) -> Int32 {
        let bold = psaver_a_bold(), reverse = psaver_a_reverse(), dim = psaver_a_dim()
        func pair(_ pair: Pair) -> Int32 { psaver_color_pair(Int32(pair.rawValue)) }
        if color {
            switch style {
            case .normal: return 0
            case .header: return pair(.bar)
            case .title: return pair(.title)
            case .group: return pair(.group) | bold
            case .selected: return reverse | bold
            case .ok: return pair(.ok)
            case .warn: return pair(.warn) | bold
            case .bad: return pair(.bad) | bold
            case .fatal: return pair(.fatal) | bold
            case .dim: return dim
            case .key: return pair(.bar)
            case .prompt: return pair(.prompt) | bold
            }
        }
        switch style {
        case .normal, .ok: return 0
        case .header, .selected: return reverse
        case .title: return bold | psaver_a_underline()
        case .group, .warn, .bad, .key: return bold
        case .fatal: return bold | psaver_a_underline()
        case .dim: return dim
        case .prompt: return reverse | bold
        }
    }
}
