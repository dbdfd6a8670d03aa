/* Internal data model of libkconfig; see kconfig.h for the public API. */
#ifndef KCONFIG_INTERNAL_H
#define KCONFIG_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include "kconfig.h"

typedef enum kconfig_tri tri;

enum expr_op {
	E_SYMBOL, E_NOT, E_AND, E_OR,
	E_EQUAL, E_UNEQUAL, E_LTH, E_LEQ, E_GTH, E_GEQ
};

struct expr {
	enum expr_op op;
	struct expr *left, *right;          /* E_NOT (left), E_AND, E_OR */
	struct kconfig_symbol *sym, *sym2;  /* E_SYMBOL (sym), comparisons */
	struct expr *all_next;              /* ownership chain in the context */
};

enum prop_type { P_PROMPT, P_DEFAULT, P_SELECT, P_IMPLY, P_RANGE };

struct property {
	enum prop_type type;
	const char *text;                   /* prompt text */
	struct expr *expr;                  /* default value */
	struct kconfig_symbol *target;      /* select/imply target, range low */
	struct kconfig_symbol *target2;     /* range high */
	struct expr *cond;                  /* `if` part, then full visibility */
	tri vis;                            /* last computed value of cond */
	struct kconfig_menu *menu;          /* the definition it belongs to */
	const char *file;
	int line;
	struct property *next;              /* next in the symbol's list */
};

/* Symbol flags (names after Linux 6.1 expr.h). */
enum {
	SYM_CONST = 1 << 0,
	SYM_CHOICE = 1 << 1,
	SYM_CHOICEVAL = 1 << 2,
	SYM_VALID = 1 << 3,
	SYM_WRITE = 1 << 4,
	SYM_WRITTEN = 1 << 5,
	SYM_DEF_USER = 1 << 6,
	SYM_OPTIONAL = 1 << 7,
	SYM_NO_WRITE = 1 << 8,
	SYM_NEED_SET_CHOICE_VALUES = 1 << 9,
	SYM_ALLNOCONFIG_Y = 1 << 10,
	SYM_CHECKED = 1 << 11,
	SYM_CHECKING = 1 << 12,
};

struct kconfig_symbol {
	char *name;                         /* NULL for an unnamed choice */
	enum kconfig_type type;
	unsigned flags;
	struct property *props;
	/* user value */
	char *user_str;
	tri user_tri;
	struct kconfig_symbol *user_sel;    /* choice: the member picked */
	/* computed */
	const char *curr_str;
	tri curr_tri;
	struct kconfig_symbol *curr_sel;    /* choice: the member in force */
	tri visible;
	struct expr *dir_dep, *rev_dep, *implied;
	tri dir_dep_tri, rev_dep_tri, implied_tri;
	struct kconfig_symbol *choice;      /* choice value: its choice */
	struct kconfig_symbol **members;    /* choice: its values */
	size_t nmembers;
	struct kconfig_menu *first_node;
	struct kconfig_symbol *hash_next, *list_next;
};

enum menu_kind { M_ROOT, M_MENU, M_COMMENT, M_IF, M_SYMBOL, M_CHOICE };

struct kconfig_menu {
	enum menu_kind kind;
	struct kconfig_menu *parent, *list, *next;
	struct kconfig_menu *last_child;    /* parse time only: end of list */
	struct kconfig_symbol *sym;
	struct property *prompt;
	struct expr *dep;                   /* `depends on`, then full deps */
	struct expr *visibility;            /* `visible if` */
	char *help;
	int is_menuconfig;
	const char *file;
	int line;
	struct kconfig_menu *all_next;
};

#define HASH_SIZE 16384

struct kconfig {
	const char *prefix;
	char *srctree;
	int no_shell;           /* kconfig_options.no_shell */
	FILE *warn;
	char *error;
	struct kconfig_menu root;
	char *mainmenu;
	struct kconfig_symbol *hash[HASH_SIZE];
	struct kconfig_symbol *sym_first, *sym_last;   /* named, in order */
	struct kconfig_symbol *consts;                 /* constant symbols */
	struct kconfig_symbol sym_n, sym_m, sym_y, sym_empty;
	struct kconfig_symbol *modules;
	struct kconfig_symbol *defconfig_list; /* `option defconfig_list` (legacy) */
	struct expr *exprs;
	struct property *props_all;
	struct kconfig_menu *menus_all;
	char **files; size_t nfiles, cfiles;
	char **env_names, **env_values; size_t nenv, cenv;
	char **strings; size_t nstrings, cstrings;     /* interned texts */
	int conf_unsaved;
	int warnings;
};

/* util.c */
void *kc_xmalloc(struct kconfig *kc, size_t n);
char *kc_strdup(struct kconfig *kc, const char *s);
const char *kc_intern(struct kconfig *kc, const char *s);
void kc_set_error(struct kconfig *kc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kc_warn(struct kconfig *kc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kc_env_dep(struct kconfig *kc, const char *name, const char *value);
int kc_write_atomic_begin(struct kconfig *kc, const char *path, char **tmp, FILE **f);
/* Ends a write begun by kc_write_atomic_begin(): flushes, gives the file
 * `mode` (0644 for what is shared, 0600 for what may hold secrets) and
 * renames it into place; on error removes it. Frees tmp; 0 or -1. */
int kc_write_atomic_end(struct kconfig *kc, const char *path, char *tmp, FILE *f, mode_t mode);

/* expr.c */
struct expr *expr_new(struct kconfig *kc, enum expr_op op, struct expr *l,
		      struct expr *r);
struct expr *expr_sym(struct kconfig *kc, struct kconfig_symbol *s);
struct expr *expr_cmp(struct kconfig *kc, enum expr_op op,
		      struct kconfig_symbol *a, struct kconfig_symbol *b);
struct expr *expr_and(struct kconfig *kc, struct expr *a, struct expr *b);
struct expr *expr_or(struct kconfig *kc, struct expr *a, struct expr *b);
tri expr_value(struct kconfig *kc, const struct expr *e);
int expr_contains(const struct expr *e, const struct kconfig_symbol *s);
int expr_depends_on(const struct expr *e, const struct kconfig_symbol *s);
void expr_print(const struct expr *e, FILE *out, const char *prefix, int prec);
/* as expr_print, each symbol followed by its current value: "A [=y]" */
void expr_print_values(struct kconfig *kc, const struct expr *e, FILE *out, int prec);
/* A string value between double quotes, `"` and `\` escaped (6.1
 * confdata.c sym_escape_string_value). */
void print_escaped(FILE *f, const char *v);
/* As Linux 6.1 conf prints an expression in its warnings (expr.c
 * expr_print with expr_print_gstr_helper: "A [=y] && (B [=n] || C=5)"). */
void expr_print_conf(struct kconfig *kc, const struct expr *e, FILE *out);
/* 6.1 expr_print_revdep: the ||-terms of `e` whose value is `type`, one
 * "  - term" line each, after `title` (printed once, when one is). */
void expr_print_revdep_conf(struct kconfig *kc, const struct expr *e, FILE *out, tri type,
			    const char *title);

/* symbol.c */
struct kconfig_symbol *sym_lookup(struct kconfig *kc, const char *name, int create);
struct kconfig_symbol *sym_const(struct kconfig *kc, const char *name);
void sym_calc_value(struct kconfig *kc, struct kconfig_symbol *s);
void sym_calc_visibility(struct kconfig *kc, struct kconfig_symbol *s);
void sym_clear_all_valid(struct kconfig *kc);
struct property *sym_default_prop(struct kconfig *kc, struct kconfig_symbol *s);
struct kconfig_symbol *sym_choice_default(struct kconfig *kc, struct kconfig_symbol *cs);
const char *sym_string_default(struct kconfig *kc, struct kconfig_symbol *s);
int sym_string_valid(struct kconfig_symbol *s, const char *str);
int sym_within_range(struct kconfig *kc, struct kconfig_symbol *s, const char *str);
int sym_has_value(const struct kconfig_symbol *s);
void sym_set_all_choice_values(struct kconfig *kc, struct kconfig_symbol *cs);
int menu_is_visible(struct kconfig *kc, struct kconfig_menu *m);
struct property *sym_range_prop(struct kconfig *kc, struct kconfig_symbol *s);
const char *tri_str(tri t);

/* parser.c */
int kc_parse(struct kconfig *kc, const char *path);

/* check.c: 0, or -1 with a file:line report of the cycle in kc's error */
int kc_check_deps(struct kconfig *kc);

#endif
