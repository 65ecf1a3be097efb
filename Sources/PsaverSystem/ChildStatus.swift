/// How a child process ended, decoded from a wait(2) status.
public enum ChildStatus: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Exit status 0.
    public var succeeded: Bool { self == .exited(0) }

    /// `exit status 3` or `killed by signal 9`.
    public var description: String {
        switch self {
        case .exited(let code): "exit status \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }
}
