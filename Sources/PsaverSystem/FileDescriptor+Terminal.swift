#if canImport(Glibc)
import Glibc
#endif

extension FileDescriptor {
    public static let standardOutput = FileDescriptor(rawValue: 1)

    /// Whether the descriptor is a terminal. The corresponding C function is `isatty`.
    public var isTerminal: Bool { isatty(rawValue) == 1 }
}
