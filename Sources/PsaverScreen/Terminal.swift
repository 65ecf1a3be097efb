import CNcursesw

/// The curses terminal psview draws on: the only code that talks to ncursesw.
///
/// `init` takes the terminal over (locale from the environment, cbreak, no echo, keypad,
/// no newline translation, hidden cursor, colours unless turned off); `close` gives it
/// back. The terminal is also given back at `exit()` and on crash signals (see
/// `restore()`), so no exit path leaves the shell in raw mode. SIGINT and SIGTERM are the
/// app's to handle (call `close` or `restore` before exiting). One instance per process.
///
/// Not thread-safe: use it from the app's event-loop thread only.
public final class Terminal {
    /// Whether colour pairs are in use; false with NO_COLOR, `--no-color` or a
    /// terminal without colours (styles then map to bold, reverse and dim only).
    public let usesColor: Bool

    /// The descriptor keys arrive on (stdin), for the app's epoll set. When it is
    /// readable, call `readKey()` until it returns nil.
    public var inputFileDescriptor: Int32 { 0 }

    /// Takes over the terminal.
    ///
    /// - Parameter color: false for `--no-color`. Colours are also off when the NO_COLOR
    ///   environment variable is set to anything non-empty, or the terminal has none.
    /// - Throws: `TerminalError.unavailable` when stdin/stdout is not a terminal curses
    ///   can drive (unknown TERM, not a tty); nothing has been changed then.
    public init(color: Bool = true) throws(TerminalError) {
        psaver_setlocale_from_environment()
        guard psaver_newterm() != nil else { throw .unavailable }
        psaver_mark_curses_active()
        psaver_install_terminal_restore()
        let screen = psaver_stdscr()
        cbreak()
        noecho()
        nonl()
        keypad(screen, true)
        intrflush(screen, false)
        curs_set(0)
        set_escdelay(25)  // Esc is a key of its own here, not a prefix to wait a second for
        wtimeout(screen, 0)
        var colorful = color && psaver_no_color_requested() == 0 && has_colors()
        if colorful {
            colorful = start_color() == psaver_ok()
            if colorful {
                use_default_colors()
                Palette.defineColorPairs()
            }
        }
        usesColor = colorful
    }

    deinit { close() }

    /// The terminal's size now (curses updates it on resize).
    public var size: (rows: Int, cols: Int) {
        (Int(psaver_lines()), Int(psaver_cols()))
    }

    /// How long `readKey()` waits: 0 returns at once (the default, for an epoll loop),
    /// a negative value waits for a key, a positive one waits at most that many ms.
    public func setInputTimeout(milliseconds: Int32) {
        wtimeout(psaver_stdscr(), milliseconds)
    }

    /// Gives the terminal back (`endwin`). Safe to call more than once.
    public func close() {
        Terminal.restore()
    }

    /// Gives the terminal back if curses still holds it; idempotent, and what the
    /// atexit and crash-signal hooks call. Call it from a SIGINT/SIGTERM path too.
    public static func restore() {
        psaver_restore_terminal()
    }
}

/// Why the terminal could not be taken over.
public enum TerminalError: Error, CustomStringConvertible {
    /// stdin/stdout is not a terminal, or TERM names one curses does not know.
    case unavailable

    public var description: String {
        switch self {
        case .unavailable:
            "psview needs a terminal: stdin and stdout must be a tty and TERM must name a known terminal type"
        }
    }
}
