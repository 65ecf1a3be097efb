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
        // Messages quote pfiles, state files and engines' answers: no control characters.
        let text = TerminalText.visible(line, keepingLineBreaks: true)
        try? FileDescriptor.standardError.write(Array((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
