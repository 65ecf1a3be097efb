import CNcursesw
public import PsaverConsole

extension Terminal {
    /// The next key, or nil when none is waiting (within the input timeout).
    ///
    /// Keys the console has no use for (←, →, control characters, F13 and up) are skipped.
    /// `KEY_RESIZE` comes back as `.resize` with the new size, Ctrl-L as `.resize` with the
    /// current size; after either, the next paint redraws the whole screen.
    public func readKey() -> ConsoleKey? {
        while true {
            var character: wint_t = 0
            let result = wget_wch(psaver_stdscr(), &character)
            if result == psaver_err() { return nil }
            let code = Int32(bitPattern: UInt32(character))
            let key = result == psaver_key_code_yes() ? functionKey(code) : characterKey(code)
            if let key { return key }
        }
    }

    private func functionKey(_ code: Int32) -> ConsoleKey? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME, KEY_A1: .home
        case KEY_END, KEY_C1: .end
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case (KEY_F0 + 1)...(KEY_F0 + 12): .function(Int(code - KEY_F0))
        case psaver_key_resize():
            // The terminal may have scrolled or cleared on the way (tmux keeps the bottom
            // lines when it shrinks a pane): curses' idea of the screen is wrong, repaint all.
            resizedScreenNeedsFullRepaint()
        default: nil
        }
    }

    private func resizedScreenNeedsFullRepaint() -> ConsoleKey {
        clearok(psaver_stdscr(), true)
        return .resize(rows: size.rows, cols: size.cols)
    }

    private func characterKey(_ code: Int32) -> ConsoleKey? {
        switch code {
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 12:
            clearok(psaver_stdscr(), true)
            return .resize(rows: size.rows, cols: size.cols)
        case ..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(UInt32(bitPattern: code)) else { return nil }
            return .character(Character(scalar))
        }
    }
}
