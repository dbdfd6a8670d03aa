/* Finishing the menu tree after parsing (Linux 6.1 menu.c menu_finalize):
 * propagate dependencies of menus, ifs and choices to their entries and
 * properties, build select/imply reverse dependencies, create the implicit
 * submenus under symbols that later entries depend on, flatten `if` blocks,
 * and collect choice values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* `m` in a dependency means `m && MODULES` (6.1 rewrite_m). */
static struct expr *rewrite_m(struct kconfig *kc, struct expr *e)
{
	if (!e)
		return e;
	switch (e->op) {
	case E_NOT:
		return expr_new(kc, E_NOT, rewrite_m(kc, e->left), NULL);
	case E_AND:
	case E_OR:
		return expr_new(kc, e->op, rewrite_m(kc, e->left), rewrite_m(kc, e->right));
	case E_SYMBOL:
		if (e->sym == &kc->sym_m)
			return expr_new(kc, E_AND, e, expr_sym(kc, kc->modules));
		return e;
	default:
		return e;
	}
}

static void add_member(struct kconfig *kc, struct kconfig_symbol *cs,
		       struct kconfig_symbol *s)
{
	struct kconfig_symbol **n = realloc(cs->members, (cs->nmembers + 1) * sizeof(*n));
	if (!n) {
		(void)kc;
		fputs("kconfig: out of memory\n", stderr);
		exit(2);
	}
	cs->members = n;
	cs->members[cs->nmembers++] = s;
}

void menu_finalize(struct kconfig *kc, struct kconfig_menu *parent)
{
	struct kconfig_symbol *sym = parent->sym;
	struct kconfig_menu *menu;

	if (parent->list) {
		struct expr *parentdep;
		if (sym && (sym->flags & SYM_CHOICE)) {
			if (sym->type == KCONFIG_UNKNOWN) {
				/* the first typed value gives the choice its type */
				for (menu = parent->list; menu; menu = menu->next)
					if (menu->sym && menu->sym->type != KCONFIG_UNKNOWN) {
						sym->type = menu->sym->type;
						break;
					}
			}
			for (menu = parent->list; menu; menu = menu->next)
				if (menu->sym && menu->sym->type == KCONFIG_UNKNOWN)
					menu->sym->type = sym->type;
			/* the choice's mode bounds its values' visibility */
			parentdep = expr_sym(kc, sym);
		} else {
			parentdep = parent->dep;
		}
		for (menu = parent->list; menu; menu = menu->next) {
			struct expr *basedep = expr_and(kc, parentdep, rewrite_m(kc, menu->dep));
			menu->dep = basedep;
			struct property *prop = menu->sym ? menu->sym->props : menu->prompt;
			for (; prop; prop = prop->next) {
				if (prop->menu != menu)
					continue;
				struct expr *dep = expr_and(kc, basedep, rewrite_m(kc, prop->cond));
				prop->cond = dep;
				if (prop->type == P_SELECT)
					prop->target->rev_dep = expr_or(kc, prop->target->rev_dep,
						expr_and(kc, expr_sym(kc, menu->sym), dep));
				else if (prop->type == P_IMPLY)
					prop->target->implied = expr_or(kc, prop->target->implied,
						expr_and(kc, expr_sym(kc, menu->sym), dep));
				if (!menu->sym)
					break; /* a menu or comment has only its prompt */
			}
		}
		for (menu = parent->list; menu; menu = menu->next)
			menu_finalize(kc, menu);
	} else if (sym) {
		/* implicit submenu: following entries that depend on sym */
		struct kconfig_menu *last = NULL;
		for (menu = parent->next; menu; menu = menu->next) {
			struct expr *dep = menu->prompt ? menu->prompt->cond : menu->dep;
			if (!expr_contains(dep, sym))
				break;
			if (!expr_depends_on(dep, sym))
				break;
			menu_finalize(kc, menu);
			menu->parent = parent;
			last = menu;
		}
		if (last) {
			parent->list = parent->next;
			parent->next = last->next;
			last->next = NULL;
		}
		sym->dir_dep = expr_or(kc, sym->dir_dep,
				       parent->dep ? parent->dep : expr_sym(kc, &kc->sym_y));
	}
	for (menu = parent->list; menu; menu = menu->next) {
		if (sym && (sym->flags & SYM_CHOICE) && menu->sym && !menu->sym->choice &&
		    !(menu->sym->flags & SYM_CHOICE)) {
			menu->sym->flags |= SYM_CHOICEVAL;
			menu->sym->choice = sym;
			/* bool values of a tristate choice need the choice at y */
			if (sym->type == KCONFIG_TRISTATE && menu->sym->type != KCONFIG_TRISTATE) {
				struct expr *b = expr_cmp(kc, E_EQUAL, sym, &kc->sym_y);
				menu->dep = expr_and(kc, b, menu->dep);
				for (struct property *pr = menu->sym->props; pr; pr = pr->next)
					if (pr->menu == menu)
						pr->cond = expr_and(kc, b, pr->cond);
			}
			add_member(kc, sym, menu->sym);
		}
		/* flatten ifs and undo submenus under promptless entries */
		if (menu->list && (!menu->prompt || !menu->prompt->text)) {
			struct kconfig_menu *l;
			for (l = menu->list;; l = l->next) {
				l->parent = parent;
				if (!l->next)
					break;
			}
			l->next = menu->next;
			menu->next = menu->list;
			menu->list = NULL;
		}
	}
	/* a visible non-optional choice cannot be n: like a select of m */
	if (sym && !(sym->flags & SYM_OPTIONAL) && parent->prompt) {
		sym->rev_dep = expr_or(kc, sym->rev_dep,
				       expr_and(kc, parent->prompt->cond ? parent->prompt->cond
						: expr_sym(kc, &kc->sym_y), expr_sym(kc, &kc->sym_m)));
	}
}
