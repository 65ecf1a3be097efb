import PsaverSystem

/// How the console writes the state file's ISO 8601 times.
enum TimeText {
    /// `10:50:12` for a time on `now`'s day, `2026/11/24` for an earlier one, `-----`
    /// for none (as padmin prints an empty rerun_time). Unparseable text is shown as is.
    static func short(_ iso: String?, now: WallTime) -> String {
        guard let iso else { return "-----" }
        guard let time = WallTime(iso8601: iso) else { return iso }
        return sameDay(time, now) ? time.clock : String(time.display.prefix(10))
    }

    /// `10:50:12` on `now`'s day, else `2026/11/24 10:50:12`: for event lines.
    static func event(_ iso: String, now: WallTime) -> String {
        guard let time = WallTime(iso8601: iso) else { return iso }
        return sameDay(time, now) ? time.clock : time.display
    }

    /// `2026/11/25 10:50:12`, or `-----`: the details view, like `padmin -c show pent`.
    static func full(_ iso: String?) -> String {
        guard let iso else { return "-----" }
        return WallTime(iso8601: iso)?.display ?? iso
    }

    private static func sameDay(_ a: WallTime, _ b: WallTime) -> Bool {
        a.display.prefix(10) == b.display.prefix(10)
    }
}
