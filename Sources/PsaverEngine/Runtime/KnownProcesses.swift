import PsaverConfig
import PsaverProcessTable
import PsaverSystem

/// Every matching process per entry as the passes and the kernel's exec and fork
/// reports last showed them: where a death's successor is chosen from, so that the
/// way from a death to its restart script reads no directory.
///
/// It may hold processes that have since ended (the caller checks liveness) and
/// miss one that appeared between two passes without an exec report.
struct KnownProcesses {
    private var byEntry: [PentID: [ProcessIdentity]] = [:]
    /// Which entries each known pid matches, for a fork report: nearly always one,
    /// so a small array rather than a set (half the memory at 10,000 entries).
    private var byPID: [ProcessID: [PentID]] = [:]

    /// What a full pass found, replacing everything.
    mutating func replaceAll(_ found: [PentID: [ProcessIdentity]]) {
        byEntry = [:]
        byPID = [:]
        for (id, processes) in found { replace(id, processes) }
    }

    /// What a pass over some entries found for `id` (nothing: none).
    mutating func replace(_ id: PentID, _ processes: [ProcessIdentity]) {
        for old in byEntry[id] ?? [] { forget(id, of: old.pid) }
        byEntry[id] = processes
        for process in processes { note(id, of: process.pid) }
    }

    /// A new match; returns false when it was known already.
    @discardableResult
    mutating func add(_ id: PentID, _ process: ProcessIdentity) -> Bool {
        if byEntry[id]?.contains(process) == true { return false }
        byEntry[id, default: []].append(process)
        note(id, of: process.pid)
        return true
    }

    private mutating func note(_ id: PentID, of pid: ProcessID) {
        if byPID[pid]?.contains(id) != true { byPID[pid, default: []].append(id) }
    }

    private mutating func forget(_ id: PentID, of pid: ProcessID) {
        byPID[pid]?.removeAll { $0 == id }
        if byPID[pid]?.isEmpty == true { byPID[pid] = nil }
    }

    /// A process known to have ended.
    mutating func remove(_ process: ProcessIdentity) {
        for id in byPID.removeValue(forKey: process.pid) ?? [] { byEntry[id]?.removeAll { $0 == process } }
    }

    subscript(id: PentID) -> [ProcessIdentity] { byEntry[id] ?? [] }

    /// The entries a known pid matches.
    func entries(of pid: ProcessID) -> [PentID] { byPID[pid] ?? [] }
}
