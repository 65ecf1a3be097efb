import PsaverState
import PsaverSystem

/// The entry list's columns for a terminal width: fixed columns keep their width and
/// pname takes what is left, so a narrow terminal truncates pname first and a wide one
/// shows more of it (and, from 100 columns, the retry_over_act column).
struct EntryColumns {
    let pname: Int
    let showsAction: Bool

    static let marker = 1, id = 3, pid = 7, retry = 5, restarts = 5, procSts = 10, monitor = 3
    static let action = 8, rerun = 10
    static let wideFrom = 100

    init(cols: Int) {
        showsAction = cols >= Self.wideFrom
        let fixed = Self.marker + (Self.id + 1) + 1 + (Self.pid + 1) + (Self.retry + 1) + (Self.restarts + 1)
            + (Self.procSts + 1) + (Self.monitor + 1) + (showsAction ? Self.action + 1 : 0) + Self.rerun
        pname = max(cols - fixed, 8)
    }

    /// The column titles, aligned with `cells(for:)`.
    func titles() -> [String] {
        var titles = [" ", right("ID", Self.id), left("PNAME [include_strings]", pname), right("PID", Self.pid),
                      right("RETRY", Self.retry), right("RSTRT", Self.restarts), left("PROC_STS", Self.procSts),
                      left("MON", Self.monitor)]
        if showsAction { titles.append(left("ACT", Self.action)) }
        titles.append(left("RERUN", Self.rerun))
        return titles
    }

    /// One entry's cells: marker, pent_id, pname [include_strings], pid,
    /// retry_count/retry, restart_count, proc_sts, monitor_sts, (retry_over_act), rerun_time.
    func cells(for record: EntryRecord, selected: Bool, now: WallTime) -> [String] {
        var cells = [selected ? ">" : " ", right(String(record.pentId), Self.id),
                     left(Self.name(record, width: pname), pname),
                     right(record.pid.map { String($0) } ?? "-", Self.pid),
                     right("\(record.retryCount)/\(record.retry)", Self.retry),
                     right(String(record.restartCount), Self.restarts),
                     left(record.procSts.rawValue, Self.procSts), left(record.monitorSts.rawValue, Self.monitor)]
        if showsAction { cells.append(left(record.retryOverAct, Self.action)) }
        cells.append(left(TimeText.short(record.rerunTime, now: now), Self.rerun))
        return cells
    }

    /// pname and its include strings in `width` cells. Paths are cut at the head
    /// (`…/bin/java [apache&tomcat]`): the program's own name is what tells entries apart.
    static func name(_ record: EntryRecord, width: Int) -> String {
        let strings = record.includeStrings.isEmpty ? "" : " [\(record.includeStrings)]"
        let whole = record.pname + strings
        if displayWidth(of: whole) <= width { return whole }
        let room = width - displayWidth(of: strings)
        if room >= 12 { return TextFitting.truncateHead(record.pname, to: room) + strings }
        return TextFitting.truncateHead(record.pname, to: width)
    }

    /// Index of the proc_sts cell and the monitor_sts cell in `cells(for:)`.
    static let procStsIndex = 6, monitorIndex = 7

    private func left(_ text: String, _ width: Int) -> String { TextFitting.left(text, width) }
    private func right(_ text: String, _ width: Int) -> String { TextFitting.right(text, width) }
}
