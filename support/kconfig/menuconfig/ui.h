/* Screen parts of menuconfig: colours (or mono), dialogs. */
#ifndef MC_UI_H
#define MC_UI_H

#include <stddef.h>
#include "mc.h"

enum mc_attr { MC_TITLE, MC_SELECTED, MC_HIDDEN, MC_DIALOG, MC_ERROR, MC_NORMAL };

/* Start curses on the terminal. Returns 0, or -1 when the terminal cannot
 * be driven (message printed to stderr). */
int mc_ui_start(struct mc *mc);
void mc_ui_stop(void);
/* The curses attributes of a role, colour or mono. */
int mc_attr(const struct mc *mc, enum mc_attr a);

/* Read one key; Esc followed by Esc within half a second is MC_KEY_BACK. */
#define MC_KEY_BACK 0x1000
int mc_getkey(void);

/* A one-line editor in a box: `info` lines above the field (may be NULL),
 * buf holds the initial text and receives the result. `check` returns an
 * error message for a value that must be refused, or NULL. Returns 1 when
 * accepted with Enter, 0 when cancelled with Esc. */
int mc_input(struct mc *mc, const char *title, const char *info, char *buf, size_t size,
	     const char *(*check)(struct mc *mc, void *arg, const char *value), void *arg);

/* A question answered y / n / c (Esc and Ctrl-C are c). Returns the key. */
int mc_ask(struct mc *mc, const char *question);

/* A scrollable text. Lines starting with "(N) " for N in 1..9 are jump
 * targets: pressing N returns N; Esc, q, Enter, Left return 0. */
int mc_text(struct mc *mc, const char *title, const char *text);

#endif
