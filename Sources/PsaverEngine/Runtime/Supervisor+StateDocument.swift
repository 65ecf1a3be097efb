import PsaverConfig
import PsaverProcessTable
public import PsaverState
public import PsaverSystem

extension Supervisor {
    /// What the engine knows that the supervisor does not: its own identity and times.
    public struct EngineFacts: Sendable {
        public var pid: ProcessID
        public var user: UserID
        public var host: String
        public var startedAt: WallTime
        public var pfile: String
        public var controlSocket: String
        /// The engine's start time in clock ticks (field 22 of its `/proc/PID/stat`), when known.
        public var startTicks: UInt64?
        /// The cluster resource that runs the engine, if one does.
        public var cluster: ClusterRecord?

        public init(pid: ProcessID, user: UserID, host: String, startedAt: WallTime, pfile: String,
                    controlSocket: String, startTicks: UInt64? = nil, cluster: ClusterRecord? = nil)
        {
            self.pid = pid
            self.user = user
            self.host = host
            self.startedAt = startedAt
            self.pfile = pfile
            self.controlSocket = controlSocket
            self.startTicks = startTicks
            self.cluster = cluster
        }
    }

    /// The state file's document for this moment.
    public func document(
        facts: EngineFacts, status: EngineStatus, events: [EventRecord], at now: WallTime
    ) -> StateDocument {
        StateDocument(
            pid: facts.pid, uid: facts.user, host: facts.host, startedAt: facts.startedAt.iso8601,
            heartbeatAt: now.iso8601, pfile: facts.pfile, ipckey: params.ipcKey.description,
            params: ParamsRecord(
                ipckey: params.ipcKey.description,
                msgCheckInterval: Int(params.messageCheckInterval.components.seconds),
                monitorInterval: Int(params.monitorInterval.components.seconds),
                shmDumpFile: params.stateFile,
                restartTimeout: Int(params.restartTimeout.components.seconds)),
            controlSocket: facts.controlSocket, engineSts: status,
            entries: trackers.map(record), events: events, startTicks: facts.startTicks, cluster: facts.cluster)
    }

    private func record(_ tracker: EntryTracker) -> EntryRecord {
        let entry = tracker.entry
        return EntryRecord(
            pentId: entry.id.rawValue, pname: entry.pname, pid: tracker.process?.pid.rawValue,
            retryCount: tracker.retryCount, restartCount: tracker.restartCount, procSts: tracker.procStatus,
            retryOverAct: entry.retryOverAction.description, rerunTime: tracker.rerunTime?.iso8601,
            includeStrings: entry.includeStringsText, monitorSts: tracker.monitorOn ? .on : .off,
            restartScript: entry.restartScript,
            grace: Int(entry.grace?.components.seconds ?? 0), retry: entry.retry,
            excludeStrings: entry.excludeStrings.joined(separator: "&"), user: entry.user,
            startWait: Int((entry.startWait ?? params.monitorInterval).components.seconds),
            scriptRunning: tracker.scriptRunning,
            script: tracker.runningAttempt.flatMap { attempt in
                attempt.script.map {
                    ScriptRecord(pid: $0.pid.rawValue, startTime: $0.startTime, attempt: attempt.number)
                }
            },
            stall: entry.stall.map { Int($0.components.seconds) },
            lastRestartReason: tracker.lastCause?.word, lastRestartText: tracker.lastCause?.text,
            flapping: tracker.flapping)
    }
}
