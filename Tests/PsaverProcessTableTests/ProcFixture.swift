#if canImport(Glibc)
import Glibc
#endif
import PsaverConfig
import PsaverProcessTable
import PsaverSystem

/// A fake proc tree in a fresh temporary folder, removed when the fixture goes.
///
/// `root` plays `/proc`: one folder per pid with `stat`, `cmdline` (NUL
/// separated), `status` (a `Uid:` line) and `exe` (a link). Programs the links
/// point at live under `root/../bin`, inside the same temporary folder, so no test
/// depends on what the host has installed.
final class ProcFixture {
    /// The temporary folder, every link resolved (so it equals what realpath says).
    let base: String
    /// The fake `/proc`.
    let root: String

    init() throws {
        var template = Array("/tmp/psaver-proctable-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SystemError("mkdtemp", "/tmp")
        }
        base = try FileSystem.resolve(String(cString: made))
        root = base + "/proc"
        try FileSystem.makeDirectory(root)
        try FileSystem.makeDirectory(base + "/bin")
    }

    deinit { removeTree(base) }

    /// Creates an (empty) program file at `bin/NAME` and returns its path.
    @discardableResult
    func program(_ name: String) throws -> String {
        let path = base + "/bin/" + name
        try FileSystem.replaceAtomically(path, with: Array("#!/bin/true\n".utf8), permissions: 0o755)
        return path
    }

    /// Makes `bin/NAME` a link to `target` and returns its path.
    @discardableResult
    func programLink(_ name: String, to target: String) throws -> String {
        let path = base + "/bin/" + name
        try FileSystem.link(path, to: target)
        return path
    }

    /// Writes one fake process. `exe` nil leaves the link out (like an exe the
    /// caller may not read); `arguments` empty makes a kernel-thread-like cmdline.
    func process(
        _ pid: Int32, parent: Int32 = 1, state: Character = "S", startTime: UInt64 = 1000,
        name: String? = nil, arguments: [String], exe: String? = nil, uid: UInt32 = 1000,
        kernelThreadFlag: Bool = false
    ) throws {
        let folder = root + "/" + String(pid)
        try FileSystem.makeDirectory(folder)
        let comm = name ?? String((arguments.first ?? "kworker").split(separator: "/").last ?? "x")
        try write(folder + "/stat", Array(statLine(
            pid: pid, comm: comm, state: state, parent: parent, startTime: startTime,
            flags: kernelThreadFlag ? 0x0020_0040 : 0x0040_0100).utf8))
        var command: [UInt8] = []
        for argument in arguments { command += Array(argument.utf8) + [0] }
        try write(folder + "/cmdline", command)
        let status = """
            Name:\t\(comm)
            State:\t\(state)
            Pid:\t\(pid)
            PPid:\t\(parent)
            Uid:\t\(uid)\t\(uid)\t\(uid)\t\(uid)
            Gid:\t100\t100\t100\t100

            """
        try write(folder + "/status", Array(status.utf8))
        if let exe { try FileSystem.link(folder + "/exe", to: exe) }
    }

    /// A folder with nothing in it: a process that exited between the listing and
    /// the read of its files.
    func vanishedProcess(_ pid: Int32) throws {
        try FileSystem.makeDirectory(root + "/" + String(pid))
    }

    /// Replaces a process's stat file with `text` as is.
    func rawStat(_ pid: Int32, _ text: String) throws {
        try write(root + "/" + String(pid) + "/stat", Array(text.utf8))
    }

    /// Replaces a process's command line with `bytes` as is, whatever their encoding.
    func rawCommandLine(_ pid: Int32, _ bytes: [UInt8]) throws {
        try write(root + "/" + String(pid) + "/cmdline", bytes)
    }

    /// A table over this fixture, with the engine playing pid `selfPID`.
    func table(selfPID: Int32 = 999_999) -> ProcessTable {
        ProcessTable(root: root, selfPID: ProcessID(selfPID))
    }

    /// A stat line in the kernel's layout: 52 fields, `comm` in parentheses.
    func statLine(
        pid: Int32, comm: String, state: Character, parent: Int32, startTime: UInt64, flags: UInt64
    ) -> String {
        // Fields 5–8 (pgrp session tty_nr tpgid), 9 flags, 10–21, 22 starttime, 23–52.
        let middle = (10...21).map { _ in "0" }.joined(separator: " ")
        let tail = (23...52).map { _ in "0" }.joined(separator: " ")
        let head = "\(pid) (\(comm)) \(state) \(parent) \(pid) \(pid) 0 -1 \(flags)"
        return "\(head) \(middle) \(startTime) \(tail)\n"
    }

    private func write(_ path: String, _ bytes: [UInt8]) throws {
        try FileSystem.replaceAtomically(path, with: bytes, permissions: 0o644)
    }

    /// Deletes `path` and everything under it, links not followed.
    private func removeTree(_ path: String) {
        guard let status = try? FileSystem.status(of: path, followLinks: false) else { return }
        if status.kind == .directory {
            for name in (try? FileSystem.contents(ofDirectory: path)) ?? [] {
                removeTree(path + "/" + name)
            }
            rmdir(path)
        } else {
            try? FileSystem.remove(path)
        }
    }
}

/// An entry with only the matching fields that a test cares about.
func entry(
    _ id: Int, _ pname: String, include: [String] = [], exclude: [String] = [], user: UInt32? = nil
) -> Entry {
    Entry(
        id: PentID(id), pname: pname, restartScript: "/bin/true", grace: nil, retry: 3,
        retryOverAction: .exit, includeStrings: include, excludeStrings: exclude,
        user: user.map { String($0) }, userID: user.map { UserID($0) })
}
