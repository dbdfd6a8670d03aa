/* Which entries a menu screen shows and how each one reads: the layout of
 * Linux 6.1 mconf (build_conf), without its dialog library. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mc.h"

static int is_screen(struct kconfig_menu *m)
{
	enum kconfig_node_kind k = kconfig_menu_kind(m);
	return !kconfig_menu_parent(m) || k == KCONFIG_NODE_MENU || k == KCONFIG_NODE_CHOICE ||
	       (k == KCONFIG_NODE_SYMBOL && kconfig_menu_is_menuconfig(m));
}

struct kconfig_menu *mc_screen_of(struct kconfig_menu *m)
{
	struct kconfig_menu *p = kconfig_menu_parent(m);
	while (p && !is_screen(p))
		p = kconfig_menu_parent(p);
	return p;
}

int mc_opens_screen(struct kconfig *kc, struct kconfig_menu *m)
{
	(void)kc;
	return kconfig_menu_parent(m) && is_screen(m) &&
	       (kconfig_menu_kind(m) != KCONFIG_NODE_SYMBOL || kconfig_menu_list(m));
}

static int push(struct mc_rows *rows, struct kconfig_menu *node, int indent, int visible)
{
	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? rows->cap * 2 : 64;
		struct mc_row *v = realloc(rows->v, cap * sizeof(*v));
		if (!v)
			return -1;
		rows->v = v;
		rows->cap = cap;
	}
	rows->v[rows->n++] = (struct mc_row){ node, indent, visible };
	return 0;
}

static int add_children(struct mc *mc, struct kconfig_menu *parent, int indent,
			struct mc_rows *rows)
{
	for (struct kconfig_menu *c = kconfig_menu_list(parent); c; c = kconfig_menu_next(c)) {
		int vis = kconfig_menu_visible(mc->kc, c);
		if (!kconfig_menu_prompt(c)) {
			/* promptless entries show nothing themselves; what depends
			 * on them still belongs to this screen */
			if (kconfig_menu_list(c) && add_children(mc, c, indent, rows) < 0)
				return -1;
			continue;
		}
		if (!vis && !mc->show_all)
			continue;
		if (push(rows, c, indent, vis) < 0)
			return -1;
		if (!is_screen(c) && kconfig_menu_list(c) &&
		    add_children(mc, c, indent + 1, rows) < 0)
			return -1;
	}
	return 0;
}

int mc_build_rows(struct mc *mc, struct kconfig_menu *menu, struct mc_rows *rows)
{
	rows->n = 0;
	return add_children(mc, menu, 0, rows);
}

static const char *marker(struct kconfig *kc, struct kconfig_symbol *s, int in_choice)
{
	enum kconfig_tri v = kconfig_sym_tri_value(kc, s);
	int changeable = kconfig_sym_visibility(kc, s) != KCONFIG_N &&
			 (kconfig_sym_settable(kc, s, "n") + kconfig_sym_settable(kc, s, "m") +
			  kconfig_sym_settable(kc, s, "y")) > 1;
	if (in_choice)
		return v == KCONFIG_Y ? "(X)" : "( )";
	if (!changeable)
		return v == KCONFIG_Y ? "-*-" : v == KCONFIG_M ? "-M-" : "   ";
	if (kconfig_sym_type(s) == KCONFIG_TRISTATE)
		return v == KCONFIG_Y ? "<*>" : v == KCONFIG_M ? "<M>" : "< >";
	return v == KCONFIG_Y ? "[*]" : "[ ]";
}

void mc_row_text(struct mc *mc, const struct mc_row *r, char *buf, size_t size)
{
	struct kconfig_menu *m = r->node;
	struct kconfig_symbol *s = kconfig_menu_sym(m);
	const char *prompt = kconfig_menu_prompt(m);
	int ind = r->indent * 2;
	switch (kconfig_menu_kind(m)) {
	case KCONFIG_NODE_MENU:
		snprintf(buf, size, "    %*s%s  --->", ind, "", prompt);
		return;
	case KCONFIG_NODE_COMMENT:
		snprintf(buf, size, "    %*s*** %s ***", ind, "", prompt);
		return;
	case KCONFIG_NODE_CHOICE: {
		struct kconfig_symbol *sel = kconfig_choice_selection(mc->kc, s);
		const char *sp = sel && kconfig_sym_menu(sel) ? kconfig_menu_prompt(kconfig_sym_menu(sel)) : NULL;
		snprintf(buf, size, "    %*s%s (%s)  --->", ind, "", prompt, sp ? sp : "none");
		return;
	}
	default:
		break;
	}
	if (!s)
		return (void)snprintf(buf, size, "    %*s%s", ind, "", prompt);
	const char *arrow = mc_opens_screen(mc->kc, m) ? "  --->" : "";
	struct kconfig_menu *parent = kconfig_menu_parent(m);
	int in_choice = parent && kconfig_menu_kind(parent) == KCONFIG_NODE_CHOICE;
	switch (kconfig_sym_type(s)) {
	case KCONFIG_BOOL:
	case KCONFIG_TRISTATE:
		snprintf(buf, size, "%s %*s%s%s", marker(mc->kc, s, in_choice), ind, "", prompt, arrow);
		return;
	default:
		snprintf(buf, size, "(%s) %*s%s%s", kconfig_sym_str_value(mc->kc, s), ind, "",
			 prompt, arrow);
		return;
	}
}

const char *mc_next_value(struct kconfig *kc, struct kconfig_symbol *s)
{
	static const char *const order[] = { "n", "m", "y" };
	enum kconfig_type t = kconfig_sym_type(s);
	if (t != KCONFIG_BOOL && t != KCONFIG_TRISTATE)
		return NULL;
	int cur = (int)kconfig_sym_tri_value(kc, s);
	for (int i = 1; i <= 2; i++) {
		const char *v = order[(cur + i) % 3];
		if (kconfig_sym_settable(kc, s, v))
			return v;
	}
	return NULL;
}

void mc_path(struct kconfig_menu *m, char *buf, size_t size)
{
	struct kconfig_menu *chain[MC_STACK_MAX];
	int n = 0;
	for (struct kconfig_menu *p = m; p && kconfig_menu_parent(p) && n < MC_STACK_MAX;
	     p = mc_screen_of(p))
		chain[n++] = p;
	size_t len = (size_t)snprintf(buf, size, "Main menu");
	while (n-- > 0 && len < size)
		len += (size_t)snprintf(buf + len, size - len, " > %s",
					kconfig_menu_prompt(chain[n]) ? kconfig_menu_prompt(chain[n]) : "?");
}
