/// Which processes have a file open for writing, read from `/proc` (what `fuser`
/// shows): a pfile being written in place (`cat > pfile`, an editor that does not
/// replace the file) is not read until its writer has closed it.
public enum OpenWriters {
    /// Pids whose open descriptors include `path` with write access. Processes whose
    /// descriptors this user may not read are skipped. Costs one look per open
    /// descriptor on the host: for rare events (SIGHUP), not for every pass.
    public static func pids(of path: String, procRoot: String = "/proc") -> [ProcessID] {
        let target = (try? FileSystem.resolve(path)) ?? path
        let me = Identity.processID.rawValue
        var writers: [ProcessID] = []
        for name in (try? FileSystem.contents(ofDirectory: procRoot)) ?? [] {
            guard let pid = Int32(name), pid != me,
                let descriptors = try? FileSystem.contents(ofDirectory: "\(procRoot)/\(name)/fd")
            else { continue }
            for fd in descriptors {
                guard (try? FileSystem.readLink("\(procRoot)/\(name)/fd/\(fd)")) == target,
                    let info = try? FileSystem.readText("\(procRoot)/\(name)/fdinfo/\(fd)", limit: 4096),
                    isWritable(fdinfo: info)
                else { continue }
                writers.append(ProcessID(pid))
                break
            }
        }
        return writers
    }

    /// Whether an `fdinfo` text's `flags:` (octal) open the file for writing.
    public static func isWritable(fdinfo: String) -> Bool {
        for line in fdinfo.split(separator: "\n") where line.hasPrefix("flags:") {
            let value = line.dropFirst("flags:".count).trimmingCharacters(in: " \t")
            guard let flags = Int(value, radix: 8) else { return false }
            return flags & 0o3 != 0
        }
        return false
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var text = self
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return text
    }
}
