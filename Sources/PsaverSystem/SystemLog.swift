import CPsaverShims

/// syslog(3) under an ident, with the pid, facility LOG_DAEMON.
public enum SystemLog {
    public enum Priority: Int32, Sendable {
        case error = 3, warning = 4, notice = 5, info = 6
    }

    /// Opens the connection with `ident` (kept alive for the process's lifetime,
    /// as openlog requires). The corresponding C function is `openlog`.
    public static func open(ident: String) {
        let kept = strdupForever(ident)
        psaver_syslog_open(kept)
    }

    /// Sends one message. The corresponding C function is `syslog`.
    public static func send(_ message: String, priority: Priority) {
        psaver_syslog(priority.rawValue, message)
    }

    private static func strdupForever(_ text: String) -> UnsafePointer<CChar> {
        let bytes = Array(text.utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        pointer.initialize(from: bytes, count: bytes.count)
        return UnsafePointer(pointer)
    }
}
