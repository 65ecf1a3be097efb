internal import FoundationEssentials

/// One request on the control socket (DESIGN §6): a JSON object on one line.
///
/// `{"cmd":"show"}`, `{"cmd":"monitor","on":false,"pent_id":2}` (no `pent_id`: all
/// entries), `{"cmd":"reset","pent_id":1}`, `{"cmd":"stop"}`; `{"cmd":"stop","force":true}`
/// stops even an engine that a cluster manager runs, which refuses a plain stop (DESIGN §9).
public enum ControlRequest: Equatable, Sendable {
    case show
    case monitor(on: Bool, pentID: Int?)
    case reset(pentID: Int?)
    case stop(force: Bool = false)

    /// Whether the request changes anything (and so needs root or the engine's user).
    public var changesState: Bool { self != .show }

    /// Whether the request stops the engine, forced or not.
    public var isStop: Bool {
        if case .stop = self { return true }
        return false
    }
}

/// The engine's answer to one request: a JSON object on one line.
public struct ControlAnswer: Codable, Equatable, Sendable, Error {
    public var ok: Bool
    /// A machine-readable reason when `ok` is false (`ControlFailure`).
    public var error: ControlFailure?
    /// One sentence for people.
    public var message: String
    /// The state after the request, when the engine sends it.
    public var state: StateDocument?
    /// False when a change was applied but the state file could not be written
    /// (disk full, folder gone): readers of the file do not see it yet. Absent
    /// (nil) means recorded, or nothing to record.
    public var recorded: Bool?

    public init(
        ok: Bool, error: ControlFailure? = nil, message: String, state: StateDocument? = nil, recorded: Bool? = nil
    ) {
        self.ok = ok
        self.error = error
        self.message = message
        self.state = state
        self.recorded = recorded
    }

    public static func refused(_ failure: ControlFailure, _ message: String) -> ControlAnswer {
        ControlAnswer(ok: false, error: failure, message: message)
    }
}

/// Why the engine refused a request.
public enum ControlFailure: String, Codable, Equatable, Sendable {
    case permissionDenied = "permission_denied"
    case unknownEntry = "unknown_entry"
    case badRequest = "bad_request"
    case tooLong = "too_long"
    /// A stop without force, of an engine that a cluster manager runs.
    case clusterManaged = "cluster_managed"
}

/// Requests and answers ↔ lines: the pure codec both ends share.
public enum ControlCodec {
    /// The longest request line the engine reads; a longer one is refused.
    public static let maximumRequestLength = 4096

    private struct Wire: Codable {
        var cmd: String
        var on: Bool?
        var pentId: Int?
        var force: Bool?

        enum CodingKeys: String, CodingKey {
            case cmd, on, force
            case pentId = "pent_id"
        }
    }

    /// The request as one line, newline included.
    public static func encode(_ request: ControlRequest) -> [UInt8] {
        let wire: Wire =
            switch request {
            case .show: Wire(cmd: "show")
            case .monitor(let on, let id): Wire(cmd: "monitor", on: on, pentId: id)
            case .reset(let id): Wire(cmd: "reset", pentId: id)
            // Plain stop stays `{"cmd":"stop"}`, the line older clients send.
            case .stop(let force): Wire(cmd: "stop", force: force ? true : nil)
            }
        return line(wire)
    }

    /// Decodes one request line (without its newline); the error is the answer to send.
    public static func decodeRequest(_ line: [UInt8]) -> Result<ControlRequest, ControlAnswer> {
        guard line.count <= maximumRequestLength else {
            return .failure(.refused(.tooLong, "request longer than \(maximumRequestLength) bytes"))
        }
        guard let wire = try? JSONDecoder().decode(Wire.self, from: Data(line)) else {
            return .failure(.refused(.badRequest, "a request is one JSON object per line, such as {\"cmd\":\"show\"}"))
        }
        if let id = wire.pentId, id < 1 {
            return .failure(.refused(.unknownEntry, "pent_id must be 1 or more, got \(id)"))
        }
        if wire.force != nil, wire.cmd != "stop" {
            return .failure(.refused(.badRequest, "\"force\" applies to stop only"))
        }
        switch wire.cmd {
        case "show": return .success(.show)
        case "stop": return .success(.stop(force: wire.force ?? false))
        case "reset": return .success(.reset(pentID: wire.pentId))
        case "monitor":
            guard let on = wire.on else {
                return .failure(.refused(.badRequest, "monitor needs \"on\": true or false"))
            }
            return .success(.monitor(on: on, pentID: wire.pentId))
        default:
            // Echo only the start of what was sent: the answer stays short whatever came in.
            let cmd = wire.cmd.count > 40 ? wire.cmd.prefix(40) + "…" : wire.cmd
            return .failure(.refused(.badRequest, "unknown cmd \"\(cmd)\"; expected show, monitor, reset or stop"))
        }
    }

    /// The answer as one line, newline included.
    public static func encode(_ answer: ControlAnswer) -> [UInt8] { line(answer) }

    /// Decodes one answer line.
    public static func decodeAnswer(_ line: [UInt8]) throws -> ControlAnswer {
        try JSONDecoder().decode(ControlAnswer.self, from: Data(line))
    }

    private static func line(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8)) + [UInt8(ascii: "\n")]
    }
}
