import PsaverState
import PsaverSystem

/// What `--json` prints: one object per command, success or failure, so a script
/// reads `ok`, `exit_code` and `error` the same way for every command.
struct PadminOutput: Encodable {
    var ok: Bool
    var command: String
    var exitCode: Int32
    /// The failure's word (`not_running`, `stale`, `usage`, `permission_denied`, …).
    var error: String?
    var message: String?
    var engine: EngineSummary?
    var entries: [EntryRecord]?
    var params: ParamsRecord?

    enum CodingKeys: String, CodingKey {
        case ok, command
        case exitCode = "exit_code"
        case error, message, engine, entries, params
    }

    init(command: String, failure: PadminFailure? = nil, message: String? = nil) {
        ok = failure == nil
        self.command = command
        exitCode = (failure?.code ?? .success).rawValue
        error = failure?.reason
        // The file or socket first, as on stderr: scripts read the same words.
        self.message = failure.map { ToolError.phrase([$0.subject ?? "", $0.message]) } ?? message
    }

    /// Pretty-printed, keys sorted, on stdout.
    func print() {
        Swift.print(String(decoding: StateCodec.prettyJSON(self).dropLast(), as: UTF8.self))
    }
}

/// The engine's identity and health, from its state file.
struct EngineSummary: Encodable {
    /// `running`, `stale`, `stopped` or `retry_over`.
    var state: String
    var pid: ProcessID
    var uid: UserID
    var host: String
    var pfile: String
    var ipckey: String
    var controlSocket: String
    var startedAt: String
    var heartbeatAt: String
    /// The cluster resource that runs the engine, if one does.
    var cluster: ClusterRecord?

    enum CodingKeys: String, CodingKey {
        case state, pid, uid, host, pfile, ipckey, cluster
        case controlSocket = "control_socket"
        case startedAt = "started_at"
        case heartbeatAt = "heartbeat_at"
    }

    init(_ document: StateDocument, state: String) {
        self.state = state
        pid = document.pid
        uid = document.uid
        host = document.host
        pfile = document.pfile
        ipckey = document.ipckey
        controlSocket = document.controlSocket
        startedAt = document.startedAt
        heartbeatAt = document.heartbeatAt
        cluster = document.cluster
    }
}
