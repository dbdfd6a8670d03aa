/* Expressions: construction, tristate evaluation (Linux 6.1 expr.c rules),
 * and printing for `kconfig why`. */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct expr *expr_new(struct kconfig *kc, enum expr_op op, struct expr *l,
		      struct expr *r)
{
	struct expr *e = kc_xmalloc(kc, sizeof(*e));
	e->op = op;
	e->left = l;
	e->right = r;
	e->all_next = kc->exprs;
	kc->exprs = e;
	return e;
}

struct expr *expr_sym(struct kconfig *kc, struct kconfig_symbol *s)
{
	struct expr *e = expr_new(kc, E_SYMBOL, NULL, NULL);
	e->sym = s;
	return e;
}

struct expr *expr_cmp(struct kconfig *kc, enum expr_op op,
		      struct kconfig_symbol *a, struct kconfig_symbol *b)
{
	struct expr *e = expr_new(kc, op, NULL, NULL);
	e->sym = a;
	e->sym2 = b;
	return e;
}

/* NULL stands for "y", as in Linux: AND with NULL is the other operand. */
struct expr *expr_and(struct kconfig *kc, struct expr *a, struct expr *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return expr_new(kc, E_AND, a, b);
}

struct expr *expr_or(struct kconfig *kc, struct expr *a, struct expr *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return expr_new(kc, E_OR, a, b);
}

enum kind { K_STRING, K_SIGNED, K_UNSIGNED };

/* Linux 6.1 expr_parse_string: how a value compares, by the symbol's type. */
static enum kind parse_string(const char *str, enum kconfig_type type,
			      long long *s, unsigned long long *u)
{
	char *tail;
	enum kind kind;
	errno = 0;
	switch (type) {
	case KCONFIG_BOOL:
	case KCONFIG_TRISTATE:
		*s = !strcmp(str, "n") ? 0 : !strcmp(str, "m") ? 1 :
		     !strcmp(str, "y") ? 2 : -1;
		return K_SIGNED;
	case KCONFIG_INT:
		*s = strtoll(str, &tail, 10);
		kind = K_SIGNED;
		break;
	case KCONFIG_HEX:
		*u = strtoull(str, &tail, 16);
		kind = K_UNSIGNED;
		break;
	default:
		*s = strtoll(str, &tail, 0);
		kind = K_SIGNED;
		break;
	}
	return !errno && !*tail && tail > str && isxdigit((unsigned char)tail[-1])
	       ? kind : K_STRING;
}

tri expr_value(struct kconfig *kc, const struct expr *e)
{
	tri a, b;
	if (!e)
		return KCONFIG_Y;
	switch (e->op) {
	case E_SYMBOL:
		sym_calc_value(kc, e->sym);
		return e->sym->curr_tri;
	case E_AND:
		a = expr_value(kc, e->left);
		b = expr_value(kc, e->right);
		return a < b ? a : b;
	case E_OR:
		a = expr_value(kc, e->left);
		b = expr_value(kc, e->right);
		return a > b ? a : b;
	case E_NOT:
		return 2 - expr_value(kc, e->left);
	default:
		break;
	}
	sym_calc_value(kc, e->sym);
	sym_calc_value(kc, e->sym2);
	const char *s1 = e->sym->curr_str, *s2 = e->sym2->curr_str;
	enum kind k1 = K_STRING, k2 = K_STRING;
	long long ls = 0, rs = 0;
	unsigned long long lu = 0, ru = 0;
	int res;
	if (e->sym->type != KCONFIG_STRING || e->sym2->type != KCONFIG_STRING) {
		k1 = parse_string(s1, e->sym->type, &ls, &lu);
		k2 = parse_string(s2, e->sym2->type, &rs, &ru);
	}
	if (k1 == K_STRING || k2 == K_STRING) {
		res = strcmp(s1, s2);
	} else if (k1 == K_UNSIGNED || k2 == K_UNSIGNED) {
		/* the signed side's bits reinterpreted, as the union in 6.1 does */
		if (k1 == K_SIGNED)
			lu = (unsigned long long)ls;
		if (k2 == K_SIGNED)
			ru = (unsigned long long)rs;
		res = (lu > ru) - (lu < ru);
	} else {
		res = (ls > rs) - (ls < rs);
	}
	switch (e->op) {
	case E_EQUAL: return res ? KCONFIG_N : KCONFIG_Y;
	case E_UNEQUAL: return res ? KCONFIG_Y : KCONFIG_N;
	case E_GEQ: return res >= 0 ? KCONFIG_Y : KCONFIG_N;
	case E_GTH: return res > 0 ? KCONFIG_Y : KCONFIG_N;
	case E_LEQ: return res <= 0 ? KCONFIG_Y : KCONFIG_N;
	case E_LTH: return res < 0 ? KCONFIG_Y : KCONFIG_N;
	default: return KCONFIG_N;
	}
}

int expr_contains(const struct expr *e, const struct kconfig_symbol *s)
{
	if (!e)
		return 0;
	switch (e->op) {
	case E_SYMBOL:
		return e->sym == s;
	case E_AND:
	case E_OR:
		return expr_contains(e->left, s) || expr_contains(e->right, s);
	case E_NOT:
		return expr_contains(e->left, s);
	default:
		return e->sym == s || e->sym2 == s;
	}
}

/* True when e can only be non-n if s is non-n (6.1 expr_depends_symbol). */
int expr_depends_on(const struct expr *e, const struct kconfig_symbol *s)
{
	if (!e)
		return 0;
	switch (e->op) {
	case E_AND:
		return expr_depends_on(e->left, s) || expr_depends_on(e->right, s);
	case E_SYMBOL:
		return e->sym == s;
	case E_EQUAL:
		if (e->sym == s) {
			const char *n = e->sym2->name;
			return (e->sym2->flags & SYM_CONST) && n &&
			       (!strcmp(n, "y") || !strcmp(n, "m"));
		}
		return 0;
	case E_UNEQUAL:
		if (e->sym == s) {
			const char *n = e->sym2->name;
			return (e->sym2->flags & SYM_CONST) && n && !strcmp(n, "n");
		}
		return 0;
	default:
		return 0;
	}
}

/* kc non-NULL: each named symbol is followed by its value, " [=y]", as
 * mconf's help shows dependencies */
static void print_sym(struct kconfig *kc, struct kconfig_symbol *s, FILE *out,
		      const char *prefix)
{
	if (s->flags & SYM_CONST) {
		if (s->type == KCONFIG_TRISTATE && s->name[1] == 0 &&
		    strchr("nmy", s->name[0]))
			fputs(s->name, out);
		else
			fprintf(out, "\"%s\"", s->name);
	} else {
		fprintf(out, "%s%s", prefix, s->name ? s->name : "<choice>");
		if (kc) {
			sym_calc_value(kc, s);
			fprintf(out, " [=%s]", s->curr_str);
		}
	}
}

/* The comparison operators as Kconfig writes them. */
static const char *const cmp_ops[] = {
	[E_EQUAL] = "=", [E_UNEQUAL] = "!=", [E_LTH] = "<",
	[E_LEQ] = "<=", [E_GTH] = ">", [E_GEQ] = ">=",
};

/* prec: 0 top, 1 inside ||, 2 inside && , 3 inside ! */
static void print_expr(struct kconfig *kc, const struct expr *e, FILE *out,
		       const char *prefix, int prec)
{
	if (!e) {
		fputs("y", out);
		return;
	}
	switch (e->op) {
	case E_SYMBOL:
		print_sym(kc, e->sym, out, prefix);
		break;
	case E_NOT:
		fputc('!', out);
		print_expr(kc, e->left, out, prefix, 3);
		break;
	case E_AND:
	case E_OR: {
		int my = e->op == E_OR ? 1 : 2;
		if (prec > my)
			fputc('(', out);
		print_expr(kc, e->left, out, prefix, my);
		fputs(e->op == E_OR ? " || " : " && ", out);
		print_expr(kc, e->right, out, prefix, my);
		if (prec > my)
			fputc(')', out);
		break;
	}
	default:
		print_sym(kc, e->sym, out, prefix);
		fprintf(out, " %s ", cmp_ops[e->op]);
		print_sym(kc, e->sym2, out, prefix);
		break;
	}
}

void expr_print(const struct expr *e, FILE *out, const char *prefix, int prec)
{
	print_expr(NULL, e, out, prefix, prec);
}

void expr_print_values(struct kconfig *kc, const struct expr *e, FILE *out, int prec)
{
	print_expr(kc, e, out, kc->prefix, prec);
}

/* 6.1 expr.c expr_compare_type: whether an expression of type t2 printed
 * inside one of type t1 needs parentheses (> 0). E_LIST and the top level
 * (-1 here) rank lowest. */
static int conf_compare_type(int t1, enum expr_op t2)
{
	if (t1 == (int)t2)
		return 0;
	switch (t1) {
	case E_LEQ: case E_LTH: case E_GEQ: case E_GTH:
		if (t2 == E_EQUAL || t2 == E_UNEQUAL)
			return 1;
		/* fall through */
	case E_EQUAL: case E_UNEQUAL:
		if (t2 == E_NOT)
			return 1;
		/* fall through */
	case E_NOT:
		if (t2 == E_AND)
			return 1;
		/* fall through */
	case E_AND:
		if (t2 == E_OR)
			return 1;
		/* fall through */
	default:
		return -1;
	}
}

/* A symbol as 6.1 expr_print_gstr_helper shows it: its name, then " [=v]"
 * unless its type is unknown (plain constants). */
static void conf_print_sym(struct kconfig *kc, struct kconfig_symbol *s, FILE *out)
{
	fputs(s->name ? s->name : "<choice>", out);
	if (s->type != KCONFIG_UNKNOWN && s->name) {
		sym_calc_value(kc, s);
		fprintf(out, " [=%s]", s->curr_str);
	}
}

static void conf_print(struct kconfig *kc, const struct expr *e, FILE *out, int prev)
{
	if (!e) {
		fputs("y", out);
		return;
	}
	int paren = conf_compare_type(prev, e->op) > 0;
	if (paren)
		fputc('(', out);
	switch (e->op) {
	case E_SYMBOL:
		conf_print_sym(kc, e->sym, out);
		break;
	case E_NOT:
		fputc('!', out);
		conf_print(kc, e->left, out, E_NOT);
		break;
	case E_AND:
	case E_OR:
		conf_print(kc, e->left, out, e->op);
		fputs(e->op == E_OR ? " || " : " && ", out);
		conf_print(kc, e->right, out, e->op);
		break;
	default:
		conf_print_sym(kc, e->sym, out);
		fputs(cmp_ops[e->op], out);
		conf_print_sym(kc, e->sym2, out);
		break;
	}
	if (paren)
		fputc(')', out);
}

void expr_print_conf(struct kconfig *kc, const struct expr *e, FILE *out)
{
	conf_print(kc, e, out, -1);
}

/* 6.1 expr_print_revdep: each ||-term of a reverse dependency whose value
 * is `type`, one a line, under a title printed once. */
static void conf_print_revdep(struct kconfig *kc, const struct expr *e, FILE *out, tri type,
			      const char **title)
{
	if (!e)
		return;
	if (e->op == E_OR) {
		conf_print_revdep(kc, e->left, out, type, title);
		conf_print_revdep(kc, e->right, out, type, title);
	} else if (expr_value(kc, e) == type) {
		if (*title) {
			fputs(*title, out);
			*title = NULL;
		}
		fputs("  - ", out);
		conf_print(kc, e, out, -1);
		fputc('\n', out);
	}
}

void expr_print_revdep_conf(struct kconfig *kc, const struct expr *e, FILE *out, tri type,
			    const char *title)
{
	conf_print_revdep(kc, e, out, type, &title);
}
