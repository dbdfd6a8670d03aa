/* Recursive dependency detection (Linux 6.1 symbol.c sym_check_deps): a
 * symbol whose value would depend on itself through depends on, select,
 * imply, a prompt or default condition, or a default value is an error; the
 * cycle is printed with the file:line of each step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct step {
	struct kconfig_symbol *sym;
	const char *how;        /* "depends on", "is selected by", ... */
	const char *file;
	int line;
};

struct checker {
	struct kconfig *kc;
	struct step *stack;
	size_t n, cap;
	char *report;           /* set when a cycle is found */
};

static int visit(struct checker *c, struct kconfig_symbol *s);

static void push(struct checker *c, struct kconfig_symbol *s, const char *how,
		 const char *file, int line)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		struct step *n = realloc(c->stack, c->cap * sizeof(*n));
		if (!n) {
			fputs("kconfig: out of memory\n", stderr);
			exit(2);
		}
		c->stack = n;
	}
	c->stack[c->n++] = (struct step){ s, how, file, line };
}

static void report_cycle(struct checker *c, struct kconfig_symbol *target)
{
	size_t from = 0;
	while (from < c->n && c->stack[from].sym != target)
		from++;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	struct step *first = &c->stack[from];
	fprintf(f, "%s:%d:error: recursive dependency detected!\n", first->file, first->line);
	for (size_t i = from; i < c->n; i++) {
		struct step *st = &c->stack[i];
		struct kconfig_symbol *next = i + 1 < c->n ? c->stack[i + 1].sym : target;
		fprintf(f, "%s:%d:\tsymbol %s %s %s\n", st->file, st->line,
			kconfig_sym_name(st->sym), st->how, kconfig_sym_name(next));
	}
	fputs("For a resolution refer to Documentation/kbuild/kconfig-language.rst\n"
	      "subsection \"Kconfig recursive dependency limitations\"", f);
	fclose(f);
	c->report = buf;
}

/* Follow every symbol of e; returns -1 once a cycle was reported. */
static int follow(struct checker *c, const struct expr *e)
{
	if (!e)
		return 0;
	switch (e->op) {
	case E_AND:
	case E_OR:
		return follow(c, e->left) || follow(c, e->right) ? -1 : 0;
	case E_NOT:
		return follow(c, e->left);
	case E_SYMBOL:
		return visit(c, e->sym);
	default:
		return visit(c, e->sym) || visit(c, e->sym2) ? -1 : 0;
	}
}

static int edge(struct checker *c, struct kconfig_symbol *s, const struct expr *e,
		const char *how, const char *file, int line)
{
	if (!e)
		return 0;
	push(c, s, how, file, line);
	int r = follow(c, e);
	c->n--;
	return r;
}

static int visit(struct checker *c, struct kconfig_symbol *s)
{
	if (!s || (s->flags & (SYM_CONST | SYM_CHECKED)))
		return 0;
	if (s->flags & SYM_CHECKING) {
		report_cycle(c, s);
		return -1;
	}
	s->flags |= SYM_CHECKING;
	const char *file = s->first_node ? s->first_node->file : "?";
	int line = s->first_node ? s->first_node->line : 0;
	int r = edge(c, s, s->dir_dep, "depends on", file, line);
	if (!r)
		r = edge(c, s, s->rev_dep, "is selected by", file, line);
	if (!r)
		r = edge(c, s, s->implied, "is implied by", file, line);
	for (struct property *p = s->props; p && !r; p = p->next) {
		if (p->type == P_SELECT || p->type == P_IMPLY)
			continue;
		r = edge(c, s, p->cond, "depends on", p->file, p->line);
		/* a choice's defaults name its own values: not a dependency */
		if (!r && p->type == P_DEFAULT && !(s->flags & SYM_CHOICE))
			r = edge(c, s, p->expr, "default depends on", p->file, p->line);
	}
	s->flags &= ~(unsigned)SYM_CHECKING;
	s->flags |= SYM_CHECKED;
	return r;
}

int kc_check_deps(struct kconfig *kc)
{
	struct checker c = { kc, NULL, 0, 0, NULL };
	int r = 0;
	for (struct kconfig_symbol *s = kc->sym_first; s && !r; s = s->list_next)
		r = visit(&c, s);
	for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next)
		s->flags &= ~(unsigned)(SYM_CHECKING | SYM_CHECKED);
	free(c.stack);
	if (r) {
		kc_set_error(kc, "%s", c.report ? c.report : "recursive dependency detected");
		free(c.report);
		return -1;
	}
	return 0;
}
