/* The menu tree as front ends see it (kconfig.h, "the menu tree"): read-only
 * accessors over struct kconfig_menu, and the value checks mconf applies
 * before it changes a symbol. */
#include <string.h>
#include "internal.h"

struct kconfig_menu *kconfig_menu_root(struct kconfig *kc)
{
	return &kc->root;
}

struct kconfig_menu *kconfig_menu_list(const struct kconfig_menu *m)
{
	return m->list;
}

struct kconfig_menu *kconfig_menu_next(const struct kconfig_menu *m)
{
	return m->next;
}

struct kconfig_menu *kconfig_menu_parent(const struct kconfig_menu *m)
{
	return m->parent;
}

enum kconfig_node_kind kconfig_menu_kind(const struct kconfig_menu *m)
{
	switch (m->kind) {
	case M_MENU:
		return KCONFIG_NODE_MENU;
	case M_COMMENT:
		return KCONFIG_NODE_COMMENT;
	case M_SYMBOL:
		return KCONFIG_NODE_SYMBOL;
	case M_CHOICE:
		return KCONFIG_NODE_CHOICE;
	default:
		return KCONFIG_NODE_OTHER;
	}
}

const char *kconfig_menu_prompt(const struct kconfig_menu *m)
{
	return m->prompt ? m->prompt->text : NULL;
}

int kconfig_menu_visible(struct kconfig *kc, struct kconfig_menu *m)
{
	return menu_is_visible(kc, m);
}

int kconfig_menu_is_menuconfig(const struct kconfig_menu *m)
{
	return m->is_menuconfig;
}

struct kconfig_symbol *kconfig_menu_sym(const struct kconfig_menu *m)
{
	return m->sym;
}

const char *kconfig_menu_help(const struct kconfig_menu *m)
{
	return m->help;
}

const char *kconfig_menu_location(const struct kconfig_menu *m, int *line)
{
	if (line)
		*line = m->line;
	return m->file ? m->file : "";
}

struct kconfig_menu *kconfig_sym_menu(const struct kconfig_symbol *sym)
{
	return sym->first_node;
}

int kconfig_sym_settable(struct kconfig *kc, struct kconfig_symbol *sym, const char *value)
{
	return sym_within_range(kc, sym, value);
}

int kconfig_sym_range(struct kconfig *kc, struct kconfig_symbol *sym, const char **lo,
		      const char **hi)
{
	if (sym->type != KCONFIG_INT && sym->type != KCONFIG_HEX)
		return 0;
	struct property *p = sym_range_prop(kc, sym);
	if (!p)
		return 0;
	sym_calc_value(kc, p->target);
	sym_calc_value(kc, p->target2);
	*lo = p->target->curr_str;
	*hi = p->target2->curr_str;
	return 1;
}

struct kconfig_symbol *kconfig_choice_selection(struct kconfig *kc, struct kconfig_symbol *choice)
{
	if (!(choice->flags & SYM_CHOICE))
		return NULL;
	sym_calc_value(kc, choice);
	return choice->curr_tri == KCONFIG_N ? NULL : choice->curr_sel;
}
