import PsaverProcessTable
import PsaverSystem

/// What `/proc/PID/stat` tells of a process's family: its parent, process group
/// and session (fields 4, 5, 6), with its identity and whether it has exited.
///
/// The clean-up after a death needs the groups, which a pass does not read; the
/// engine reads them only for the processes it watches and after a death.
struct ProcessKinship: Sendable, Equatable {
    var identity: ProcessIdentity
    var parentPID: ProcessID
    var group: ProcessID
    var session: ProcessID
    /// A zombie (Z) or dead (X) process: ended, though still in the process table.
    var exited: Bool

    var pid: ProcessID { identity.pid }

    /// Parses a stat line; fields after the command name are counted from the last
    /// `)`, which a process may put in its own name. Nil for anything else.
    static func parse(_ bytes: ArraySlice<UInt8>) -> ProcessKinship? {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
            let close = bytes.lastIndex(of: UInt8(ascii: ")")), open < close,
            let pid = Int32(String(decoding: bytes[bytes.startIndex..<open], as: UTF8.self)
                .trimmingSpaces)
        else { return nil }
        let fields = bytes[(close + 1)...].split(whereSeparator: { $0 == 0x20 || $0 == 0x0A })
        // fields[0] is field 3 (state), fields[19] is field 22 (start time).
        guard fields.count >= 20, let state = fields[0].first,
            let parent = Int32(String(decoding: fields[1], as: UTF8.self)),
            let group = Int32(String(decoding: fields[2], as: UTF8.self)),
            let session = Int32(String(decoding: fields[3], as: UTF8.self)),
            let start = UInt64(String(decoding: fields[19], as: UTF8.self))
        else { return nil }
        return ProcessKinship(
            identity: ProcessIdentity(pid: ProcessID(pid), startTime: start), parentPID: ProcessID(parent),
            group: ProcessID(group), session: ProcessID(session),
            exited: state == UInt8(ascii: "Z") || state == UInt8(ascii: "X"))
    }

    /// Reads one process's stat file under `root`; nil when it is gone or unreadable.
    static func read(_ pid: ProcessID, root: String) -> ProcessKinship? {
        guard let bytes = try? FileSystem.readBytes(root + "/" + pid.description + "/stat", limit: 64 << 10),
            let kinship = parse(bytes[...]), kinship.pid == pid
        else { return nil }
        return kinship
    }

    /// Every process under `root` (one stat read each; kernel threads included,
    /// which lead no session a watched process is in).
    static func readAll(root: String) -> [ProcessKinship] {
        let names = (try? FileSystem.contents(ofDirectory: root)) ?? []
        return names.compactMap { name in
            guard let pid = Int32(name), pid > 0 else { return nil }
            return read(ProcessID(pid), root: root)
        }
    }

    /// The live descendants of `pid` now, from the kernel's lists of each thread's
    /// children (`/proc/PID/task/TID/children`), at most `limit` of them. PostgreSQL's
    /// children each lead a session of their own: only this finds them without a
    /// look at every process.
    static func descendants(of pid: ProcessID, root: String, limit: Int = 4_096) -> [ProcessKinship] {
        var found: [ProcessKinship] = []
        var queue = [pid]
        var seen: Set<ProcessID> = [pid]
        while let next = queue.popLast(), found.count < limit {
            let tasks = (try? FileSystem.contents(ofDirectory: root + "/" + next.description + "/task")) ?? []
            for task in tasks {
                let path = root + "/" + next.description + "/task/" + task + "/children"
                guard let bytes = try? FileSystem.readBytes(path, limit: 1 << 20) else { continue }
                for word in bytes.split(separator: 0x20) {
                    guard let raw = Int32(String(decoding: word, as: UTF8.self)) else { continue }
                    let child = ProcessID(raw)
                    guard seen.insert(child).inserted, let kinship = read(child, root: root), !kinship.exited
                    else { continue }
                    found.append(kinship)
                    queue.append(child)
                }
            }
        }
        return found
    }

    /// Whether this process, looked at now, is still `identity` in the process
    /// table: running or a zombie that no one has reaped yet.
    static func isInTable(_ identity: ProcessIdentity, root: String) -> Bool {
        read(identity.pid, root: root)?.identity == identity
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
