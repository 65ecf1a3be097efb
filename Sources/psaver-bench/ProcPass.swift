#if canImport(Glibc)
import Glibc
#endif
import PsaverConfig
import PsaverProcessTable
import PsaverSystem

/// `psaver-bench proc-pass`: the cost of one /proc pass for every entry, on a
/// fixture tree (so that `valgrind --tool=callgrind` counts the same work every
/// time): `entries` services each with its process (argv[0] = pname, exe its
/// file), plus `others` unrelated processes, as a host carries.
///
/// The fixture is kept in `--fixture FOLDER` and reused when it exists.
struct ProcPass {
    var entries: Int
    var others: Int
    var passes: Int
    var fixture: String

    func run() throws {
        let root = fixture + "/proc"
        if !FileSystem.exists(root) { try build(root: root) }
        let list = (0..<entries).map { index in
            Entry(id: PentID(index + 1), pname: service(index), restartScript: "/bin/true", grace: nil, retry: 3,
                  retryOverAction: .exit)
        }
        let table = ProcessTable(root: root, selfPID: ProcessID(999_999))
        var found = 0
        let start = MonotonicInstant.now()
        for _ in 0..<passes { found = table.findMatches(for: list).count }
        let elapsed = Double((MonotonicInstant.now() - start).nanoseconds) / 1e6
        print("proc-pass: \(entries) entries, \(entries + others) processes, \(passes) passes: "
            + "\(Summary.format(elapsed / Double(passes))) ms per pass, \(found) entries found")
    }

    private func service(_ index: Int) -> String { "\(fixture)/bin/svc-\(index)" }

    private func build(root: String) throws {
        for folder in [fixture, fixture + "/bin", root] { try FileSystem.makeDirectory(folder) }
        let others = ["/usr/sbin/sshd", "/usr/bin/bash", "/usr/lib/systemd/systemd-journald", "/usr/sbin/cron"]
        for index in 0..<(entries + self.others) {
            let pid = index + 100
            let program: String
            if index < entries {
                program = service(index)
                try FileSystem.replaceAtomically(program, with: Array("#!/bin/true\n".utf8), permissions: 0o755)
            } else {
                program = others[index % others.count]
            }
            let folder = "\(root)/\(pid)"
            try FileSystem.makeDirectory(folder)
            let comm = String(FileSystem.baseName(of: program).prefix(15))
            let middle = (10...21).map { _ in "0" }.joined(separator: " ")
            let tail = (23...52).map { _ in "0" }.joined(separator: " ")
            let stat = "\(pid) (\(comm)) S 1 \(pid) \(pid) 0 -1 4194560 \(middle) \(1000 + index) \(tail)\n"
            try FileSystem.replaceAtomically(folder + "/stat", with: Array(stat.utf8))
            try FileSystem.replaceAtomically(folder + "/cmdline", with: Array("\(program)\u{0}86400\u{0}".utf8))
            try FileSystem.replaceAtomically(folder + "/status", with: Array("Uid:\t0\t0\t0\t0\n".utf8))
            try FileSystem.link(folder + "/exe", to: program)
        }
    }
}
