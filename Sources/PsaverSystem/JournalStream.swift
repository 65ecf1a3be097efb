/// Whether the standard error is systemd's journal, which adds its own time, host
/// and ident to every line (systemd.exec(5), `$JOURNAL_STREAM`).
public enum JournalStream {
    /// True when `$JOURNAL_STREAM` (`DEVICE:INODE`) names the file stderr is open on.
    public static func isStandardError(environment value: String? = Identity.environment("JOURNAL_STREAM")) -> Bool {
        guard let value else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]),
            let info = try? Syscalls.fstat(FileDescriptor.standardError.rawValue)
        else { return false }
        let status = FileStatus(info)
        return status.device == device && status.inode == inode
    }
}
