public import PsaverSystem

/// The state file's content (DESIGN §5): what the engine last saw, for padmin,
/// psview, the OCF agent and operators' own scripts.
///
/// Field names are fixed by the contract; more keys may be added, none renamed.
/// Times are ISO 8601 strings in local time with their offset.
public struct StateDocument: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public var version: Int
    /// The engine's pid, and the uid it runs as (who may change things through the socket).
    public var pid: ProcessID
    public var uid: UserID
    public var host: String
    public var startedAt: String
    public var heartbeatAt: String
    public var pfile: String
    public var ipckey: String
    public var params: ParamsRecord
    public var controlSocket: String
    public var engineSts: EngineStatus
    public var entries: [EntryRecord]
    /// The last events, oldest first, bounded (`EventRing`).
    public var events: [EventRecord]
    /// The engine's start time in clock ticks after boot (field 22 of `/proc/PID/stat`),
    /// so a reader can tell the engine from a process that reused its pid.
    public var startTicks: UInt64?
    /// The cluster resource that runs this engine; nil when no cluster does.
    public var cluster: ClusterRecord?
    /// Where the engine's log lines go: `syslog`, `stderr` or a file's path (nil from
    /// engines that did not say). psview's details point operators there.
    public var log: String?
    /// The file restart scripts' stdout and stderr go into, when there is one.
    public var scriptOutput: String?

    public init(
        pid: ProcessID, uid: UserID, host: String, startedAt: String, heartbeatAt: String, pfile: String,
        ipckey: String, params: ParamsRecord, controlSocket: String, engineSts: EngineStatus,
        entries: [EntryRecord], events: [EventRecord], version: Int = StateDocument.currentVersion,
        startTicks: UInt64? = nil, cluster: ClusterRecord? = nil, log: String? = nil, scriptOutput: String? = nil
    ) {
        self.log = log
        self.scriptOutput = scriptOutput
        self.version = version
        self.pid = pid
        self.uid = uid
        self.host = host
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.pfile = pfile
        self.ipckey = ipckey
        self.params = params
        self.controlSocket = controlSocket
        self.engineSts = engineSts
        self.entries = entries
        self.events = events
        self.startTicks = startTicks
        self.cluster = cluster
    }

    enum CodingKeys: String, CodingKey {
        case version, pid, uid, host
        case startTicks = "start_ticks"
        case cluster
        case startedAt = "started_at"
        case heartbeatAt = "heartbeat_at"
        case pfile, ipckey, params
        case controlSocket = "control_socket"
        case engineSts = "engine_sts"
        case entries, events, log
        case scriptOutput = "script_output"
    }
}

/// The engine's last word: running, or how it stopped.
public enum EngineStatus: String, Codable, Sendable, Equatable {
    case running
    case stopped
    case retryOver = "retry_over"
}

/// The PARAM values in force, under their pfile names.
public struct ParamsRecord: Codable, Sendable, Equatable {
    public var ipckey: String
    public var msgCheckInterval: Int
    public var monitorInterval: Int
    public var shmDumpFile: String
    public var restartTimeout: Int

    public init(ipckey: String, msgCheckInterval: Int, monitorInterval: Int, shmDumpFile: String,
                restartTimeout: Int)
    {
        self.ipckey = ipckey
        self.msgCheckInterval = msgCheckInterval
        self.monitorInterval = monitorInterval
        self.shmDumpFile = shmDumpFile
        self.restartTimeout = restartTimeout
    }

    enum CodingKeys: String, CodingKey {
        case ipckey = "IPCKEY"
        case msgCheckInterval = "MSG_CHECK_INTERVAL"
        case monitorInterval = "MONITOR_INTERVAL"
        case shmDumpFile = "SHM_DUMP_FILE"
        case restartTimeout = "RESTART_TIMEOUT"
    }
}

/// One entry: the fields `padmin -c show pent` prints, then its configuration.
public struct EntryRecord: Codable, Sendable, Equatable {
    public var pentId: Int
    public var pname: String
    /// The tracked process, nil when none.
    public var pid: Int32?
    public var retryCount: Int
    public var restartCount: Int
    public var procSts: ProcStatus
    public var retryOverAct: String
    /// ISO 8601 time of the last restart attempt, nil before any.
    public var rerunTime: String?
    public var includeStrings: String
    public var monitorSts: MonitorStatus
    // Configuration and detail beyond `show pent`.
    public var restartScript: String
    public var grace: Int
    public var retry: Int
    public var excludeStrings: String
    public var user: String?
    public var startWait: Int
    /// Whether a restart script runs for this entry right now.
    public var scriptRunning: Bool
    /// The running restart script, so that an engine started after this one ends
    /// recognises it and waits for it instead of starting another (DESIGN §3).
    public var script: ScriptRecord?
    /// `stall=` in seconds, nil when hangs are not watched.
    public var stall: Int?
    /// Why the last restart happened, nil before any (and from engines that did not say).
    public var lastRestartReason: RestartReason?
    /// The same for people: `died`, `hung for 12 s, killed`, …
    public var lastRestartText: String?
    /// Restarted again and again: `RestartWindow.flapCount` restarts within
    /// `RestartWindow.seconds`, and not up that long since. Nil from engines that did not say.
    public var flapping: Bool?

    /// Whether the engine says the entry is flapping (a crash loop).
    public var isFlapping: Bool { flapping == true }

    public init(
        pentId: Int, pname: String, pid: Int32?, retryCount: Int, restartCount: Int, procSts: ProcStatus,
        retryOverAct: String, rerunTime: String?, includeStrings: String, monitorSts: MonitorStatus,
        restartScript: String, grace: Int, retry: Int, excludeStrings: String = "", user: String? = nil,
        startWait: Int, scriptRunning: Bool = false, script: ScriptRecord? = nil, stall: Int? = nil,
        lastRestartReason: RestartReason? = nil, lastRestartText: String? = nil, flapping: Bool? = nil
    ) {
        self.lastRestartReason = lastRestartReason
        self.lastRestartText = lastRestartText
        self.flapping = flapping
        self.pentId = pentId
        self.pname = pname
        self.pid = pid
        self.retryCount = retryCount
        self.restartCount = restartCount
        self.procSts = procSts
        self.retryOverAct = retryOverAct
        self.rerunTime = rerunTime
        self.includeStrings = includeStrings
        self.monitorSts = monitorSts
        self.restartScript = restartScript
        self.grace = grace
        self.retry = retry
        self.excludeStrings = excludeStrings
        self.user = user
        self.startWait = startWait
        self.scriptRunning = scriptRunning
        self.script = script
        self.stall = stall
    }

    enum CodingKeys: String, CodingKey {
        case pentId = "pent_id"
        case pname, pid
        case retryCount = "retry_count"
        case restartCount = "restart_count"
        case procSts = "proc_sts"
        case retryOverAct = "retry_over_act"
        case rerunTime = "rerun_time"
        case includeStrings = "include_strings"
        case monitorSts = "monitor_sts"
        case restartScript = "restart_script"
        case grace, retry
        case excludeStrings = "exclude_strings"
        case user
        case startWait = "start_wait"
        case scriptRunning = "script_running"
        case script, stall
        case lastRestartReason = "last_restart_reason"
        case lastRestartText = "last_restart_text"
        case flapping
    }

    /// Writes `pid` as `null` rather than leaving the key out, so scripts always find it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pentId, forKey: .pentId)
        try c.encode(pname, forKey: .pname)
        try c.encode(pid, forKey: .pid)
        try c.encode(retryCount, forKey: .retryCount)
        try c.encode(restartCount, forKey: .restartCount)
        try c.encode(procSts, forKey: .procSts)
        try c.encode(retryOverAct, forKey: .retryOverAct)
        try c.encode(rerunTime, forKey: .rerunTime)
        try c.encode(includeStrings, forKey: .includeStrings)
        try c.encode(monitorSts, forKey: .monitorSts)
        try c.encode(restartScript, forKey: .restartScript)
        try c.encode(grace, forKey: .grace)
        try c.encode(retry, forKey: .retry)
        try c.encode(excludeStrings, forKey: .excludeStrings)
        try c.encode(user, forKey: .user)
        try c.encode(startWait, forKey: .startWait)
        try c.encode(scriptRunning, forKey: .scriptRunning)
        try c.encodeIfPresent(script, forKey: .script)
        try c.encodeIfPresent(stall, forKey: .stall)
        try c.encode(lastRestartReason, forKey: .lastRestartReason)
        try c.encode(lastRestartText, forKey: .lastRestartText)
        try c.encodeIfPresent(flapping, forKey: .flapping)
    }
}

/// A running restart script: its pid and start time (`/proc/PID/stat` field 22, in
/// clock ticks), which together name it even after the pid is reused, and the
/// attempt it belongs to. Its process group is its pid (it leads its own session).
public struct ScriptRecord: Codable, Sendable, Equatable {
    public var pid: Int32
    public var startTime: UInt64
    public var attempt: Int

    public init(pid: Int32, startTime: UInt64, attempt: Int) {
        self.pid = pid
        self.startTime = startTime
        self.attempt = attempt
    }

    enum CodingKeys: String, CodingKey {
        case pid
        case startTime = "start_time"
        case attempt
    }
}

/// `monitor_sts`: `on` or `off`.
public enum MonitorStatus: String, Codable, Sendable, Equatable {
    case on, off
}

/// One line of the event ring.
public struct EventRecord: Codable, Sendable, Equatable {
    public var time: String
    public var pentId: Int?
    public var text: String

    public init(time: String, pentId: Int?, text: String) {
        self.time = time
        self.pentId = pentId
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case time
        case pentId = "pent_id"
        case text
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(time, forKey: .time)
        try c.encode(pentId, forKey: .pentId)
        try c.encode(text, forKey: .text)
    }
}
