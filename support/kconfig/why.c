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
