/* Symbols: lookup and on-demand value calculation, after the rules of
 * Linux 6.1 scripts/kconfig/symbol.c (sym_calc_visibility, sym_calc_value,
 * sym_calc_choice, sym_get_string_default, sym_validate_range). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static unsigned hash_name(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % HASH_SIZE;
}

const char *tri_str(tri t)
{
	return t == KCONFIG_Y ? "y" : t == KCONFIG_M ? "m" : "n";
}

struct kconfig_symbol *sym_lookup(struct kconfig *kc, const char *name, int create)
{
	unsigned h = hash_name(name);
	for (struct kconfig_symbol *s = kc->hash[h]; s; s = s->hash_next)
		if (!strcmp(s->name, name))
			return s;
	if (!create)
		return NULL;
	struct kconfig_symbol *s = kc_xmalloc(kc, sizeof(*s));
	s->name = kc_strdup(kc, name);
	s->curr_str = "";
	s->hash_next = kc->hash[h];
	kc->hash[h] = s;
	if (kc->sym_last)
		kc->sym_last->list_next = s;
	else
		kc->sym_first = s;
	kc->sym_last = s;
	return s;
}

/* Constant symbols: quoted strings and n/m/y in expressions. Their value is
 * their name. Kept apart from named symbols so they are never written. */
struct kconfig_symbol *sym_const(struct kconfig *kc, const char *name)
{
	if (!strcmp(name, "n"))
		return &kc->sym_n;
	if (!strcmp(name, "m"))
		return &kc->sym_m;
	if (!strcmp(name, "y"))
		return &kc->sym_y;
	for (struct kconfig_symbol *s = kc->consts; s; s = s->hash_next)
		if (!strcmp(s->name, name))
			return s;
	struct kconfig_symbol *s = kc_xmalloc(kc, sizeof(*s));
	s->name = kc_strdup(kc, name);
	s->flags = SYM_CONST | SYM_VALID;
	s->curr_str = s->name;
	s->hash_next = kc->consts;
	kc->consts = s;
	return s;
}

int sym_has_value(const struct kconfig_symbol *s)
{
	return (s->flags & SYM_DEF_USER) != 0;
}

void sym_clear_all_valid(struct kconfig *kc)
{
	for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next)
		s->flags &= ~SYM_VALID;
}

static enum kconfig_type sym_get_type(struct kconfig *kc, struct kconfig_symbol *s)
{
	if (s->type == KCONFIG_TRISTATE) {
		if (s->choice && s->visible == KCONFIG_Y)
			return KCONFIG_BOOL;
		if (s != kc->modules)
			sym_calc_value(kc, kc->modules);
		if (kc->modules->curr_tri == KCONFIG_N)
			return KCONFIG_BOOL;
	}
	return s->type;
}

void sym_calc_visibility(struct kconfig *kc, struct kconfig_symbol *s)
{
	tri t = KCONFIG_N;
	for (struct property *p = s->props; p; p = p->next) {
		if (p->type != P_PROMPT)
			continue;
		p->vis = expr_value(kc, p->cond);
		/* a tristate choice value at m is hidden when its choice is y */
		if (s->choice && s->type == KCONFIG_TRISTATE && p->vis == KCONFIG_M &&
		    s->choice->curr_tri == KCONFIG_Y)
			p->vis = KCONFIG_N;
		if (p->vis > t)
			t = p->vis;
	}
	if (t == KCONFIG_M && (s->type != KCONFIG_TRISTATE ||
			       (sym_calc_value(kc, kc->modules), kc->modules->curr_tri == KCONFIG_N)))
		t = KCONFIG_Y;
	s->visible = t;
	if (s->choice)
		return;
	t = s->dir_dep ? expr_value(kc, s->dir_dep) : KCONFIG_Y;
	if (t == KCONFIG_M && sym_get_type(kc, s) == KCONFIG_BOOL)
		t = KCONFIG_Y;
	s->dir_dep_tri = t;
	t = s->rev_dep ? expr_value(kc, s->rev_dep) : KCONFIG_N;
	if (t == KCONFIG_M && sym_get_type(kc, s) == KCONFIG_BOOL)
		t = KCONFIG_Y;
	s->rev_dep_tri = t;
	t = s->implied ? expr_value(kc, s->implied) : KCONFIG_N;
	if (t == KCONFIG_M && sym_get_type(kc, s) == KCONFIG_BOOL)
		t = KCONFIG_Y;
	s->implied_tri = t;
}

/* The first default whose condition holds. */
struct property *sym_default_prop(struct kconfig *kc, struct kconfig_symbol *s)
{
	for (struct property *p = s->props; p; p = p->next) {
		if (p->type != P_DEFAULT)
			continue;
		p->vis = expr_value(kc, p->cond);
		if (p->vis != KCONFIG_N)
			return p;
	}
	return NULL;
}

struct property *sym_range_prop(struct kconfig *kc, struct kconfig_symbol *s)
{
	for (struct property *p = s->props; p; p = p->next) {
		if (p->type != P_RANGE)
			continue;
		p->vis = expr_value(kc, p->cond);
		if (p->vis != KCONFIG_N)
			return p;
	}
	return NULL;
}

static long long range_val(struct kconfig *kc, struct kconfig_symbol *r, int base)
{
	sym_calc_value(kc, r);
	if (r->type == KCONFIG_INT)
		base = 10;
	else if (r->type == KCONFIG_HEX)
		base = 16;
	return strtoll(r->curr_str, NULL, base);
}

static void sym_validate_range(struct kconfig *kc, struct kconfig_symbol *s)
{
	int base;
	if (s->type == KCONFIG_INT)
		base = 10;
	else if (s->type == KCONFIG_HEX)
		base = 16;
	else
		return;
	struct property *p = sym_range_prop(kc, s);
	if (!p)
		return;
	long long v = strtoll(s->curr_str, NULL, base);
	struct kconfig_symbol *r = p->target;
	if (v >= range_val(kc, r, base)) {
		r = p->target2;
		if (v <= range_val(kc, r, base))
			return;
	}
	s->curr_str = r->curr_str;
}

struct kconfig_symbol *sym_choice_default(struct kconfig *kc, struct kconfig_symbol *cs)
{
	for (struct property *p = cs->props; p; p = p->next) {
		if (p->type != P_DEFAULT)
			continue;
		p->vis = expr_value(kc, p->cond);
		if (p->vis == KCONFIG_N)
			continue;
		struct kconfig_symbol *d = p->expr->sym;
		if (d->visible != KCONFIG_N)
			return d;
	}
	for (size_t i = 0; i < cs->nmembers; i++)
		if (cs->members[i]->visible != KCONFIG_N)
			return cs->members[i];
	return NULL;
}

static struct kconfig_symbol *sym_calc_choice(struct kconfig *kc, struct kconfig_symbol *cs)
{
	unsigned flags = cs->flags;
	for (size_t i = 0; i < cs->nmembers; i++) {
		struct kconfig_symbol *m = cs->members[i];
		sym_calc_visibility(kc, m);
		if (m->visible != KCONFIG_N)
			flags &= m->flags;
	}
	/* the choice counts as set only while every visible member is */
	cs->flags &= flags | ~(unsigned)SYM_DEF_USER;
	struct kconfig_symbol *d = cs->user_sel;
	if (d && d->visible != KCONFIG_N)
		return d;
	d = sym_choice_default(kc, cs);
	if (!d)
		cs->curr_tri = KCONFIG_N;
	return d;
}

void sym_set_all_choice_values(struct kconfig *kc, struct kconfig_symbol *cs)
{
	(void)kc;
	for (size_t i = 0; i < cs->nmembers; i++)
		if (!sym_has_value(cs->members[i]))
			cs->members[i]->user_tri = KCONFIG_N;
	cs->flags |= SYM_DEF_USER;
	cs->flags &= ~(unsigned)(SYM_VALID | SYM_NEED_SET_CHOICE_VALUES);
}

static void sym_warn_unmet_dep(struct kconfig *kc, struct kconfig_symbol *s)
{
	FILE *w = kc->warn ? kc->warn : stderr;
	/* 6.1 symbol.c sym_warn_unmet_dep */
	fprintf(w, "\nWARNING: unmet direct dependencies detected for %s\n", s->name);
	fprintf(w, "  Depends on [%c]: ", s->dir_dep_tri == KCONFIG_M ? 'm' : 'n');
	expr_print_conf(kc, s->dir_dep, w);
	fputc('\n', w);
	expr_print_revdep_conf(kc, s->rev_dep, w, KCONFIG_Y, "  Selected by [y]:\n");
	expr_print_revdep_conf(kc, s->rev_dep, w, KCONFIG_M, "  Selected by [m]:\n");
}

void sym_calc_value(struct kconfig *kc, struct kconfig_symbol *s)
{
	if (!s || (s->flags & SYM_VALID))
		return;
	if (s->choice && (s->flags & SYM_NEED_SET_CHOICE_VALUES)) {
		s->flags &= ~(unsigned)SYM_NEED_SET_CHOICE_VALUES;
		sym_calc_value(kc, s->choice);
	}
	s->flags |= SYM_VALID;

	const char *new_str = "";
	tri new_tri = KCONFIG_N;
	struct kconfig_symbol *new_sel = NULL;
	switch (s->type) {
	case KCONFIG_INT:
	case KCONFIG_HEX:
	case KCONFIG_STRING:
		break;
	case KCONFIG_BOOL:
	case KCONFIG_TRISTATE:
		new_str = "n";
		break;
	default:
		s->curr_str = s->name ? s->name : "";
		s->curr_tri = KCONFIG_N;
		return;
	}
	s->flags &= ~(unsigned)SYM_WRITE;
	sym_calc_visibility(kc, s);
	if (s->visible != KCONFIG_N)
		s->flags |= SYM_WRITE;
	/* the value seen by a recursive reference while computing */
	s->curr_str = new_str;
	s->curr_tri = KCONFIG_N;

	switch (sym_get_type(kc, s)) {
	case KCONFIG_BOOL:
	case KCONFIG_TRISTATE:
		if (s->choice && s->visible == KCONFIG_Y) {
			new_tri = s->choice->curr_sel == s ? KCONFIG_Y : KCONFIG_N;
		} else {
			if (s->visible != KCONFIG_N && sym_has_value(s)) {
				new_tri = s->user_tri < s->visible ? s->user_tri : s->visible;
				goto calc_newval;
			}
			if (s->rev_dep_tri != KCONFIG_N)
				s->flags |= SYM_WRITE;
			if (!(s->flags & SYM_CHOICE)) {
				struct property *p = sym_default_prop(kc, s);
				if (p) {
					tri v = expr_value(kc, p->expr);
					new_tri = v < p->vis ? v : p->vis;
					if (new_tri != KCONFIG_N)
						s->flags |= SYM_WRITE;
				}
				if (s->implied_tri != KCONFIG_N) {
					s->flags |= SYM_WRITE;
					if (s->implied_tri > new_tri)
						new_tri = s->implied_tri;
					if (s->dir_dep_tri < new_tri)
						new_tri = s->dir_dep_tri;
				}
			}
calc_newval:
			if (s->dir_dep_tri < s->rev_dep_tri)
				sym_warn_unmet_dep(kc, s);
			if (s->rev_dep_tri > new_tri)
				new_tri = s->rev_dep_tri;
		}
		if (new_tri == KCONFIG_M && sym_get_type(kc, s) == KCONFIG_BOOL)
			new_tri = KCONFIG_Y;
		new_str = tri_str(new_tri);
		break;
	case KCONFIG_STRING:
	case KCONFIG_HEX:
	case KCONFIG_INT:
		if (s->visible != KCONFIG_N && sym_has_value(s)) {
			new_str = s->user_str;
			break;
		}
		{
			struct property *p = sym_default_prop(kc, s);
			if (p && p->expr && p->expr->op == E_SYMBOL) {
				s->flags |= SYM_WRITE;
				sym_calc_value(kc, p->expr->sym);
				new_str = p->expr->sym->curr_str;
			}
		}
		break;
	default:
		break;
	}
	/* a user or default value that is missing (definitions of one symbol
	 * with different types; found by fuzz_kconfig) reads as empty */
	s->curr_str = new_str ? new_str : "";
	s->curr_tri = new_tri;
	if ((s->flags & SYM_CHOICE) && new_tri == KCONFIG_Y)
		new_sel = sym_calc_choice(kc, s);
	s->curr_sel = new_sel;
	sym_validate_range(kc, s);

	if (s->flags & SYM_CHOICE) {
		for (size_t i = 0; i < s->nmembers; i++) {
			struct kconfig_symbol *m = s->members[i];
			if ((s->flags & SYM_WRITE) && m->visible != KCONFIG_N)
				m->flags |= SYM_WRITE;
		}
	}
	if (s->flags & SYM_NO_WRITE)
		s->flags &= ~(unsigned)SYM_WRITE;
	if (s->flags & SYM_NEED_SET_CHOICE_VALUES)
		sym_set_all_choice_values(kc, s);
}

/* 6.1 sym_get_string_default: the value the symbol would have without a
 * user value; savedefconfig omits symbols equal to it. */
const char *sym_string_default(struct kconfig *kc, struct kconfig_symbol *s)
{
	sym_calc_visibility(kc, s);
	sym_calc_value(kc, kc->modules);
	tri val = KCONFIG_N;
	const char *str = "";
	struct property *p = sym_default_prop(kc, s);
	if (p) {
		if (s->type == KCONFIG_BOOL || s->type == KCONFIG_TRISTATE) {
			tri v = expr_value(kc, p->expr);
			val = v < p->vis ? v : p->vis;
		} else if (p->expr && p->expr->op == E_SYMBOL) {
			sym_calc_value(kc, p->expr->sym);
			str = p->expr->sym->curr_str;
		}
	}
	if (s->rev_dep_tri > val)
		val = s->rev_dep_tri;
	if (val == KCONFIG_M && !s->choice && kc->modules->curr_tri == KCONFIG_N)
		val = KCONFIG_Y;
	if (s->type == KCONFIG_BOOL && val == KCONFIG_M)
		val = KCONFIG_Y;
	if (val < s->implied_tri)
		val = s->implied_tri;
	switch (s->type) {
	case KCONFIG_BOOL:
	case KCONFIG_TRISTATE:
		return tri_str(val);
	case KCONFIG_INT:
	case KCONFIG_HEX:
	case KCONFIG_STRING:
		return str;
	default:
		return "";
	}
}

/* 6.1 sym_tristate_within_range */
static int tri_within_range(struct kconfig *kc, struct kconfig_symbol *s, tri val)
{
	if (s->type != KCONFIG_BOOL && s->type != KCONFIG_TRISTATE)
		return 0;
	sym_calc_value(kc, s);
	if (val == KCONFIG_M && s->type == KCONFIG_BOOL)
		return 0;
	if (s->visible <= s->rev_dep_tri)
		return 0;
	if (s->choice && s->visible == KCONFIG_Y)
		return val == KCONFIG_Y;
	return val >= s->rev_dep_tri && val <= s->visible;
}

/* 6.1 sym_string_valid: is str a well-formed value for the type */
int sym_string_valid(struct kconfig_symbol *s, const char *str)
{
	const char *p = str;
	switch (s->type) {
	case KCONFIG_STRING:
		return 1;
	case KCONFIG_INT:
		if (*p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		if (*p == '0' && p[1])
			return 0;
		for (; *p; p++)
			if (!isdigit((unsigned char)*p))
				return 0;
		return 1;
	case KCONFIG_HEX:
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
			p += 2;
		do {
			if (!isxdigit((unsigned char)*p))
				return 0;
		} while (*++p);
		return 1;
	default:
		return 0;
	}
}

/* 6.1 sym_string_within_range */
int sym_within_range(struct kconfig *kc, struct kconfig_symbol *s, const char *str)
{
	long long v, lo, hi;
	int base = 10;
	struct property *p;
	switch (s->type) {
	case KCONFIG_STRING:
		return sym_string_valid(s, str);
	case KCONFIG_HEX:
		base = 16;
		/* fall through */
	case KCONFIG_INT:
		if (!sym_string_valid(s, str))
			return 0;
		p = sym_range_prop(kc, s);
		if (!p)
			return 1;
		v = strtoll(str, NULL, base);
		lo = range_val(kc, p->target, base);
		hi = range_val(kc, p->target2, base);
		return v >= lo && v <= hi;
	case KCONFIG_BOOL:
	case KCONFIG_TRISTATE:
		switch (str[0]) {
		case 'y': case 'Y': return tri_within_range(kc, s, KCONFIG_Y);
		case 'm': case 'M': return tri_within_range(kc, s, KCONFIG_M);
		case 'n': case 'N': return tri_within_range(kc, s, KCONFIG_N);
		}
		return 0;
	default:
		return 0;
	}
}

int menu_is_visible(struct kconfig *kc, struct kconfig_menu *m)
{
	tri v;
	if (!m->prompt)
		return 0;
	if (m->visibility && expr_value(kc, m->visibility) == KCONFIG_N)
		return 0;
	if (m->sym) {
		sym_calc_value(kc, m->sym);
		v = m->prompt->vis;
	} else {
		v = m->prompt->vis = expr_value(kc, m->prompt->cond);
	}
	if (v != KCONFIG_N)
		return 1;
	if (!m->sym || m->sym->curr_tri == KCONFIG_N)
		return 0;
	for (struct kconfig_menu *c = m->list; c; c = c->next)
		if (menu_is_visible(kc, c))
			return 1;
	return 0;
}
