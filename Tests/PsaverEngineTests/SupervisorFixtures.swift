import PsaverConfig
import PsaverProcessTable
import PsaverSystem
@testable import PsaverEngine

/// A fake clock and a small pfile, so each rule reads as a short story.
struct Scenario {
    var supervisor: Supervisor
    var clock = MonotonicInstant.seconds(1000)
    var wall = WallTime(secondsSinceEpoch: 1_800_000_000)

    static let java = PentID(1)
    static let cron = PentID(2)

    init(retry: Int = 3, grace: Duration? = .seconds(60), action: RetryOverAction = .exit,
         startWait: Duration? = nil, entries: Int = 1)
    {
        let params = Params(ipcKey: IPCKey(0x2000_0001), stateFile: "/tmp/state",
                            monitorInterval: .seconds(10), restartTimeout: .seconds(30))
        let all = (1...entries).map { n in
            Entry(id: PentID(n), pname: n == 1 ? "/usr/bin/java" : "/usr/sbin/cron\(n)",
                  restartScript: "/etc/start\(n).sh", grace: grace, retry: retry,
                  retryOverAction: action, startWait: startWait)
        }
        supervisor = Supervisor(pfile: PFile(path: "/etc/pfile", params: params, entries: all))
    }

    var now: Moment { Moment(monotonic: clock, wall: wall) }

    mutating func advance(_ duration: Duration) -> [EngineAction] {
        clock = clock + duration
        wall.secondsSinceEpoch += duration.components.seconds
        return supervisor.timePassed(at: now)
    }

    func tracker(_ id: PentID = java) -> EntryTracker { supervisor.tracker(id)! }

    /// A process that appeared now: the next pid, started at the current tick.
    mutating func newProcess(_ pid: Int32) -> ProcessIdentity {
        ProcessIdentity(pid: ProcessID(pid), startTime: UInt64(clock.nanoseconds / 10_000_000))
    }

    /// Kill the watched process, let the script succeed, and let the new process appear.
    mutating func killAndRecover(newPID: Int32, _ id: PentID = java) -> [EngineAction] {
        let old = tracker(id).process!
        var actions = supervisor.processExited(id, old, successor: nil, at: now)
        actions += scriptEnded(.exited(0), id)
        _ = advance(.milliseconds(200))
        actions += supervisor.scanned([id: newProcess(newPID)], at: now)
        return actions
    }
}

extension Scenario {
    /// The current attempt's script ended, and no process was found by the look.
    mutating func scriptEnded(_ status: ChildStatus?, _ id: PentID = java, found: ProcessIdentity? = nil)
        -> [EngineAction]
    {
        let attempt = tracker(id).runningAttempt?.number ?? -1
        return supervisor.restartScriptEnded(id, attempt: attempt, status: status, found: found, at: now)
    }

    /// The attempt number of the entry's running script.
    func attempt(_ id: PentID = java) -> Int { tracker(id).runningAttempt?.number ?? -1 }
}

extension [EngineAction] {
    var logTexts: [String] {
        compactMap { if case .log(let record) = $0 { record.text } else { nil } }
    }
    var restarts: [PentID] {
        compactMap { if case .runRestartScript(let id, _) = $0 { id } else { nil } }
    }
    var exit: EngineOutcome? {
        compactMap { if case .exit(let outcome) = $0 { outcome } else { nil } }.first
    }
}
