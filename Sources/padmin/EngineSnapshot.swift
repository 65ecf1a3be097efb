import PsaverState
import PsaverSystem

/// The state file as padmin found it, and whether the engine behind it runs (DESIGN §5).
struct EngineSnapshot {
    var document: StateDocument
    var freshness: StateFreshness
    /// Whether the engine's pid still exists (a stale file with a live pid means a hung engine).
    var processExists: Bool

    /// Reads the target's state file; a failure says why there is no state to show.
    static func read(_ target: EngineTarget) throws(PadminFailure) -> EngineSnapshot {
        let path = target.store.path
        guard FileSystem.exists(path) else {
            throw PadminFailure(.notRunning, "not_running", "the engine is not running: there is no state file "
                                + "(pcheck has not run with this pfile, or the file was removed)", subject: path)
        }
        let document: StateDocument
        do {
            // Non-blocking, regular and of sane size: a FIFO planted there cannot hang padmin.
            document = try StateCodec.decode(
                try FileSystem.readRegular(path, what: "state file", limit: StateFileStore.maximumSize))
        } catch let refusal as PathRefusal {
            throw .failure("refusing the state file: \(refusal)", subject: path)
        } catch let error as SystemError where error.code == SystemError.permissionDenied {
            throw PadminFailure(.permissionDenied, "permission_denied",
                                "cannot read the state file: \(error.reason)", subject: path)
        } catch let error as SystemError {
            throw .failure("cannot read the state file: \(error.reason)", subject: path)
        } catch {
            throw .failure("\(error)", subject: path)
        }
        let exists = EngineProcess.runs(document)
        return EngineSnapshot(
            document: document, freshness: StateFreshness.judge(document, now: .now(), processExists: exists),
            processExists: exists)
    }

    /// nil while the engine runs; otherwise why it does not, and since when.
    var notRunning: PadminFailure? {
        let pid = document.pid
        switch freshness {
        case .running:
            return nil
        case .stopped(.retryOver, let at):
            return PadminFailure(.notRunning, "not_running",
                                 "the engine is not running: it exited at retry over \(Self.since(at))",
                                 subject: document.pfile)
        case .stopped(_, let at):
            return PadminFailure(.notRunning, "not_running", "the engine is not running: it stopped \(Self.since(at))",
                                 subject: document.pfile)
        case .stale(let heartbeat) where !processExists:
            return PadminFailure(.notRunning, "stale", "the engine is not running: pid \(pid) is gone; its state "
                                 + "is stale, last written \(Self.since(heartbeat))", subject: document.pfile)
        case .stale(let heartbeat):
            let limit = 2 * document.params.monitorInterval
            return PadminFailure(.notRunning, "stale", "the engine's state is stale: pid \(pid) has not written it "
                                 + "since \(Self.since(heartbeat)), more than 2 × MONITOR_INTERVAL (\(limit) s); "
                                 + "it may hang", subject: document.pfile)
        }
    }

    /// `running`, `stale`, `stopped` or `retry_over`, for `--json`.
    var stateWord: String {
        switch freshness {
        case .running: "running"
        case .stale: "stale"
        case .stopped(let status, _): status.rawValue
        }
    }

    /// `at 2026/11/25 10:50:12 (42 s ago)` from an ISO 8601 time.
    static func since(_ iso: String) -> String {
        guard let time = WallTime(iso8601: iso) else { return "at \(iso)" }
        return "at \(time.display) (\(ago(WallTime.now().seconds(since: time))))"
    }

    /// A rough age for people: `42 s ago`, `7 min ago`, `3 h ago`, `2 days ago`.
    static func ago(_ seconds: Double) -> String {
        let whole = Int(max(0, seconds))
        switch whole {
        case ..<120: return "\(whole) s ago"
        case ..<7200: return "\(whole / 60) min ago"
        case ..<172_800: return "\(whole / 3600) h ago"
        default: return "\(whole / 86400) days ago"
        }
    }
}
