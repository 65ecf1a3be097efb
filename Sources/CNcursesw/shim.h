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
#endif
