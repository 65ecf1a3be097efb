public import PsaverConfig
public import PsaverProcessTable
public import PsaverSystem

/// One watch per tracked process: a pidfd in the engine's epoll, so a death is seen
/// within milliseconds; or, where pidfd is missing, a mark for the polling pass.
public struct ProcessWatcher {
    public static let tokenBase: UInt64 = 1 << 32

    struct Watch {
        var identity: ProcessIdentity
        var descriptor: FileDescriptor?
    }

    private var watches: [PentID: Watch] = [:]
    /// Set once pidfd_open fails with ENOSYS (or when forced): poll from then on.
    public private(set) var polling: Bool

    public init(forcePolling: Bool = false) { polling = forcePolling }

    /// Watches `identity` for entry `id`, replacing any previous watch of the entry.
    /// Returns false when the process is already gone (the caller treats it as a death).
    public mutating func watch(
        _ id: PentID, _ identity: ProcessIdentity, epoll: Epoll, table: ProcessTable
    ) -> Bool {
        unwatch(id, epoll: epoll)
        var descriptor: FileDescriptor?
        if !polling {
            do {
                descriptor = try PidFD.open(identity.pid)
            } catch let error as SystemError where error.code == SystemError.notImplemented {
                polling = true
            } catch let error as SystemError where error.code == SystemError.noSuchProcess {
                return false
            } catch {
                // Out of descriptors, say: not a death. This one process is polled instead.
                descriptor = nil
            }
        }
        // Between the scan and pidfd_open the pid may have died and been reused:
        // the start time proves the descriptor refers to the process we meant.
        guard table.isAlive(identity) else {
            descriptor?.close()
            return false
        }
        if let descriptor {
            do {
                try epoll.add(descriptor, token: Self.tokenBase | UInt64(id.rawValue))
            } catch {
                descriptor.close()
                watches[id] = Watch(identity: identity, descriptor: nil)
                return true
            }
        }
        watches[id] = Watch(identity: identity, descriptor: descriptor)
        return true
    }

    /// Stops watching an entry.
    public mutating func unwatch(_ id: PentID, epoll: Epoll) {
        guard let watch = watches.removeValue(forKey: id) else { return }
        if let descriptor = watch.descriptor {
            epoll.remove(descriptor)
            descriptor.close()
        }
    }

    /// The entry and process behind a ready epoll token; the watch is removed.
    public mutating func ended(token: UInt64, epoll: Epoll) -> (PentID, ProcessIdentity)? {
        guard token & Self.tokenBase != 0 else { return nil }
        let id = PentID(Int(token & 0xFFFF_FFFF))
        guard let watch = watches[id] else { return nil }
        unwatch(id, epoll: epoll)
        return (id, watch.identity)
    }

    /// Whether some watch has no pidfd and must be polled.
    public var needsPolling: Bool { watches.values.contains { $0.descriptor == nil } }

    /// Polls the watches without a pidfd; returns and removes those whose process ended.
    public mutating func pollEnded(table: ProcessTable, epoll: Epoll) -> [(PentID, ProcessIdentity)] {
        let ended = watches.filter { $0.value.descriptor == nil && !table.isAlive($0.value.identity) }
        for id in ended.keys { unwatch(id, epoll: epoll) }
        return ended.map { ($0.key, $0.value.identity) }.sorted { $0.0 < $1.0 }
    }

    /// Drops every watch (before a reload re-creates them).
    public mutating func unwatchAll(epoll: Epoll) {
        for id in Array(watches.keys) { unwatch(id, epoll: epoll) }
    }
}
