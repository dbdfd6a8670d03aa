/* menuconfig: an ncurses front end over libkconfig. Shared state and the
 * parts' interfaces; one context struct, no globals. */
#ifndef MC_H
#define MC_H

#include <stddef.h>
#include "../kconfig.h"

/* One line of a menu screen: a node, drawn indented under the entry it
 * depends on (6.1 mconf build_conf). */
struct mc_row {
	struct kconfig_menu *node;
	int indent;
	int visible;            /* 0: shown only because "show all" is on */
};

struct mc_rows {
	struct mc_row *v;
	size_t n, cap;
};

#define MC_STACK_MAX 64

struct mc {
	struct kconfig *kc;
	const char *config;     /* KCONFIG_CONFIG */
	const char *prefix;     /* CONFIG_ */
	int show_all;
	int dirty;              /* edits not yet saved */
	int saved;              /* written at least once */
	int mono;
	/* menus entered, outermost first; each with its cursor and scroll */
	struct kconfig_menu *stack[MC_STACK_MAX];
	int cursor[MC_STACK_MAX], top[MC_STACK_MAX];
	int depth;
	struct mc_rows rows;    /* rows of stack[depth - 1] */
	char status[256];       /* one-line message under the list */
	char pattern[256];      /* the last search */
};

/* rows.c */
/* The node whose screen shows m: the nearest menu, menuconfig entry or
 * choice above it (entries nested under a plain symbol are shown inline). */
struct kconfig_menu *mc_screen_of(struct kconfig_menu *m);
/* Whether Enter on the node opens a screen of its own. */
int mc_opens_screen(struct kconfig *kc, struct kconfig_menu *m);
/* Fill rows with what the screen of `menu` shows. 0, or -1 out of memory. */
int mc_build_rows(struct mc *mc, struct kconfig_menu *menu, struct mc_rows *rows);
/* The line for a row, at most `size` bytes with the NUL. */
void mc_row_text(struct mc *mc, const struct mc_row *r, char *buf, size_t size);
/* The value a bool/tristate entry takes next when Space cycles it, or NULL
 * when it cannot change. */
const char *mc_next_value(struct kconfig *kc, struct kconfig_symbol *s);
/* "Main menu > A > B" for the screen of m (written into buf). */
void mc_path(struct kconfig_menu *m, char *buf, size_t size);

/* search.c: match symbol entries by name or prompt, substring or regex
 * (case-insensitive). Fills *out (malloc'd, caller frees) and returns the
 * count, or -1 with a message in err when the pattern is not valid. */
int mc_search(struct mc *mc, const char *pattern, struct kconfig_menu ***out,
	      char *err, size_t errsize);

#endif
