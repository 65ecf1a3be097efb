#if canImport(Glibc)
import Glibc
#endif

/// A private folder made for one run (mode 0700 whatever the umask), for throw-away files
/// such as psview's demo.
public enum TemporaryDirectory {
    /// Creates `$TMPDIR/PREFIX-XXXXXX` (or under /tmp) with a unique name; returns its path.
    /// The corresponding C function is `mkdtemp`.
    public static func make(prefix: String) throws -> String {
        var base = Identity.environment("TMPDIR") ?? "/tmp"
        if !base.hasPrefix("/") || !FileSystem.exists(base) { base = "/tmp" }
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        guard made != nil else { throw SystemError("mkdtemp", "\(base)/\(prefix)-XXXXXX") }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension TemporaryDirectory {
    /// Removes `path` and everything under it, without following links; what cannot be
    /// removed is left. The corresponding C functions are `unlink` and `rmdir`.
    public static func removeTree(_ path: String) {
        guard let status = try? FileSystem.status(of: path, followLinks: false) else { return }
        if status.kind == .directory {
            for name in (try? FileSystem.contents(ofDirectory: path)) ?? [] {
                removeTree("\(path)/\(name)")
            }
            _ = rmdir(path)
        } else {
            _ = unlink(path)
        }
    }
}
