import PsaverConfig
import PsaverProcessTable
import PsaverSystem

extension PreviousEngine {
    /// What a running restart script's process says about itself: the engine that
    /// started it hands every script `PSAVER_IPCKEY`, `PSAVER_PENT_ID`,
    /// `PSAVER_PNAME`, `PSAVER_ATTEMPT` and its counters (`ScriptRunner`).
    struct ScriptMarks: Equatable {
        var script: ProcessIdentity
        /// argv[0] and argv[1]: the script's path is one of them (`/bin/sh /path/start.sh`).
        var command: [String]
        var pentID: Int
        var pname: String
        var attempt: Int
        var retryCount: Int
        var restartCount: Int
    }

    /// Restart scripts that an engine with `ipcKey` started and that still run, found
    /// by what they carry rather than by the state file: an engine killed in the
    /// moment between starting a script and recording it leaves such scripts. Only
    /// session leaders (every script runs in a session of its own) are read further
    /// than their `stat`, and the scan runs only after an engine that did not stop
    /// cleanly.
    static func scriptsByEnvironment(ipcKey: String, procRoot: String = "/proc") -> [ScriptMarks] {
        let me = Identity.processID.rawValue
        var found: [ScriptMarks] = []
        for name in (try? FileSystem.contents(ofDirectory: procRoot)) ?? [] {
            guard let pid = Int32(name), pid != me,
                let stat = try? FileSystem.readText("\(procRoot)/\(name)/stat", limit: 4096),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 19, fields[0] != "Z", Int32(fields[3]) == pid, let ticks = UInt64(fields[19]),
                let environ = try? FileSystem.readBytes("\(procRoot)/\(name)/environ", limit: 1 << 20),
                let marks = marks(in: environ, ipcKey: ipcKey),
                let cmdline = try? FileSystem.readBytes("\(procRoot)/\(name)/cmdline", limit: 8192)
            else { continue }
            let command = cmdline.split(separator: 0, omittingEmptySubsequences: false).prefix(2)
                .map { String(decoding: $0, as: UTF8.self) }
            found.append(ScriptMarks(
                script: ProcessIdentity(pid: ProcessID(pid), startTime: ticks), command: command,
                pentID: marks.pentID, pname: marks.pname, attempt: marks.attempt,
                retryCount: marks.retryCount, restartCount: marks.restartCount))
        }
        return found
    }

    /// The PSAVER_ variables of an environment block, when they name `ipcKey` and an attempt.
    static func marks(in environ: [UInt8], ipcKey: String)
        -> (pentID: Int, pname: String, attempt: Int, retryCount: Int, restartCount: Int)?
    {
        var values: [String: String] = [:]
        for item in environ.split(separator: 0) where item.starts(with: Array("PSAVER_".utf8)) {
            let text = String(decoding: item, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            values[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        guard values["PSAVER_IPCKEY"] == ipcKey, let pentID = values["PSAVER_PENT_ID"].flatMap({ Int($0) }),
            let attempt = values["PSAVER_ATTEMPT"].flatMap({ Int($0) }), let pname = values["PSAVER_PNAME"]
        else { return nil }
        return (pentID, pname, attempt, values["PSAVER_RETRY_COUNT"].flatMap { Int($0) } ?? 0,
                values["PSAVER_RESTART_COUNT"].flatMap { Int($0) } ?? attempt)
    }

    /// Gives each marked script to an entry that has none yet: the entry at its
    /// pent_id when that entry has the same pname and script, else the first such.
    static func adopt(
        _ scripts: [ScriptMarks], by entries: [Entry], besides taken: [PentID: AdoptedScript]
    ) -> [PentID: AdoptedScript] {
        var adopted = taken
        let known = Set(taken.values.map(\.script))
        for marks in scripts where !known.contains(marks.script) {
            let fitting = entries.filter {
                adopted[$0.id] == nil && $0.pname == marks.pname && marks.command.contains($0.restartScript)
            }
            guard let entry = fitting.first(where: { $0.id.rawValue == marks.pentID }) ?? fitting.first else {
                continue
            }
            adopted[entry.id] = AdoptedScript(script: marks.script, retryCount: marks.retryCount,
                                              restartCount: max(marks.restartCount, marks.attempt))
        }
        return adopted
    }
}
