#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which call, on what, and the C `errno` it set.
public struct SystemError: Error, Equatable, CustomStringConvertible {
    /// The C function that failed, such as `open`.
    public var call: String
    /// The file, socket path or other object the call was about, if any.
    public var subject: String?
    /// The C `errno` value.
    public var code: Int32

    /// A failure of `call`; `code` defaults to the current `errno`.
    public init(_ call: String, _ subject: String? = nil, code: Int32? = nil) {
        self.call = call
        self.subject = subject
        self.code = code ?? errno
    }

    /// The C library's English text for `code`, such as "Permission denied".
    public var reason: String { String(cString: strerror(code)) }

    public var description: String {
        if let subject { return "\(call) \(subject): \(reason)" }
        return "\(call): \(reason)"
    }

    public static let noSuchFile = ENOENT
    public static let permissionDenied = EACCES
    public static let notPermitted = EPERM
    public static let noSuchProcess = ESRCH
    public static let addressInUse = EADDRINUSE
    public static let wouldBlock = EAGAIN
    public static let notImplemented = ENOSYS
    public static let connectionRefused = ECONNREFUSED
}
