public import PsaverSystem

/// Whether the process a state file names is still the engine that wrote it.
///
/// Gone means gone (DESIGN §2): a zombie (state `Z` or `X` in `/proc/PID/stat`) has
/// ended, whoever has yet to reap it. A pid that now belongs to another process, or
/// that a forged file names (pid 1), is not the engine: its start time (field 22)
/// must equal the file's `start_ticks`, and a file without them must name a
/// process called `pcheck`.
public enum EngineProcess {
    /// Judges the live process behind `document` by reading `ROOT/PID/stat`.
    public static func runs(_ document: StateDocument, procRoot: String = "/proc") -> Bool {
        runs(pid: document.pid, startTicks: document.startTicks, procRoot: procRoot)
    }

    /// Judges `pid` by reading `ROOT/PID/stat`; `startTicks` as the state file recorded them.
    public static func runs(pid: ProcessID, startTicks: UInt64?, procRoot: String = "/proc") -> Bool {
        guard pid.rawValue > 0,
            let stat = try? FileSystem.readText("\(procRoot)/\(pid.rawValue)/stat", limit: 4096)
        else { return false }
        return judge(stat: stat, startTicks: startTicks)
    }

    /// The rule, on the text of `/proc/PID/stat`.
    public static func judge(stat: String, startTicks: UInt64?) -> Bool {
        guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")"), open < close else {
            return false
        }
        let name = stat[stat.index(after: open)..<close]
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3), fields[19] the start time (field 22).
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return false }
        if let startTicks { return UInt64(fields[19]) == startTicks }
        return name.hasPrefix("pcheck")
    }
}
