#if canImport(Glibc)
import Glibc
#endif

/// Who and where this process is: ids, host name, user names.
public enum Identity {
    public static var processID: ProcessID { ProcessID(getpid()) }
    public static var effectiveUser: UserID { UserID(geteuid()) }

    /// The host name, without domain, as syslog prints it.
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(cString: buffer)
        return String(name.split(separator: ".").first ?? Substring(name))
    }

    /// The user id for a login name, or nil when no such user exists.
    public static func userID(named name: String) -> UserID? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else {
            return nil
        }
        return UserID(entry.pw_uid)
    }

    /// The login name for a user id, or the number when it has none.
    public static func userName(of user: UserID) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(user.rawValue, &entry, &buffer, buffer.count, &result) == 0, result != nil,
            let name = entry.pw_name
        else { return String(user.rawValue) }
        return String(cString: name)
    }

    /// An environment variable, or nil.
    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// The whole environment as `NAME=value` strings.
    public static func environmentStrings() -> [String] {
        var result: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            result.append(String(cString: entry))
            cursor += 1
        }
        return result
    }
}
