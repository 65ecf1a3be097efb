#if canImport(Glibc)
import Glibc
#endif

/// Leaving the program and talking to its standard streams, for the `main`s.
public enum ProgramExit {
    /// Flushes stdout and exits with `code`. The corresponding C function is `exit`.
    public static func exit(_ code: Int32) -> Never {
        fflush(nil)
        Glibc.exit(code)
    }

    /// Writes one line to stderr, unbuffered.
    public static func printError(_ line: String) {
        try? FileDescriptor.standardError.write(Array((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }
}
