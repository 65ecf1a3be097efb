import PsaverState
import PsaverSystem

/// The entry list's columns for a terminal width: fixed columns keep their width and
/// pname takes what is left, so a narrow terminal truncates pname first and a wide one
/// shows more of it (and, from 100 columns, the retry_over_act column; from 140, each
/// entry's last event in the space pname does not need).
struct EntryColumns {
    let pname: Int
    let showsAction: Bool
    /// Wide enough for the widest `retry_count/retry` listed (`0/1000000` whole).
    let retry: Int
    /// The problems view names each row's engine (its IPCKEY) in a column of its own.
    let engine: Int
    /// The last event column's width, 0 when not shown.
    let lastEvent: Int
    /// The pent_id column: 3, or as wide as the widest pent_id (`1000` whole).
    let id: Int

    static let marker = 1, id = 3, pid = 7, restarts = 5, procSts = 10, monitor = 4
    static let action = 8, rerun = 10
    static let wideFrom = 100, lastEventFrom = 140

    /// - Parameters:
    ///   - retryText: the widest `retry_count/retry` cell to fit.
    ///   - engineWidth: the IPCKEY column's width in the problems view, else 0.
    ///   - longestName: the widest pname [include_strings] listed, so that a wide screen
    ///     gives the rest to the last event instead of blank columns.
    init(cols: Int, retryWidth: Int = 5, engineWidth: Int = 0, longestName: Int = Int.max, idWidth: Int = 3) {
        id = max(Self.id, idWidth)
        showsAction = cols >= Self.wideFrom
        retry = max(5, retryWidth)
        engine = engineWidth
        let fixed = Self.marker + (id + 1) + 1 + (Self.pid + 1) + (retry + 1) + (Self.restarts + 1)
            + (Self.procSts + 1) + (Self.monitor + 1) + (showsAction ? Self.action + 1 : 0) + Self.rerun
            + (engine > 0 ? engine + 1 : 0)
        let rest = max(cols - fixed, 8)
        if cols >= Self.lastEventFrom, rest - max(longestName, 24) >= 21 {
            pname = max(longestName, 24)
            lastEvent = rest - pname - 1
        } else {
            pname = rest
            lastEvent = 0
        }
    }

    /// The column titles, aligned with `cells(for:)`.
    func titles() -> [String] {
        var titles = [" ", right("ID", id)]
        if engine > 0 { titles.append(left("ENGINE", engine)) }
        titles += [left("PNAME [include_strings]", pname), right("PID", Self.pid),
                   right("RETRY", retry), right("RSTRT", Self.restarts), left("PROC_STS", Self.procSts),
                   left("MON", Self.monitor)]
        if showsAction { titles.append(left("ACT", Self.action)) }
        titles.append(left("RERUN", Self.rerun))
        if lastEvent > 0 { titles.append(left("LAST EVENT", lastEvent)) }
        return titles
    }

    /// One entry's cells: marker, pent_id, (engine), pname [include_strings], pid,
    /// retry_count/retry, restart_count, proc_sts, monitor_sts, (retry_over_act),
    /// rerun_time, (last event). A pending change shows as `→off`, `→0`.
    func cells(for record: EntryRecord, selected: Bool, now: WallTime, engineLabel: String = "",
               pending: PendingChange? = nil, lastEvent event: String = "") -> [String]
    {
        var retryText = "\(record.retryCount)/\(record.retry)"
        var monitorText = record.monitorSts.rawValue
        if let pending {
            if let on = pending.pendingMonitor { monitorText = on ? "→on" : "→off" } else { retryText = "→0/\(record.retry)" }
        }
        var cells = [selected ? ">" : " ", right(String(record.pentId), id)]
        if engine > 0 { cells.append(left(engineLabel, engine)) }
        cells += [left(Self.name(record, width: pname), pname),
                  right(record.pid.map { String($0) } ?? "-", Self.pid),
                  right(retryText, retry),
                  right(String(record.restartCount), Self.restarts),
                  left(Self.showsFlapping(record) ? "FLAPPING" : record.procSts.rawValue, Self.procSts),
                  left(monitorText, Self.monitor)]
        if showsAction { cells.append(left(record.retryOverAct, Self.action)) }
        cells.append(left(TimeText.short(record.rerunTime, now: now), Self.rerun))
        if lastEvent > 0 { cells.append(left(event, lastEvent)) }
        return cells
    }

    /// Whether the proc_sts cell says FLAPPING: the engine says the entry is in a crash
    /// loop and it is not at something worse (FATAL, HUNG, DOWN), so that a look between
    /// two deaths (AVAIL, RESTARTING) does not hide it. Details show the proc_sts.
    static func showsFlapping(_ record: EntryRecord) -> Bool {
        guard record.isFlapping else { return false }
        switch record.procSts {
        case .avail, .restarting, .waiting: return true
        case .fatal, .hung, .down: return false
        }
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

    /// Index of the proc_sts cell, the monitor_sts cell and the retry cell in `cells(for:)`.
    var procStsIndex: Int { engine > 0 ? 7 : 6 }
    var monitorIndex: Int { procStsIndex + 1 }
    var retryIndex: Int { procStsIndex - 2 }

    private func left(_ text: String, _ width: Int) -> String { TextFitting.left(text, width) }
    private func right(_ text: String, _ width: Int) -> String { TextFitting.right(text, width) }
}
