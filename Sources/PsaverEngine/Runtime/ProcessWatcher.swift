import PsaverConfig
import PsaverProcessTable
import PsaverSystem

/// One watch per tracked process (and per adopted restart script): a pidfd in the
/// engine's epoll, so a death is seen within milliseconds; or, where pidfd is
/// missing or descriptors are short, a mark for the polling pass.
///
/// Only evidence that a process is gone ends a watch: a pidfd that can't be opened
/// (EMFILE, ENFILE, ENOMEM) or a poll that can't read /proc is never a death.
struct ProcessWatcher {
    struct Watch {
        var identity: ProcessIdentity
        /// The process's real user when it was first watched, for the successor rule.
        var user: UserID?
        var descriptor: FileDescriptor?
    }

    struct ScriptWatch {
        var attempt: Int
        var identity: ProcessIdentity
        var descriptor: FileDescriptor?
    }

    private var watches: [PentID: Watch] = [:]
    private var scriptWatches: [PentID: ScriptWatch] = [:]
    /// How many of the watches have no pidfd, so the loop knows without a look at each.
    private var polledCount = 0
    /// Set once pidfd_open fails with ENOSYS (or when forced): poll from then on.
    private(set) var polling: Bool
    /// At most this many pidfds are held, so that scans, the state file and control
    /// clients always find descriptors; the rest are polled.
    let descriptorBudget: Int
    private var descriptorsHeld = 0
    /// Whether some watch had to fall back to polling for lack of descriptors;
    /// cleared once the engine has logged it.
    private(set) var shortage: String?
    private var shortageLogged = false

    init(forcePolling: Bool = false, descriptorBudget: Int) {
        polling = forcePolling
        self.descriptorBudget = descriptorBudget
    }

    /// Watches `identity` for entry `id`, replacing any previous watch of the entry.
    /// Returns false only when the process is known to be gone already.
    mutating func watch(_ id: PentID, _ identity: ProcessIdentity, epoll: Epoll, table: ProcessTable) -> Bool {
        unwatch(id, epoll: epoll)
        guard let descriptor = open(identity, token: .process(UInt32(id.rawValue)), epoll: epoll, table: table)
        else { return false }
        watches[id] = Watch(identity: identity, user: table.realUser(of: identity.pid), descriptor: descriptor)
        if descriptor == nil { polledCount += 1 }
        return true
    }

    /// Watches a restart script this engine did not start (it is not our child).
    mutating func watchScript(
        _ id: PentID, attempt: Int, _ identity: ProcessIdentity, epoll: Epoll, table: ProcessTable
    ) -> Bool {
        unwatchScript(id, epoll: epoll)
        guard let descriptor = open(identity, token: .adoptedScript(UInt32(id.rawValue)), epoll: epoll, table: table)
        else { return false }
        scriptWatches[id] = ScriptWatch(attempt: attempt, identity: identity, descriptor: descriptor)
        if descriptor == nil { polledCount += 1 }
        return true
    }

    /// A pidfd registered under `token`: `.some(nil)` means "poll it", nil "it is gone".
    private mutating func open(
        _ identity: ProcessIdentity, token: LoopToken, epoll: Epoll, table: ProcessTable
    ) -> FileDescriptor?? {
        var descriptor: FileDescriptor?
        if !polling && descriptorsHeld < descriptorBudget {
            do {
                descriptor = try PidFD.open(identity.pid)
            } catch let error as SystemError where error.code == SystemError.notImplemented {
                polling = true
            } catch let error as SystemError where error.code == SystemError.noSuchProcess {
                return nil
            } catch {
                noteShortage("pidfd_open failed (\(error))")
            }
        } else if !polling {
            noteShortage("the engine keeps \(descriptorBudget) pidfds at most under its descriptor limit")
        }
        // Between the scan and pidfd_open the pid may have died and been reused:
        // the start time proves the descriptor refers to the process we meant.
        if table.liveness(of: identity) == .gone {
            descriptor?.close()
            return nil
        }
        if let opened = descriptor {
            do {
                try epoll.add(opened, token: token.rawValue)
                descriptorsHeld += 1
            } catch {
                opened.close()
                descriptor = nil
                noteShortage("epoll_ctl failed (\(error))")
            }
        }
        return .some(descriptor)
    }

    private mutating func noteShortage(_ reason: String) {
        if !shortageLogged { shortage = reason }
    }

    /// The shortage to log, once for the engine's life.
    mutating func takeShortage() -> String? {
        guard let reason = shortage, !shortageLogged else { return nil }
        shortageLogged = true
        shortage = nil
        return reason
    }

    mutating func unwatch(_ id: PentID, epoll: Epoll) {
        guard let watch = watches.removeValue(forKey: id) else { return }
        close(watch.descriptor, epoll: epoll)
    }

    mutating func unwatchScript(_ id: PentID, epoll: Epoll) {
        guard let watch = scriptWatches.removeValue(forKey: id) else { return }
        close(watch.descriptor, epoll: epoll)
    }

    private mutating func close(_ descriptor: FileDescriptor?, epoll: Epoll) {
        guard let descriptor else {
            polledCount -= 1
            return
        }
        epoll.remove(descriptor)
        descriptor.close()
        descriptorsHeld -= 1
    }

    /// The event behind a ready pidfd; the watch is removed.
    mutating func ended(_ token: LoopToken, epoll: Epoll) -> LoopEvent? {
        switch token {
        case .process(let raw):
            let id = PentID(Int(raw))
            guard let watch = watches[id] else { return nil }
            unwatch(id, epoll: epoll)
            return .processEnded(id, watch.identity, user: watch.user)
        case .adoptedScript(let raw):
            let id = PentID(Int(raw))
            guard let watch = scriptWatches[id] else { return nil }
            unwatchScript(id, epoll: epoll)
            return .scriptEnded(id, attempt: watch.attempt, nil)
        default:
            return nil
        }
    }

    /// Whether some watch has no pidfd and must be polled.
    var needsPolling: Bool { polledCount > 0 }

    /// Polls the watches without a pidfd; returns the ends of those known to be gone.
    mutating func pollEnded(table: ProcessTable, epoll: Epoll) -> [LoopEvent] {
        var events: [LoopEvent] = []
        for (id, watch) in watches.sorted(by: { $0.key < $1.key })
        where watch.descriptor == nil && table.liveness(of: watch.identity) == .gone {
            unwatch(id, epoll: epoll)
            events.append(.processEnded(id, watch.identity, user: watch.user))
        }
        for (id, watch) in scriptWatches.sorted(by: { $0.key < $1.key })
        where watch.descriptor == nil && table.liveness(of: watch.identity) == .gone {
            unwatchScript(id, epoll: epoll)
            events.append(.scriptEnded(id, attempt: watch.attempt, nil))
        }
        return events
    }

    /// The adopted script of an entry, for a kill at RESTART_TIMEOUT.
    func adoptedScript(of id: PentID, attempt: Int) -> ProcessIdentity? {
        scriptWatches[id].flatMap { $0.attempt == attempt ? $0.identity : nil }
    }

    /// Drops every process watch (before a reload re-creates them); adopted scripts
    /// move to their entries' new pent ids, or are forgotten with their entries.
    mutating func reload(_ mapping: [PentID: PentID], epoll: Epoll) {
        for id in Array(watches.keys) { unwatch(id, epoll: epoll) }
        let kept = scriptWatches
        for id in Array(kept.keys) { unwatchScript(id, epoll: epoll) }
        // Re-registered under new tokens by the caller's next watchScript; here only
        // the bookkeeping moves, polled until then.
        for (old, watch) in kept {
            guard let new = mapping[old] else { continue }
            scriptWatches[new] = ScriptWatch(attempt: watch.attempt, identity: watch.identity, descriptor: nil)
            polledCount += 1
        }
    }
}
