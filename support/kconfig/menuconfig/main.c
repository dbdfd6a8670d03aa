/* menuconfig: browse and edit a Kconfig configuration in a terminal.
 *
 *   menuconfig [KCONFIG_FILE]      (default: Kconfig)
 *
 * Environment as Linux 6.1 mconf: KCONFIG_CONFIG (default .config), CONFIG_
 * (symbol prefix, default CONFIG_), srctree; MENUCONFIG_COLOR=mono for a
 * terminal without colours. Keys: arrows, Enter, Space, y n m, Esc Esc or
 * Left (back), ? (help and why), / (search), z (show all), s (save),
 * o (open), q (quit). */
#include <curses.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "mc.h"
#include "ui.h"

#define LIST_TOP 3

static int list_height(void)
{
	return LINES - LIST_TOP - 2;
}

static struct kconfig_menu *current(struct mc *mc)
{
	return mc->stack[mc->depth - 1];
}

static int rebuild(struct mc *mc)
{
	struct kconfig_menu *keep = NULL;
	int *cur = &mc->cursor[mc->depth - 1];
	if (*cur >= 0 && (size_t)*cur < mc->rows.n)
		keep = mc->rows.v[*cur].node;
	if (mc_build_rows(mc, current(mc), &mc->rows) < 0)
		return -1;
	for (size_t i = 0; keep && i < mc->rows.n; i++)
		if (mc->rows.v[i].node == keep) {
			*cur = (int)i;
			return 0;
		}
	if (*cur >= (int)mc->rows.n)
		*cur = mc->rows.n ? (int)mc->rows.n - 1 : 0;
	return 0;
}

__attribute__((format(printf, 2, 3)))
static void status(struct mc *mc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(mc->status, sizeof(mc->status), fmt, ap);
	va_end(ap);
}

static void draw(struct mc *mc)
{
	char line[1024];
	erase();
	if (LINES < 16 || COLS < 60) {
		mvprintw(0, 0, "Terminal too small: %dx%d, need 60x16 (q quits)", COLS, LINES);
		refresh();
		return;
	}
	attrset(mc_attr(mc, MC_TITLE));
	mvhline(0, 0, ' ', COLS);
	mvprintw(0, 1, "%.*s", COLS - 2, kconfig_mainmenu(mc->kc));
	snprintf(line, sizeof(line), "%s%s%s", mc->config, mc->dirty ? " (modified)" : "",
		 mc->show_all ? " [all]" : "");
	if ((int)strlen(line) + 2 < COLS - 30)
		mvprintw(0, COLS - (int)strlen(line) - 1, "%s", line);
	attrset(mc_attr(mc, MC_NORMAL));
	mc_path(current(mc), line, sizeof(line));
	mvprintw(1, 1, "%.*s", COLS - 2, line);
	mvprintw(2, 1, "%.*s", COLS - 2,
		 "Enter:select Space:toggle EscEsc:back ?:help /:search z:all s:save o:open q:quit");
	int h = list_height(), d = mc->depth - 1;
	int *cur = &mc->cursor[d], *top = &mc->top[d];
	if (*cur < *top)
		*top = *cur;
	if (*cur >= *top + h)
		*top = *cur - h + 1;
	for (int i = 0; i < h && *top + i < (int)mc->rows.n; i++) {
		const struct mc_row *r = &mc->rows.v[*top + i];
		mc_row_text(mc, r, line, sizeof(line));
		int a = *top + i == *cur ? mc_attr(mc, MC_SELECTED)
			: r->visible ? mc_attr(mc, MC_NORMAL) : mc_attr(mc, MC_HIDDEN);
		attrset(a);
		mvhline(LIST_TOP + i, 1, ' ', COLS - 2);
		mvprintw(LIST_TOP + i, 2, "%.*s", COLS - 4, line);
	}
	attrset(mc_attr(mc, MC_NORMAL));
	if (!mc->rows.n)
		mvprintw(LIST_TOP, 2, "(no visible entries here; z shows all)");
	mvhline(LINES - 2, 0, '-', COLS);
	if (mc->status[0]) {
		mvprintw(LINES - 1, 1, "%.*s", COLS - 2, mc->status);
	} else if (mc->rows.n) {
		struct kconfig_symbol *s = kconfig_menu_sym(mc->rows.v[*cur].node);
		if (s && kconfig_sym_name(s))
			mvprintw(LINES - 1, 1, "%s%s (%s) = %.*s", mc->prefix, kconfig_sym_name(s),
				 kconfig_type_name(kconfig_sym_type(s)), COLS / 2,
				 kconfig_sym_str_value(mc->kc, s));
	}
	refresh();
}

static int enter(struct mc *mc, struct kconfig_menu *m)
{
	if (mc->depth == MC_STACK_MAX)
		return 0;
	mc->stack[mc->depth] = m;
	mc->cursor[mc->depth] = 0;
	mc->top[mc->depth] = 0;
	mc->depth++;
	return rebuild(mc);
}

/* Show node m on its screen with the cursor on it, turning "show all" on
 * when it is not visible. */
static int jump(struct mc *mc, struct kconfig_menu *m)
{
	struct kconfig_menu *chain[MC_STACK_MAX];
	int n = 0;
	if (!kconfig_menu_visible(mc->kc, m) && !mc->show_all) {
		mc->show_all = 1;
		status(mc, "The entry is not visible: show-all is on (z turns it off)");
	}
	for (struct kconfig_menu *p = mc_screen_of(m); p && n < MC_STACK_MAX; p = mc_screen_of(p))
		chain[n++] = p;
	mc->depth = 0;
	while (n-- > 0) {
		mc->stack[mc->depth] = chain[n];
		mc->cursor[mc->depth] = mc->top[mc->depth] = 0;
		mc->depth++;
	}
	if (rebuild(mc) < 0)
		return -1;
	for (size_t i = 0; i < mc->rows.n; i++)
		if (mc->rows.v[i].node == m)
			mc->cursor[mc->depth - 1] = (int)i;
	return 0;
}

static int set_value(struct mc *mc, struct kconfig_symbol *s, const char *v)
{
	if (!kconfig_sym_settable(mc->kc, s, v)) {
		status(mc, "%s cannot be set to %s now (? explains why)", kconfig_sym_name(s), v);
		return 0;
	}
	if (kconfig_sym_set_value(mc->kc, s, v) < 0) {
		status(mc, "%s", kconfig_error(mc->kc));
		return 0;
	}
	mc->dirty = 1;
	return rebuild(mc);
}

static const char *check_value(struct mc *mc, void *arg, const char *value)
{
	struct kconfig_symbol *s = arg;
	static const char *const invalid[] = {
		[KCONFIG_INT] = "Not a decimal number", [KCONFIG_HEX] = "Not a hexadecimal number",
	};
	const char *lo, *hi;
	if (kconfig_sym_settable(mc->kc, s, value))
		return NULL;
	if (kconfig_sym_range(mc->kc, s, &lo, &hi)) {
		/* well-formed but outside the range? */
		enum kconfig_type t = kconfig_sym_type(s);
		const char *p = value + (*value == '-');
		if (t == KCONFIG_HEX && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			p += 2;
		if (*p && strspn(p, t == KCONFIG_HEX ? "0123456789abcdefABCDEF" : "0123456789") ==
			  strlen(p)) {
			snprintf(mc->status, sizeof(mc->status), "Out of range: allowed %s to %s", lo, hi);
			return mc->status;
		}
	}
	return invalid[kconfig_sym_type(s)] ? invalid[kconfig_sym_type(s)] : "Invalid value";
}

static int edit(struct mc *mc, struct kconfig_symbol *s)
{
	char buf[1024], info[256], title[256];
	const char *lo, *hi;
	snprintf(buf, sizeof(buf), "%s", kconfig_sym_str_value(mc->kc, s));
	if (kconfig_sym_range(mc->kc, s, &lo, &hi))
		snprintf(info, sizeof(info), "%s, range %s to %s",
			 kconfig_type_name(kconfig_sym_type(s)), lo, hi);
	else
		snprintf(info, sizeof(info), "%s", kconfig_type_name(kconfig_sym_type(s)));
	snprintf(title, sizeof(title), "%s%s", mc->prefix, kconfig_sym_name(s));
	if (kconfig_sym_visibility(mc->kc, s) == KCONFIG_N) {
		status(mc, "%s is not visible now: it cannot be edited (? explains why)",
		       kconfig_sym_name(s));
		return 0;
	}
	mc->status[0] = 0;
	if (!mc_input(mc, title, info, buf, sizeof(buf), check_value, s))
		return 0;
	mc->status[0] = 0;
	return set_value(mc, s, buf);
}

static int help(struct mc *mc, struct kconfig_menu *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return -1;
	kconfig_describe(mc->kc, m, f);
	struct kconfig_symbol *s = kconfig_menu_sym(m), *unmet[9];
	size_t n = s && kconfig_sym_name(s) ? kconfig_unmet_symbols(mc->kc, s, unmet, 9) : 0;
	if (n > 9)
		n = 9;
	if (n)
		fputs("\nJump to what blocks it:\n", f);
	for (size_t i = 0; i < n; i++) {
		struct kconfig_menu *um = kconfig_sym_menu(unmet[i]);
		fprintf(f, "(%zu) %s%s%s%s\n", i + 1, mc->prefix, kconfig_sym_name(unmet[i]),
			um && kconfig_menu_prompt(um) ? ": " : "",
			um && kconfig_menu_prompt(um) ? kconfig_menu_prompt(um) : "");
	}
	if (fclose(f) != 0) {
		free(text);
		return -1;
	}
	int k = mc_text(mc, kconfig_menu_prompt(m) ? kconfig_menu_prompt(m) : "Help", text);
	free(text);
	if (k >= 1 && (size_t)k <= n && kconfig_sym_menu(unmet[k - 1]))
		return jump(mc, kconfig_sym_menu(unmet[k - 1]));
	return 0;
}

static int search(struct mc *mc)
{
	char err[128];
	char *pattern = mc->pattern;
	mc->status[0] = 0;
	if (!mc_input(mc, "Search", "symbol name or prompt: substring or regular expression",
		      pattern, sizeof(mc->pattern), NULL, NULL) || !pattern[0])
		return 0;
	struct kconfig_menu **found;
	int n = mc_search(mc, pattern, &found, err, sizeof(err));
	if (n < 0) {
		status(mc, "%s", err);
		return 0;
	}
	if (n == 0) {
		status(mc, "No entry matches '%s'", mc->pattern);
		free(found);
		return 0;
	}
	int cur = 0, top = 0, ret = 0;
	for (;;) {
		char line[1024];
		int h = (LINES - 4) / 2;
		if (cur < top)
			top = cur;
		if (cur >= top + h)
			top = cur - h + 1;
		erase();
		attrset(mc_attr(mc, MC_TITLE));
		mvhline(0, 0, ' ', COLS);
		mvprintw(0, 1, "Search results for '%.*s': %d (Enter jumps, Esc Esc returns)",
			 COLS / 2, pattern, n);
		attrset(mc_attr(mc, MC_NORMAL));
		for (int i = 0; i < h && top + i < n; i++) {
			struct kconfig_menu *m = found[top + i];
			attrset(top + i == cur ? mc_attr(mc, MC_SELECTED) : mc_attr(mc, MC_NORMAL));
			mvhline(2 + 2 * i, 1, ' ', COLS - 2);
			mvprintw(2 + 2 * i, 2, "%s%s: %.*s", mc->prefix,
				 kconfig_sym_name(kconfig_menu_sym(m)), COLS / 2,
				 kconfig_menu_prompt(m) ? kconfig_menu_prompt(m) : "");
			attrset(mc_attr(mc, MC_NORMAL));
			mc_path(mc_screen_of(m), line, sizeof(line));
			mvprintw(3 + 2 * i, 6, "%.*s", COLS - 8, line);
		}
		refresh();
		int c = mc_getkey();
		if (c == KEY_DOWN && cur + 1 < n)
			cur++;
		else if (c == KEY_UP && cur > 0)
			cur--;
		else if (c == KEY_NPAGE)
			cur = cur + h < n ? cur + h : n - 1;
		else if (c == KEY_PPAGE)
			cur = cur > h ? cur - h : 0;
		else if (c == '\n' || c == '\r' || c == KEY_ENTER || c == KEY_RIGHT) {
			ret = jump(mc, found[cur]);
			break;
		} else if (c == MC_KEY_BACK || c == 27 || c == KEY_LEFT || c == 'q' || c == 3)
			break;
	}
	free(found);
	return ret;
}

static int save(struct mc *mc, const char *path)
{
	if (kconfig_write_config(mc->kc, path) < 0) {
		status(mc, "Cannot save: %s", kconfig_error(mc->kc));
		return -1;
	}
	mc->dirty = 0;
	mc->saved = 1;
	status(mc, "Configuration written to %s", path);
	return 0;
}

static int save_as(struct mc *mc)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s", mc->config);
	mc->status[0] = 0;
	if (mc_input(mc, "Save configuration", "file name", path, sizeof(path), NULL, NULL))
		save(mc, path);
	return 0;
}

static int open_config(struct mc *mc)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s", mc->config);
	mc->status[0] = 0;
	if (!mc_input(mc, "Load configuration", "file name", path, sizeof(path), NULL, NULL))
		return 0;
	if (kconfig_read_config(mc->kc, path, 1) < 0) {
		status(mc, "%s", kconfig_error(mc->kc));
		return 0;
	}
	kconfig_settle(mc->kc);
	mc->dirty = 1;
	status(mc, "Loaded %s", path);
	return rebuild(mc);
}

/* 1: leave, 0: stay */
static int quit(struct mc *mc)
{
	if (!mc->dirty)
		return 1;
	char q[1100];
	snprintf(q, sizeof(q), "Save the configuration to %s?", mc->config);
	switch (mc_ask(mc, q)) {
	case 'y':
		return save(mc, mc->config) == 0;
	case 'n':
		return 1;
	default:
		return 0;
	}
}

/* Enter or Space on a row */
static int activate(struct mc *mc, const struct mc_row *r, int key)
{
	struct kconfig_menu *m = r->node;
	struct kconfig_symbol *s = kconfig_menu_sym(m);
	struct kconfig_menu *parent = kconfig_menu_parent(m);
	int in_choice = parent && kconfig_menu_kind(parent) == KCONFIG_NODE_CHOICE;
	if (s && in_choice && kconfig_sym_type(s) == KCONFIG_BOOL && key != KEY_RIGHT) {
		if (set_value(mc, s, "y") < 0)
			return -1;
		if (!mc->status[0] && mc->depth > 1)
			mc->depth--, rebuild(mc);
		return 0;
	}
	if (s && kconfig_menu_kind(m) == KCONFIG_NODE_SYMBOL && key != KEY_RIGHT) {
		enum kconfig_type t = kconfig_sym_type(s);
		if (t == KCONFIG_INT || t == KCONFIG_HEX || t == KCONFIG_STRING)
			return edit(mc, s);
		if ((t == KCONFIG_BOOL || t == KCONFIG_TRISTATE) &&
		    (key == ' ' || !mc_opens_screen(mc->kc, m))) {
			const char *v = mc_next_value(mc->kc, s);
			if (!v) {
				status(mc, "%s cannot be changed now (? explains why)", kconfig_sym_name(s));
				return 0;
			}
			return set_value(mc, s, v);
		}
	}
	if (mc_opens_screen(mc->kc, m))
		return enter(mc, m);
	return 0;
}

static int run(struct mc *mc)
{
	mc->stack[0] = kconfig_menu_root(mc->kc);
	mc->depth = 1;
	if (rebuild(mc) < 0)
		return -1;
	for (;;) {
		draw(mc);
		int c = mc_getkey();
		int d = mc->depth - 1, *cur = &mc->cursor[d], h = list_height();
		const struct mc_row *r = mc->rows.n ? &mc->rows.v[*cur] : NULL;
		int rc = 0;
		if (c != KEY_RESIZE)
			mc->status[0] = 0;
		switch (c) {
		case KEY_UP:
			if (*cur > 0)
				(*cur)--;
			break;
		case KEY_DOWN:
			if (*cur + 1 < (int)mc->rows.n)
				(*cur)++;
			break;
		case KEY_PPAGE:
			*cur = *cur > h ? *cur - h : 0;
			break;
		case KEY_NPAGE:
			*cur = *cur + h < (int)mc->rows.n ? *cur + h : (int)mc->rows.n - 1;
			if (*cur < 0)
				*cur = 0;
			break;
		case KEY_HOME:
			*cur = 0;
			break;
		case KEY_END:
			*cur = mc->rows.n ? (int)mc->rows.n - 1 : 0;
			break;
		case '\n':
		case '\r':
		case KEY_ENTER:
		case KEY_RIGHT:
		case ' ':
			if (r)
				rc = activate(mc, r, c);
			break;
		case 'y':
		case 'n':
		case 'm':
			if (r && kconfig_menu_sym(r->node) &&
			    kconfig_menu_kind(r->node) == KCONFIG_NODE_SYMBOL &&
			    (kconfig_sym_type(kconfig_menu_sym(r->node)) == KCONFIG_BOOL ||
			     kconfig_sym_type(kconfig_menu_sym(r->node)) == KCONFIG_TRISTATE)) {
				char v[2] = { (char)c, 0 };
				rc = set_value(mc, kconfig_menu_sym(r->node), v);
			}
			break;
		case KEY_LEFT:
		case MC_KEY_BACK:
			if (mc->depth > 1) {
				mc->depth--;
				rc = rebuild(mc);
			} else if (quit(mc)) {
				return 0;
			}
			break;
		case '?':
		case 'h':
			if (r)
				rc = help(mc, r->node);
			break;
		case '/':
			rc = search(mc);
			break;
		case 'z':
			mc->show_all = !mc->show_all;
			rc = rebuild(mc);
			break;
		case 's':
			rc = save_as(mc);
			break;
		case 'o':
			rc = open_config(mc);
			break;
		case 'q':
		case 3: /* Ctrl-C */
			if (quit(mc))
				return 0;
			break;
		default:
			break;
		}
		if (rc < 0)
			return -1;
	}
}

int main(int argc, char **argv)
{
	struct mc mc = { 0 };
	const char *kconfig = argc > 1 ? argv[1] : "Kconfig";
	struct kconfig_options opt = { 0 };
	char *err = NULL;
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: %s [KCONFIG_FILE]\n", argv[0]);
		return 2;
	}
	mc.config = getenv("KCONFIG_CONFIG") && *getenv("KCONFIG_CONFIG")
		? getenv("KCONFIG_CONFIG") : ".config";
	mc.prefix = getenv("CONFIG_") ? getenv("CONFIG_") : "CONFIG_";
	opt.prefix = mc.prefix;
	opt.srctree = getenv("srctree");
	mc.kc = kconfig_load(kconfig, &opt, &err);
	if (!mc.kc) {
		fprintf(stderr, "%s\n", err ? err : "menuconfig: cannot load the Kconfig tree");
		free(err);
		return 1;
	}
	struct stat st;
	if (stat(mc.config, &st) == 0) {
		if (kconfig_read_config(mc.kc, mc.config, 1) < 0) {
			fprintf(stderr, "%s\n", kconfig_error(mc.kc));
			kconfig_free(mc.kc);
			return 1;
		}
		mc.dirty = kconfig_settle(mc.kc);
	} else {
		kconfig_settle(mc.kc);
		mc.dirty = 1;
	}
	setlocale(LC_ALL, "");
	if (mc_ui_start(&mc) < 0) {
		kconfig_free(mc.kc);
		return 1;
	}
	int rc = run(&mc);
	mc_ui_stop();
	free(mc.rows.v);
	if (rc < 0)
		fprintf(stderr, "menuconfig: out of memory\n");
	else if (mc.dirty)
		printf("\nYour configuration changes were NOT saved.\n\n");
	else if (mc.saved)
		printf("\nConfiguration saved in %s.\n\n", mc.config);
	kconfig_free(mc.kc);
	return rc < 0 ? 1 : 0;
}
