import PsaverSystem

/// The text of `padmin -c show pent` and `show param`: `name = value` lines with
/// the `=` signs aligned, a blank line between entries (DESIGN §7).
public enum PentReport {
    /// The ten fields of `show pent`, in ProcessSaver's order.
    public static func lines(for entry: EntryRecord) -> [(String, String)] {
        [
            ("pname", entry.pname),
            ("pid", entry.pid.map(String.init) ?? "-----"),
            ("retry_count", String(entry.retryCount)),
            ("restart_count", String(entry.restartCount)),
            ("proc_sts", entry.procSts.rawValue),
            ("retry_over_act", entry.retryOverAct),
            ("rerun_time", entry.rerunTime.flatMap(displayTime) ?? "-----"),
            ("include_strings", entry.includeStrings),
            ("pent_id", String(entry.pentId)),
            ("monitor_sts", entry.monitorSts.rawValue),
        ]
    }

    /// `show pent` for every entry.
    public static func showPent(_ document: StateDocument) -> String {
        document.entries.map { aligned(lines(for: $0)) }.joined(separator: "\n")
    }

    /// `show param`: the PARAM values in force, plus where the engine keeps its state.
    public static func showParam(_ document: StateDocument) -> String {
        let cluster = document.cluster.map { [("cluster_resource", "\($0.resource) (\($0.manager.rawValue))")] } ?? []
        return aligned([
            ("IPCKEY", document.params.ipckey),
            ("MSG_CHECK_INTERVAL", String(document.params.msgCheckInterval)),
            ("MONITOR_INTERVAL", String(document.params.monitorInterval)),
            ("SHM_DUMP_FILE", document.params.shmDumpFile),
            ("RESTART_TIMEOUT", String(document.params.restartTimeout)),
            ("pfile", document.pfile),
            ("pid", String(document.pid.rawValue)),
            ("engine_sts", document.engineSts.rawValue),
            ("started_at", document.startedAt),
            ("heartbeat_at", document.heartbeatAt),
            ("control_socket", document.controlSocket),
        ] + cluster)
    }

    /// Pads every name to the longest, so the `=` signs line up. Values come from
    /// a file anyone may have written into: control characters are not printed.
    static func aligned(_ pairs: [(String, String)]) -> String {
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { name, value in
            name + String(repeating: " ", count: width - name.count) + " = " + TerminalText.visible(value) + "\n"
        }.joined()
    }

    /// `Wed Oct 12 10:40:48 2011` from the state file's ISO 8601 time, as ProcessSaver prints it.
    static func displayTime(_ iso: String) -> String? { WallTime(iso8601: iso)?.ctime }
}
