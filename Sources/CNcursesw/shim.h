// ncursesw through one header: wide characters on, and the macros and globals
// Swift cannot see wrapped as small functions.
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/ncurses.h>

static inline WINDOW *psaver_stdscr(void) { return stdscr; }
static inline int psaver_lines(void) { return LINES; }
static inline int psaver_cols(void) { return COLS; }
static inline int psaver_a_bold(void) { return (int)A_BOLD; }
static inline int psaver_a_reverse(void) { return (int)A_REVERSE; }
static inline int psaver_a_underline(void) { return (int)A_UNDERLINE; }
static inline int psaver_a_dim(void) { return (int)A_DIM; }
static inline int psaver_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int psaver_key_resize(void) { return KEY_RESIZE; }
static inline int psaver_err(void) { return ERR; }
// --- Terminal lifecycle (PsaverScreen.Terminal) ---------------------------------
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int psaver_key_code_yes(void) { return KEY_CODE_YES; }
static inline int psaver_ok(void) { return OK; }

// Sets the locale from the environment, so ncursesw reads and writes UTF-8.
static inline void psaver_setlocale_from_environment(void) { setlocale(LC_ALL, ""); }

// newterm on stdin/stdout: like initscr, but returns NULL instead of exiting when
// the terminal cannot be set up.
static inline SCREEN *psaver_newterm(void) { return newterm(NULL, stdout, stdin); }

// Non-empty NO_COLOR (https://no-color.org) turns colours off.
static inline int psaver_no_color_requested(void) {
    const char *value = getenv("NO_COLOR");
    return value != NULL && value[0] != '\0';
}

// Whether curses owns the terminal; endwin runs at most once per start, from
// whichever exit path gets there first (close, atexit, a crash signal).
// Swift emits these statics once per object file that uses them: call the lifecycle
// functions below from one Swift file only (PsaverScreen/Terminal.swift).
static volatile sig_atomic_t psaver_curses_active = 0;

static inline void psaver_mark_curses_active(void) { psaver_curses_active = 1; }

static inline void psaver_restore_terminal(void) {
    if (psaver_curses_active) {
        psaver_curses_active = 0;
        endwin();
    }
}

static void psaver_restore_at_exit(void) { psaver_restore_terminal(); }

#define PSAVER_CRASH_SIGNALS 6
static const int psaver_crash_signals[PSAVER_CRASH_SIGNALS] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE};
// The handlers found at installation. A function-local static, because Swift emits a
// header's functions but not its file-scope tentative definitions.
static inline struct sigaction *psaver_previous_actions(void) {
    static struct sigaction actions[PSAVER_CRASH_SIGNALS];
    return actions;
}

// On a crash: give the terminal back, put the previous handler (Swift's backtracer,
// or the default) back in place and raise again, so the crash report still appears.
static void psaver_crash_handler(int signal_number) {
    psaver_restore_terminal();
    for (int i = 0; i < PSAVER_CRASH_SIGNALS; i++) {
        if (psaver_crash_signals[i] == signal_number) {
            sigaction(signal_number, &psaver_previous_actions()[i], NULL);
        }
    }
    raise(signal_number);
}

// Restores the terminal at exit() and on crash signals. Call once, after start-up.
static inline void psaver_install_terminal_restore(void) {
    static int installed = 0;
    if (installed) return;
    installed = 1;
    atexit(psaver_restore_at_exit);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = psaver_crash_handler;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < PSAVER_CRASH_SIGNALS; i++) {
        sigaction(psaver_crash_signals[i], &action, &psaver_previous_actions()[i]);
    }
}
#endif
