/*
 * libkconfig: a Kconfig engine as a library.
 *
 * The model follows Kconfiglib: a Kconfig tree is parsed once into a tree of
 * menu nodes; each `config` entry names a symbol, and symbol values are
 * computed on demand and cached until a user value changes. The value rules
 * and every file format are those of Linux 6.1 scripts/kconfig (symbol.c,
 * menu.c, confdata.c), which is the reference the tests compare against.
 *
 * No global mutable state: everything lives in a `struct kconfig`, so two
 * configurations can be loaded in one process.
 *
 * Errors: functions that can fail return a negative value or NULL and leave a
 * message of the form "file:line: message" readable with kconfig_error().
 * Warnings (unknown symbols in a .config, invalid values) are printed to the
 * warning stream given in the options (stderr when NULL), as conf does.
 */
#ifndef KCONFIG_H
#define KCONFIG_H

#include <stdio.h>

struct kconfig;
struct kconfig_symbol;
struct kconfig_menu;

/* Tristate values, ordered so that min() is AND and max() is OR. */
enum kconfig_tri { KCONFIG_N = 0, KCONFIG_M = 1, KCONFIG_Y = 2 };

enum kconfig_type {
	KCONFIG_UNKNOWN, KCONFIG_BOOL, KCONFIG_TRISTATE,
	KCONFIG_INT, KCONFIG_HEX, KCONFIG_STRING
};

struct kconfig_options {
	/* Symbol name prefix in .config/auto.conf/autoconf.h: "CONFIG_" when NULL
	 * (Linux 6.1 reads it from the CONFIG_ environment variable). */
	const char *prefix;
	/* Where warnings go; stderr when NULL. Not owned. */
	FILE *warn;
	/* Base for relative `source` paths ($srctree in Linux); "" or NULL means
	 * the current directory. Not owned, copied. */
	const char *srctree;
	/* Non-zero: `$(shell,...)` is an error instead of running a command
	 * (for untrusted Kconfig text: the fuzz targets). */
	int no_shell;
};

/*
 * Parse the Kconfig tree rooted at `path`.
 * Returns a new context (free with kconfig_free()) or NULL on a syntax or
 * I/O error; then *err (when err is not NULL) receives a malloc'd
 * "file:line: message" the caller frees.
 */
struct kconfig *kconfig_load(const char *path, const struct kconfig_options *opt,
			     char **err);

/*
 * For a tree with a symbol marked `option defconfig_list` (older Kconfig
 * trees; Linux 5.x confdata.c conf_read_simple): the first of its defaults
 * whose condition is not n and whose file can be read (as given, else under
 * srctree), the configuration to start from when there is no .config.
 * Returns the name as the tree gives it (owned by kc; read it with
 * kconfig_read_config()), or NULL.
 */
const char *kconfig_defconfig_list_file(struct kconfig *kc);

/* Free everything the context owns, including its symbols. NULL is a no-op. */
void kconfig_free(struct kconfig *kc);

/* The last error message of a failed call; never NULL (may be ""). Owned by kc. */
const char *kconfig_error(const struct kconfig *kc);

/* The `mainmenu` prompt, or "Main menu". Owned by kc. */
const char *kconfig_mainmenu(const struct kconfig *kc);

/* Files that were read while parsing, in order (for auto.conf.cmd);
 * returns their count and stores the array, owned by kc, in *files. */
size_t kconfig_files(const struct kconfig *kc, const char *const **files);

/* Environment variables the tree referenced, with the value seen. Returns the
 * count; names and values arrays are owned by kc. */
size_t kconfig_env_deps(const struct kconfig *kc, const char *const **names,
			const char *const **values);

/* ---- symbols ---------------------------------------------------------- */

/* Find a named (non-constant) symbol; NULL if the tree defines none. */
struct kconfig_symbol *kconfig_find(const struct kconfig *kc, const char *name);

/* Iterate over all named symbols in definition order: pass NULL to start;
 * returns NULL after the last. */
struct kconfig_symbol *kconfig_next_symbol(const struct kconfig *kc,
					   const struct kconfig_symbol *prev);

const char *kconfig_sym_name(const struct kconfig_symbol *sym);
enum kconfig_type kconfig_sym_type(const struct kconfig_symbol *sym);
const char *kconfig_type_name(enum kconfig_type t); /* "bool", ..., "unknown" */

/* Current value as a string ("n"/"m"/"y" for bool and tristate). The pointer
 * stays valid until the next change of any user value. */
const char *kconfig_sym_str_value(struct kconfig *kc, struct kconfig_symbol *sym);

/* Current tristate value (n for int/hex/string). */
enum kconfig_tri kconfig_sym_tri_value(struct kconfig *kc, struct kconfig_symbol *sym);

/* Visibility: the OR of the prompts' conditions (Linux 6.1 sym_calc_visibility). */
enum kconfig_tri kconfig_sym_visibility(struct kconfig *kc, struct kconfig_symbol *sym);

/* Whether the symbol is written to .config (6.1's SYMBOL_WRITE rule). */
int kconfig_sym_written(struct kconfig *kc, struct kconfig_symbol *sym);

/*
 * Set a user value as `conf` would from a .config line: "n"/"m"/"y" for
 * bool/tristate, decimal for int, hex with or without 0x for hex, any text
 * for string. Returns 0, or -1 when the value is not valid for the type
 * (kconfig_error() says why). The value takes effect subject to visibility
 * and range, as in 6.1; use kconfig_sym_str_value() to read the outcome.
 */
int kconfig_sym_set_value(struct kconfig *kc, struct kconfig_symbol *sym,
			  const char *value);

/* Whether the symbol has a user value (from a .config or a set). */
int kconfig_sym_has_user_value(const struct kconfig_symbol *sym);

/* Drop the user value of sym (it then follows its defaults). */
void kconfig_sym_unset(struct kconfig *kc, struct kconfig_symbol *sym);

/*
 * Write to `out` why sym has its value: the user value, the default that
 * applies, the selects and implies in force; for a symbol that cannot be
 * raised, the unmet terms of its dependencies with their current values,
 * recursively. Returns 0, or -1 on a write error.
 */
int kconfig_explain(struct kconfig *kc, struct kconfig_symbol *sym, FILE *out);

/* ---- configuration files (formats of Linux 6.1 confdata.c) -------------- */

/*
 * Read a .config or defconfig into the user values. With `replace`, all user
 * values are cleared first (conf_read_simple); otherwise the file is merged
 * over them (KCONFIG_ALLCONFIG / fragments). Unknown symbols and invalid
 * values are warned about with "file:line:" and skipped. A relative `path`
 * that does not exist is looked up under the options' srctree, as Linux 6.1
 * zconf_fopen does. Returns 0, or -1 when the file cannot be opened
 * (kconfig_error() says why).
 */
int kconfig_read_config(struct kconfig *kc, const char *path, int replace);

/*
 * After reading a .config: recompute everything and report (1) whether the
 * configuration on disk differs from what would be written (6.1 conf_read's
 * change detection), dropping user values of invisible symbols and
 * out-of-range values as conf does. Returns 1 if changed, 0 if not.
 */
int kconfig_settle(struct kconfig *kc);

/* How unset symbols are filled by kconfig_set_all_new() (6.1 conf.c modes). */
enum kconfig_fill { KCONFIG_FILL_DEFAULT, KCONFIG_FILL_NO, KCONFIG_FILL_YES,
		    KCONFIG_FILL_MOD, KCONFIG_FILL_RANDOM };

/* Give every bool/tristate without a user value the value of `mode`
 * (conf_set_all_new_symbols); for KCONFIG_FILL_RANDOM, `seed` and the
 * percentages (pby, pty, ptm; as KCONFIG_PROBABILITY) drive it. */
void kconfig_set_all_new(struct kconfig *kc, enum kconfig_fill mode,
			 unsigned seed, int pby, int pty, int ptm);

/*
 * Ask for every visible, changeable symbol without a user value, in menu
 * order, reading one answer per line from `in` and writing the questions to
 * `out` (6.1 conf --oldconfig). With `all` (--oldaskconfig), first ask every
 * visible symbol, new or not. Empty answers and end of input keep the
 * default shown. Returns 0, or -1 on a write error.
 */
int kconfig_oldconfig(struct kconfig *kc, FILE *in, FILE *out, int all);

/*
 * Write `<prefix><NAME>=<value>` for every symbol new to the configuration
 * (visible, changeable, no user value), in menu order, as Linux 6.1 conf
 * --listnewconfig does (conf.c check_conf, confdata.c
 * print_symbol_for_listconfig: n written as n, strings quoted and escaped).
 * Returns 0, or -1 on a write error.
 */
int kconfig_list_new(struct kconfig *kc, FILE *out, const char *prefix);

/* Write the full .config to `path` atomically (temp file + rename), keeping
 * the previous file as `path`.old. Returns 0 or -1. */
int kconfig_write_config(struct kconfig *kc, const char *path);

/* Write a minimal defconfig (6.1 conf_write_defconfig) atomically. 0 or -1. */
int kconfig_write_defconfig(struct kconfig *kc, const char *path);

/*
 * Write auto.conf (for make), its .cmd dependency file (`cmd`, may be NULL:
 * make rules naming every Kconfig file and environment variable read, so make
 * re-runs syncconfig when one changes) and autoconf.h (`header`, may be NULL).
 * Each written atomically. Returns 0 or -1.
 */
int kconfig_write_autoconf(struct kconfig *kc, const char *autoconf,
			   const char *cmd, const char *header);

/* Write every symbol as JSON (type, value, visibility, user value, defined
 * at file:line) atomically. Returns 0 or -1. */
int kconfig_write_json(struct kconfig *kc, const char *path);

/* ---- the menu tree, for front ends (menuconfig) -------------------------- */

/* What a menu node is (6.1 menu.c: a `menu`, a `comment`, a config entry or
 * a choice); KCONFIG_NODE_OTHER for the root and for `if` blocks. */
enum kconfig_node_kind {
	KCONFIG_NODE_MENU, KCONFIG_NODE_COMMENT, KCONFIG_NODE_SYMBOL,
	KCONFIG_NODE_CHOICE, KCONFIG_NODE_OTHER
};

/* The root node (the main menu). Owned by kc, like every node. */
struct kconfig_menu *kconfig_menu_root(struct kconfig *kc);

/* First child of m (after 6.1's finalisation: `if` blocks flattened, entries
 * depending on a symbol nested under it), or NULL. */
struct kconfig_menu *kconfig_menu_list(const struct kconfig_menu *m);

/* Next sibling of m, or NULL. */
struct kconfig_menu *kconfig_menu_next(const struct kconfig_menu *m);

/* Parent of m, or NULL for the root. */
struct kconfig_menu *kconfig_menu_parent(const struct kconfig_menu *m);

enum kconfig_node_kind kconfig_menu_kind(const struct kconfig_menu *m);

/* The node's prompt text, or NULL when it has none. Owned by kc. */
const char *kconfig_menu_prompt(const struct kconfig_menu *m);

/* Whether mconf would show the node: its prompt is visible, or it is a
 * symbol that is not n with a visible child (6.1 menu_is_visible). */
int kconfig_menu_visible(struct kconfig *kc, struct kconfig_menu *m);

/* Whether the entry was written as `menuconfig` (its children are shown in
 * a submenu of their own). */
int kconfig_menu_is_menuconfig(const struct kconfig_menu *m);

/* The symbol of a config entry, or the choice's own symbol of a choice; NULL
 * for menus and comments. */
struct kconfig_symbol *kconfig_menu_sym(const struct kconfig_menu *m);

/* The node's help text, or NULL. Owned by kc. */
const char *kconfig_menu_help(const struct kconfig_menu *m);

/* Where the node was defined: returns the file name (owned by kc) and stores
 * the line number in *line. */
const char *kconfig_menu_location(const struct kconfig_menu *m, int *line);

/* The first menu node defining sym, or NULL (symbols only referenced). */
struct kconfig_menu *kconfig_sym_menu(const struct kconfig_symbol *sym);

/* Whether the user may give sym the value now, as mconf allows it: for
 * bool/tristate, between what selects force and what visibility allows
 * (6.1 sym_tristate_within_range); for int/hex/string, well-formed and
 * within the active `range` (6.1 sym_string_within_range). 1 or 0. */
int kconfig_sym_settable(struct kconfig *kc, struct kconfig_symbol *sym,
			 const char *value);

/* The active `range` of an int/hex symbol: returns 1 and stores its bounds
 * as strings (owned by kc, valid until the next change) in *lo and *hi, or
 * returns 0 when no range applies. */
int kconfig_sym_range(struct kconfig *kc, struct kconfig_symbol *sym,
		      const char **lo, const char **hi);

/* The member of a choice in force now, or NULL (an optional choice set to
 * n). `choice` is the symbol of a KCONFIG_NODE_CHOICE node. */
struct kconfig_symbol *kconfig_choice_selection(struct kconfig *kc,
						struct kconfig_symbol *choice);

/*
 * Write the help screen of a node to `out`, as mconf's help plus the
 * explanation of `kconfig why`: prompt, symbol name with prefix and value,
 * type, definition file:line, "Depends on" with each term's value, menu
 * location, "Selected by" and "Implied by" with values, the help text, and
 * for an entry that cannot be enabled the unmet terms down to what the user
 * can change. Returns 0, or -1 on a write error.
 */
int kconfig_describe(struct kconfig *kc, struct kconfig_menu *m, FILE *out);

/*
 * The symbols named by the unmet terms kconfig_explain() lists for sym (the
 * ones a user would visit to enable it), in that order, without repeats.
 * Stores up to `max` of them in out[] and returns how many there are (may be
 * more than max).
 */
size_t kconfig_unmet_symbols(struct kconfig *kc, struct kconfig_symbol *sym,
			     struct kconfig_symbol **out, size_t max);

#endif
