import PsaverConfig
import PsaverProcessTable
import PsaverSystem

/// The family of every watched process (MainFamily), kept from the watch to the
/// death: its session and group as read when the watch began, and its forks as
/// the kernel reports them (root only).
struct MainFamilies {
    private var byEntry: [PentID: MainFamily] = [:]
    /// The entry whose family each pid is in, with that process's start time, so a
    /// fork report from a pid reused by another process adds nothing.
    private var members: [ProcessID: (PentID, UInt64)] = [:]
    /// Past this many descendants the ended ones are dropped (a database forks one
    /// process per connection).
    static let pruneAt = 1_024

    /// `identity` is now the entry's watched process.
    mutating func watched(_ id: PentID, _ family: MainFamily) {
        forget(id)
        byEntry[id] = family
        members[family.identity.pid] = (id, family.identity.startTime)
        for child in family.descendants { members[child.pid] = (id, child.startTime) }
    }

    /// Whether `pid` is a watched process or one of its reported descendants (a
    /// dictionary look-up: fork reports come thousands a second on a busy host).
    func hasMember(_ pid: ProcessID) -> Bool { members[pid] != nil }

    /// The kernel reported `parent` forking `child`.
    mutating func forked(
        parent: ProcessID, child: ProcessIdentity, parentStart: () -> UInt64?, isGone: (ProcessIdentity) -> Bool
    ) {
        guard let (id, start) = members[parent], parentStart() == start, var family = byEntry[id] else { return }
        family.descendants.insert(child)
        byEntry[id] = family
        members[child.pid] = (id, child.startTime)
        prune(id, isGone: isGone)
    }

    /// Descendants found by a look at the kernel's lists of children, replacing the
    /// ones known before (those that ended are gone from the lists).
    mutating func adopt(_ id: PentID, _ found: [ProcessIdentity]) {
        guard var family = byEntry[id] else { return }
        for old in family.descendants where members[old.pid]?.0 == id { members[old.pid] = nil }
        family.descendants = Set(found)
        for child in found { members[child.pid] = (id, child.startTime) }
        byEntry[id] = family
    }

    /// Drops the ended descendants of an entry whose family grew large; `isGone` looks.
    mutating func prune(_ id: PentID, isGone: (ProcessIdentity) -> Bool) {
        guard var family = byEntry[id], family.descendants.count >= Self.pruneAt else { return }
        for gone in family.descendants.filter(isGone) {
            family.descendants.remove(gone)
            members[gone.pid] = nil
        }
        byEntry[id] = family
    }

    /// The family of the entry's process that died, removed from what is kept.
    mutating func take(_ id: PentID, _ identity: ProcessIdentity) -> MainFamily? {
        guard let family = byEntry[id], family.identity == identity else { return nil }
        forget(id)
        return family
    }

    func family(of id: PentID) -> MainFamily? { byEntry[id] }

    /// Fork reports were lost: no family's descendants can be taken as complete.
    mutating func forksLost() {
        for id in Array(byEntry.keys) { byEntry[id]?.forksComplete = false }
    }

    private mutating func forget(_ id: PentID) {
        guard let old = byEntry.removeValue(forKey: id) else { return }
        for member in old.descendants where members[member.pid]?.0 == id { members[member.pid] = nil }
        if members[old.identity.pid]?.0 == id { members[old.identity.pid] = nil }
    }
}
