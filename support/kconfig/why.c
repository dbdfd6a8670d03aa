/* `kconfig why`: where a symbol's value comes from, and for a symbol that
 * cannot be raised, the unmet terms of its dependencies down to symbols the
 * user can change. */
#include <stdio.h>
#include "internal.h"

#define MAX_WHY_DEPTH 8

static void indent(FILE *out, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", out);
}

static void explain_unmet(struct kconfig *kc, const struct expr *e, FILE *out, int depth);

/* For a term that evaluates to n: print it and, for a plain symbol, why that
 * symbol is n in turn. */
static void explain_term(struct kconfig *kc, const struct expr *e, FILE *out, int depth)
{
	if (expr_value(kc, e) != KCONFIG_N)
		return;
	if (e->op == E_AND) {
		explain_term(kc, e->left, out, depth);
		explain_term(kc, e->right, out, depth);
		return;
	}
	indent(out, depth);
	fputs("- ", out);
	expr_print(e, out, kc->prefix, 0);
	fputs(" is n", out);
	if (e->op == E_SYMBOL && !(e->sym->flags & SYM_CONST)) {
		struct kconfig_symbol *s = e->sym;
		sym_calc_value(kc, s);
		if (s->visible != KCONFIG_N) {
			fputs(": you can enable it", out);
			if (s->first_node)
				fprintf(out, " (%s:%d)", s->first_node->file, s->first_node->line);
			fputc('\n', out);
			return;
		}
		fputc('\n', out);
		if (depth < MAX_WHY_DEPTH)
			explain_unmet(kc, s->dir_dep, out, depth + 1);
		return;
	}
	fputc('\n', out);
}

static void explain_unmet(struct kconfig *kc, const struct expr *e, FILE *out, int depth)
{
	if (e)
		explain_term(kc, e, out, depth);
}

int kconfig_explain(struct kconfig *kc, struct kconfig_symbol *s, FILE *out)
{
	sym_calc_value(kc, s);
	fprintf(out, "%s%s (%s) = %s\n", kc->prefix, kconfig_sym_name(s),
		kconfig_type_name(s->type), s->curr_str);
	for (struct kconfig_menu *m = kc->menus_all; m; m = m->all_next)
		if (m->sym == s)
			fprintf(out, "  defined at %s:%d\n", m->file, m->line);
	fprintf(out, "  visibility: %s\n", tri_str(s->visible));
	if (s->dir_dep) {
		fprintf(out, "  depends on [%s]: ", tri_str(s->dir_dep_tri));
		expr_print(s->dir_dep, out, kc->prefix, 0);
		fputc('\n', out);
	}
	if (sym_has_value(s)) {
		fputs("  user value: ", out);
		fputs(s->type == KCONFIG_BOOL || s->type == KCONFIG_TRISTATE
		      ? tri_str(s->user_tri) : s->user_str, out);
		fputs(s->visible == KCONFIG_N ? " (ignored: the symbol is not visible)\n" : "\n", out);
	}
	struct property *d = sym_default_prop(kc, s);
	if (d && !(sym_has_value(s) && s->visible != KCONFIG_N)) {
		fputs("  default: ", out);
		expr_print(d->expr, out, kc->prefix, 0);
		fprintf(out, " (%s:%d)\n", d->file, d->line);
	}
	if (s->rev_dep) {
		fprintf(out, "  selected by [%s]: ", tri_str(s->rev_dep_tri));
		expr_print(s->rev_dep, out, kc->prefix, 0);
		fputc('\n', out);
	}
	if (s->implied) {
		fprintf(out, "  implied by [%s]: ", tri_str(s->implied_tri));
		expr_print(s->implied, out, kc->prefix, 0);
		fputc('\n', out);
	}
	if (s->visible == KCONFIG_N && s->curr_tri == KCONFIG_N &&
	    (s->type == KCONFIG_BOOL || s->type == KCONFIG_TRISTATE)) {
		int has_prompt = 0;
		for (struct property *p = s->props; p; p = p->next)
			if (p->type == P_PROMPT) {
				has_prompt = 1;
				if (expr_value(kc, p->cond) == KCONFIG_N) {
					fputs("  cannot be enabled because:\n", out);
					explain_unmet(kc, p->cond, out, 2);
				}
			}
		if (!has_prompt)
			fputs("  it has no prompt: only a default, select or imply can set it\n", out);
	}
	return ferror(out) ? -1 : 0;
}

/* ---- the symbols behind the unmet terms, for jump lists ----------------- */

struct collect {
	struct kconfig_symbol **out;
	size_t max, n;
};

static void collect_add(struct collect *c, struct kconfig_symbol *s)
{
	for (size_t i = 0; i < c->n && i < c->max; i++)
		if (c->out[i] == s)
			return;
	if (c->n < c->max)
		c->out[c->n] = s;
	c->n++;
}

/* the same walk as explain_term, collecting instead of printing */
static void collect_term(struct kconfig *kc, const struct expr *e, struct collect *c, int depth)
{
	if (!e || expr_value(kc, e) != KCONFIG_N)
		return;
	if (e->op == E_AND) {
		collect_term(kc, e->left, c, depth);
		collect_term(kc, e->right, c, depth);
		return;
	}
	if (e->op != E_SYMBOL || (e->sym->flags & SYM_CONST) || !e->sym->name)
		return;
	struct kconfig_symbol *s = e->sym;
	collect_add(c, s);
	sym_calc_value(kc, s);
	if (s->visible == KCONFIG_N && depth < MAX_WHY_DEPTH)
		collect_term(kc, s->dir_dep, c, depth + 1);
}

size_t kconfig_unmet_symbols(struct kconfig *kc, struct kconfig_symbol *s,
			     struct kconfig_symbol **out, size_t max)
{
	struct collect c = { out, max, 0 };
	sym_calc_value(kc, s);
	if (s->visible != KCONFIG_N || s->curr_tri != KCONFIG_N)
		return 0;
	for (struct property *p = s->props; p; p = p->next)
		if (p->type == P_PROMPT)
			collect_term(kc, p->cond, &c, 0);
	return c.n;
}

/* ---- the help screen of a node ------------------------------------------ */

static void print_location(struct kconfig_menu *m, FILE *out)
{
	/* the menus above m, outermost first, as "-> A -> B" lines */
	struct kconfig_menu *chain[64];
	int n = 0;
	for (struct kconfig_menu *p = m->parent; p && p->parent && n < 64; p = p->parent)
		if (p->prompt)
			chain[n++] = p;
	fputs("  Location:\n", out);
	int depth = 2;
	fprintf(out, "%*s-> Main menu\n", depth * 2, "");
	while (n-- > 0)
		fprintf(out, "%*s-> %s\n", ++depth * 2, "", chain[n]->prompt->text);
}

int kconfig_describe(struct kconfig *kc, struct kconfig_menu *m, FILE *out)
{
	struct kconfig_symbol *s = m->sym;
	if (m->prompt)
		fprintf(out, "%s\n\n", m->prompt->text);
	if (s && s->name) {
		sym_calc_value(kc, s);
		fprintf(out, "Symbol: %s%s [=%s]\n", kc->prefix, s->name, s->curr_str);
	} else if (s) {
		fputs("Choice\n", out);
	}
	if (s)
		fprintf(out, "Type  : %s\n", kconfig_type_name(s->type));
	if (s && s->name) {
		for (struct kconfig_menu *d = kc->menus_all; d; d = d->all_next)
			if (d->sym == s)
				fprintf(out, "Defined at %s:%d\n", d->file, d->line);
	} else {
		fprintf(out, "Defined at %s:%d\n", m->file, m->line);
	}
	if (s && s->name) {
		/* where the value comes from, as `kconfig why` says it */
		struct property *d = sym_default_prop(kc, s);
		if (sym_has_value(s) && s->visible != KCONFIG_N)
			fputs("Value : set by the user\n", out);
		else if (s->rev_dep_tri != KCONFIG_N && s->curr_tri == s->rev_dep_tri)
			fputs("Value : forced by a select (see Selected by)\n", out);
		else if (d)
			fprintf(out, "Value : default from %s:%d\n", d->file, d->line);
		else
			fputs("Value : no default applies\n", out);
	}
	if (m->prompt) {
		fprintf(out, "  Prompt: %s\n", m->prompt->text);
		if (m->dep) {
			fputs("  Depends on: ", out);
			expr_print_values(kc, m->dep, out, 0);
			fputc('\n', out);
		}
		if (m->visibility) {
			fputs("  Visible if: ", out);
			expr_print_values(kc, m->visibility, out, 0);
			fputc('\n', out);
		}
		print_location(m, out);
	}
	if (s && s->name && s->rev_dep) {
		fprintf(out, "  Selected by [%s]:\n  - ", tri_str(s->rev_dep_tri));
		expr_print_values(kc, s->rev_dep, out, 0);
		fputc('\n', out);
	}
	if (s && s->name && s->implied) {
		fprintf(out, "  Implied by [%s]:\n  - ", tri_str(s->implied_tri));
		expr_print_values(kc, s->implied, out, 0);
		fputc('\n', out);
	}
	if (m->help)
		fprintf(out, "\n%s", m->help);
	if (s && s->name && s->visible == KCONFIG_N && s->curr_tri == KCONFIG_N &&
	    (s->type == KCONFIG_BOOL || s->type == KCONFIG_TRISTATE)) {
		fputs("\nWhy it cannot be enabled now:\n", out);
		int has_prompt = 0;
		for (struct property *p = s->props; p; p = p->next)
			if (p->type == P_PROMPT) {
				has_prompt = 1;
				explain_unmet(kc, p->cond, out, 1);
			}
		if (!has_prompt)
			fputs("  it has no prompt: only a default, select or imply can set it\n", out);
	}
	return ferror(out) ? -1 : 0;
}
