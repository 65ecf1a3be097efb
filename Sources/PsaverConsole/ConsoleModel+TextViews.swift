import PsaverSystem

/// Keys of the scrolling text views: details, the event log, messages and help.
extension ConsoleModel {
    mutating func open(_ view: ConsoleMode, at scroll: Int) {
        mode = view
        textScroll = scroll
    }

    /// Keys of the scrolling views: move through the lines, close, and in the event log
    /// `/` filters.
    mutating func handleTextView(_ key: ConsoleKey) -> [ConsoleEffect] {
        let closes: Bool
        switch mode {
        case .help: closes = key == .character("?") || key == .function(1)
        case .details: closes = key == .enter
        default: closes = false
        }
        if closes || key == .escape || key == .character("q") {
            if mode == .eventLog, key == .escape, !logFilter.isEmpty {
                logFilter = ""
                return []
            }
            mode = .normal
            return []
        }
        if mode == .eventLog, key == .character("/") {
            mode = .filteringLog
            return []
        }
        if mode == .eventLog, key == .character("e") {
            mode = .normal
            return []
        }
        scrollText(key)
        return []
    }

    mutating func handleLogFilterTyping(_ key: ConsoleKey) {
        switch key {
        case .character(let character): logFilter.append(character)
        case .backspace: if !logFilter.isEmpty { logFilter.removeLast() }
        case .enter: mode = .eventLog
        case .escape:
            logFilter = ""
            mode = .eventLog
        default: return
        }
        textScroll = Int.max
    }

    /// Moves a text view: ↑ ↓ j k by a line, PgUp PgDn by a page, Home g / End G to the ends.
    mutating func scrollText(_ key: ConsoleKey) {
        if mode == .eventLog {
            scrollEventLog(key)
            return
        }
        let height = ConsoleLayout.textViewHeight(self)
        let count = ConsoleLayout.textViewLines(self, now: now ?? WallTime(secondsSinceEpoch: 0)).count
        let last = max(count - height, 0)
        let current = min(textScroll, last)
        let target: Int
        switch key {
        case .up, .character("k"): target = current - 1
        case .down, .character("j"): target = current + 1
        case .pageUp: target = current - max(height - 1, 1)
        case .pageDown: target = current + max(height - 1, 1)
        case .home, .character("g"): target = 0
        case .end, .character("G"): target = Int.max
        default: return
        }
        textScroll = target >= last ? Int.max : max(target, 0)
    }

    /// The event log scrolls by events: a line, a screenful of events, or to either end;
    /// reaching the end follows new events again.
    mutating func scrollEventLog(_ key: ConsoleKey) {
        let height = ConsoleLayout.textViewHeight(self)
        let page = ConsoleLayout.eventLogPage(self, height: height, width: geometry.cols)
        let step = max(page.last - page.first - 1, 1)
        let target: Int
        switch key {
        case .up, .character("k"): target = page.first - 1
        case .down, .character("j"): target = page.first + 1
        case .pageUp: target = page.first - step
        case .pageDown: target = page.first + step
        case .home, .character("g"): target = 0
        case .end, .character("G"): target = Int.max
        default: return
        }
        guard target < page.total else {
            textScroll = Int.max
            return
        }
        var probe = self
        probe.textScroll = max(target, 0)
        let next = ConsoleLayout.eventLogPage(probe, height: height, width: geometry.cols)
        textScroll = next.last >= next.total && next.lines.count < height ? Int.max : max(target, 0)
    }
}
