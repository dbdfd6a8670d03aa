/* Public entry points of libkconfig that are not file formats: context
 * lifetime, symbol access, user values, fill modes and explanations. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

static void init_const(struct kconfig_symbol *s, const char *name, tri t)
{
	s->name = (char *)name;
	s->type = KCONFIG_TRISTATE;
	s->flags = SYM_CONST | SYM_VALID;
	s->curr_str = name;
	s->curr_tri = t;
}

struct kconfig *kconfig_load(const char *path, const struct kconfig_options *opt,
			     char **err)
{
	struct kconfig *kc = kc_xmalloc(NULL, sizeof(*kc));
	kc->prefix = opt && opt->prefix ? opt->prefix : "CONFIG_";
	kc->warn = opt ? opt->warn : NULL;
	kc->srctree = opt && opt->srctree ? kc_strdup(kc, opt->srctree) : NULL;
	kc->no_shell = opt ? opt->no_shell : 0;
	init_const(&kc->sym_n, "n", KCONFIG_N);
	init_const(&kc->sym_m, "m", KCONFIG_M);
	init_const(&kc->sym_y, "y", KCONFIG_Y);
	init_const(&kc->sym_empty, "", KCONFIG_N);
	if (kc_parse(kc, path)) {
		if (err)
			*err = strdup(kc->error ? kc->error : "parse error");
		kconfig_free(kc);
		return NULL;
	}
	return kc;
}

void kconfig_free(struct kconfig *kc)
{
	if (!kc)
		return;
	struct kconfig_symbol *s, *n;
	for (s = kc->sym_first; s; s = n) {
		n = s->list_next;
		free(s->name);
		free(s->user_str);
		free(s->members);
		for (struct property *p = s->props, *pn; p; p = pn) {
			pn = p->next;
			free(p);
		}
		free(s);
	}
	for (s = kc->consts; s; s = n) {
		n = s->hash_next;
		free(s->name);
		free(s);
	}
	for (struct property *p = kc->props_all, *pn; p; p = pn) {
		pn = p->next;
		free(p);
	}
	for (struct expr *e = kc->exprs, *en; e; e = en) {
		en = e->all_next;
		free(e);
	}
	for (struct kconfig_menu *m = kc->menus_all, *mn; m; m = mn) {
		mn = m->all_next;
		free(m->help);
		free(m);
	}
	for (size_t i = 0; i < kc->nfiles; i++)
		free(kc->files[i]);
	free(kc->files);
	for (size_t i = 0; i < kc->nenv; i++) {
		free(kc->env_names[i]);
		free(kc->env_values[i]);
	}
	free(kc->env_names);
	free(kc->env_values);
	for (size_t i = 0; i < kc->nstrings; i++)
		free(kc->strings[i]);
	free(kc->strings);
	free(kc->mainmenu);
	free(kc->srctree);
	free(kc->error);
	free(kc);
}

const char *kconfig_error(const struct kconfig *kc)
{
	return kc->error ? kc->error : "";
}

const char *kconfig_mainmenu(const struct kconfig *kc)
{
	return kc->mainmenu ? kc->mainmenu : "Main menu";
}

size_t kconfig_files(const struct kconfig *kc, const char *const **files)
{
	*files = (const char *const *)kc->files;
	return kc->nfiles;
}

size_t kconfig_env_deps(const struct kconfig *kc, const char *const **names,
			const char *const **values)
{
	*names = (const char *const *)kc->env_names;
	*values = (const char *const *)kc->env_values;
	return kc->nenv;
}

struct kconfig_symbol *kconfig_find(const struct kconfig *kc, const char *name)
{
	struct kconfig_symbol *s = sym_lookup((struct kconfig *)kc, name, 0);
	return s && s->type != KCONFIG_UNKNOWN ? s : NULL;
}

struct kconfig_symbol *kconfig_next_symbol(const struct kconfig *kc,
					   const struct kconfig_symbol *prev)
{
	struct kconfig_symbol *s = prev ? prev->list_next : kc->sym_first;
	while (s && (!s->name || s->type == KCONFIG_UNKNOWN))
		s = s->list_next;
	return s;
}

const char *kconfig_sym_name(const struct kconfig_symbol *sym)
{
	return sym->name ? sym->name : "<choice>";
}

enum kconfig_type kconfig_sym_type(const struct kconfig_symbol *sym)
{
	return sym->type;
}

const char *kconfig_type_name(enum kconfig_type t)
{
	static const char *const n[] = { "unknown", "bool", "tristate", "int", "hex", "string" };
	return (unsigned)t < 6 ? n[t] : "unknown";
}

const char *kconfig_sym_str_value(struct kconfig *kc, struct kconfig_symbol *sym)
{
	sym_calc_value(kc, sym);
	return sym->curr_str;
}

enum kconfig_tri kconfig_sym_tri_value(struct kconfig *kc, struct kconfig_symbol *sym)
{
	sym_calc_value(kc, sym);
	return sym->curr_tri;
}

enum kconfig_tri kconfig_sym_visibility(struct kconfig *kc, struct kconfig_symbol *sym)
{
	sym_calc_value(kc, sym);
	return sym->visible;
}

int kconfig_sym_written(struct kconfig *kc, struct kconfig_symbol *sym)
{
	sym_calc_value(kc, sym);
	return (sym->flags & SYM_WRITE) != 0;
}

int kconfig_sym_set_value(struct kconfig *kc, struct kconfig_symbol *s, const char *value)
{
	if (s->type == KCONFIG_BOOL || s->type == KCONFIG_TRISTATE) {
		tri t;
		if (!strcmp(value, "y"))
			t = KCONFIG_Y;
		else if (!strcmp(value, "m") && s->type == KCONFIG_TRISTATE)
			t = KCONFIG_M;
		else if (!strcmp(value, "n"))
			t = KCONFIG_N;
		else {
			kc_set_error(kc, "%s: '%s' is not a valid %s value", s->name, value,
				     kconfig_type_name(s->type));
			return -1;
		}
		s->user_tri = t;
		s->flags |= SYM_DEF_USER;
		if (s->choice) {
			struct kconfig_symbol *cs = s->choice;
			if (t == KCONFIG_Y) {
				/* as 6.1 sym_set_tristate_value: the choice and
				 * its visible values count as set by the user */
				cs->user_sel = s;
				cs->user_tri = KCONFIG_Y;
				cs->flags |= SYM_DEF_USER;
				for (size_t i = 0; i < cs->nmembers; i++) {
					struct kconfig_symbol *m = cs->members[i];
					if (m != s)
						m->user_tri = KCONFIG_N;
					if (m->visible != KCONFIG_N)
						m->flags |= SYM_DEF_USER;
				}
			}
		}
		sym_clear_all_valid(kc);
		return 0;
	}
	if (s->type == KCONFIG_UNKNOWN || (s->flags & SYM_CHOICE)) {
		kc_set_error(kc, "%s: symbol has no type", kconfig_sym_name(s));
		return -1;
	}
	if (!sym_string_valid(s, value)) {
		kc_set_error(kc, "%s: '%s' is not a valid %s value", s->name, value,
			     kconfig_type_name(s->type));
		return -1;
	}
	char *v;
	/* hex values are stored with their 0x, as 6.1 sym_set_string_value */
	if (s->type == KCONFIG_HEX && !(value[0] == '0' && (value[1] == 'x' || value[1] == 'X'))) {
		if (asprintf(&v, "0x%s", value) < 0)
			v = NULL;
	} else {
		v = strdup(value);
	}
	if (!v) {
		kc_set_error(kc, "out of memory");
		return -1;
	}
	free(s->user_str);
	s->user_str = v;
	s->flags |= SYM_DEF_USER;
	sym_clear_all_valid(kc);
	return 0;
}

int kconfig_sym_has_user_value(const struct kconfig_symbol *sym)
{
	return sym_has_value(sym);
}

void kconfig_sym_unset(struct kconfig *kc, struct kconfig_symbol *sym)
{
	sym->flags &= ~(unsigned)SYM_DEF_USER;
	sym_clear_all_valid(kc);
}

/*
 * Symbols in the order Linux 6.1 walks them (for_all_symbols): its hash
 * table of 9973 buckets (symbol.c strhash, FNV-1a), each bucket newest
 * first. randconfig draws its random numbers in this order, so matching it
 * is what makes a seed give the same configuration as conf. Returns a
 * malloc'd array of *n symbols (named and choice symbols), or NULL.
 */
#define LINUX_HASHSIZE 9973
static struct kconfig_symbol **linux_order(struct kconfig *kc, size_t *n)
{
	size_t count = 0;
	for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next)
		count++;
	struct kconfig_symbol **v = calloc(count ? count : 1, sizeof(*v));
	unsigned *bucket = calloc(count ? count : 1, sizeof(*bucket));
	size_t *idx = calloc(count ? count : 1, sizeof(*idx));
	if (!v || !bucket || !idx) {
		free(v);
		free(bucket);
		free(idx);
		return NULL;
	}
	size_t i = 0;
	for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next, i++) {
		unsigned h = 2166136261u;
		for (const char *c = s->name; c && *c; c++)
			h = (h ^ (unsigned char)*c) * 0x01000193u;
		bucket[i] = s->name ? h % LINUX_HASHSIZE : 0;
		idx[i] = i;
		v[i] = s;
	}
	/* stable insertion sort is too slow for Linux's 15k symbols: sort the
	 * index by (bucket ascending, creation descending) with qsort-free
	 * counting by bucket */
	size_t *start = calloc(LINUX_HASHSIZE + 1, sizeof(*start));
	struct kconfig_symbol **out = calloc(count ? count : 1, sizeof(*out));
	if (!start || !out) {
		free(start);
		free(out);
		free(v);
		free(bucket);
		free(idx);
		return NULL;
	}
	for (i = 0; i < count; i++)
		start[bucket[i] + 1]++;
	for (i = 1; i <= LINUX_HASHSIZE; i++)
		start[i] += start[i - 1];
	for (i = count; i-- > 0;)
		out[start[bucket[i]]++] = v[i];
	free(start);
	free(v);
	free(bucket);
	free(idx);
	*n = count;
	return out;
}

/* 6.1 conf.c randomize_choice_values */
static int randomize_choice(struct kconfig *kc, struct kconfig_symbol *cs,
			    struct random_data *rd)
{
	(void)kc;
	if (cs->curr_tri != KCONFIG_Y || !cs->nmembers)
		return 0;
	int32_t r;
	random_r(rd, &r);
	size_t pick = (size_t)r % cs->nmembers;
	for (size_t i = 0; i < cs->nmembers; i++) {
		struct kconfig_symbol *m = cs->members[i];
		if (i == pick) {
			m->user_tri = KCONFIG_Y;
			cs->user_sel = m;
		} else {
			m->user_tri = KCONFIG_N;
		}
		m->flags |= SYM_DEF_USER;
		m->flags &= ~(unsigned)SYM_VALID;
	}
	cs->flags |= SYM_DEF_USER;
	cs->flags &= ~(unsigned)SYM_VALID;
	return 1;
}

/* One pass of 6.1 conf.c conf_set_all_new_symbols. */
static int set_all_new_pass(struct kconfig *kc, enum kconfig_fill mode,
			    struct random_data *rd, int pby, int pty, int ptm)
{
	size_t n = 0;
	struct kconfig_symbol **order = linux_order(kc, &n);
	if (!order) {
		fputs("kconfig: out of memory\n", stderr);
		exit(2);
	}
	int changed = 0;
	for (size_t i = 0; i < n; i++) {
		struct kconfig_symbol *s = order[i];
		if (sym_has_value(s) || (s->flags & SYM_VALID))
			continue;
		if (s->type != KCONFIG_BOOL && s->type != KCONFIG_TRISTATE)
			continue;
		changed = 1;
		switch (mode) {
		case KCONFIG_FILL_YES:
			s->user_tri = KCONFIG_Y;
			break;
		case KCONFIG_FILL_MOD:
			s->user_tri = KCONFIG_M;
			break;
		case KCONFIG_FILL_NO:
			s->user_tri = (s->flags & SYM_ALLNOCONFIG_Y) ? KCONFIG_Y : KCONFIG_N;
			break;
		case KCONFIG_FILL_RANDOM: {
			int32_t r;
			random_r(rd, &r);
			int cnt = (int)(r % 100);
			s->user_tri = KCONFIG_N;
			if (s->type == KCONFIG_TRISTATE) {
				if (cnt < pty)
					s->user_tri = KCONFIG_Y;
				else if (cnt < pty + ptm)
					s->user_tri = KCONFIG_M;
			} else if (cnt < pby) {
				s->user_tri = KCONFIG_Y;
			}
			break;
		}
		default:
			continue;
		}
		if (!((s->flags & SYM_CHOICE) && mode == KCONFIG_FILL_RANDOM))
			s->flags |= SYM_DEF_USER;
	}
	sym_clear_all_valid(kc);
	if (mode != KCONFIG_FILL_RANDOM) {
		for (size_t i = 0; i < n; i++) {
			struct kconfig_symbol *s = order[i];
			if (((s->flags & SYM_CHOICE) && !sym_has_value(s)) || s->choice)
				s->flags |= SYM_NEED_SET_CHOICE_VALUES;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct kconfig_symbol *s = order[i];
		if (sym_has_value(s) || !(s->flags & SYM_CHOICE))
			continue;
		sym_calc_value(kc, s);
		if (mode == KCONFIG_FILL_RANDOM) {
			changed |= randomize_choice(kc, s, rd);
		} else {
			sym_set_all_choice_values(kc, s);
			changed = 1;
		}
	}
	free(order);
	return changed;
}

void kconfig_set_all_new(struct kconfig *kc, enum kconfig_fill mode,
			 unsigned seed, int pby, int pty, int ptm)
{
	/* glibc's srand()/rand() sequence, with the state held here instead of
	 * in the process (rand() is random() on a 128-byte TYPE_3 state) */
	char state[128];
	struct random_data rd;
	memset(&rd, 0, sizeof(rd));
	initstate_r(seed, state, sizeof(state), &rd);
	if (mode == KCONFIG_FILL_RANDOM) {
		while (set_all_new_pass(kc, mode, &rd, pby, pty, ptm))
			;
	} else {
		set_all_new_pass(kc, mode, &rd, pby, pty, ptm);
	}
}

const char *kconfig_defconfig_list_file(struct kconfig *kc)
{
	struct kconfig_symbol *s = kc->defconfig_list;
	if (!s)
		return NULL;
	for (struct property *pr = s->props; pr; pr = pr->next) {
		if (pr->type != P_DEFAULT || !pr->expr || pr->expr->op != E_SYMBOL)
			continue;
		if (pr->cond && expr_value(kc, pr->cond) == KCONFIG_N)
			continue;
		struct kconfig_symbol *v = pr->expr->sym;
		sym_calc_value(kc, v);
		const char *name = (v->flags & SYM_CONST) ? v->name : v->curr_str;
		if (!name || !*name)
			continue;
		if (access(name, R_OK) == 0)
			return name;
		if (name[0] != '/' && kc->srctree && *kc->srctree) {
			char *alt = NULL;
			int ok = asprintf(&alt, "%s/%s", kc->srctree, name) >= 0 && access(alt, R_OK) == 0;
			free(alt);
			if (ok)
				return name;
		}
	}
	return NULL;
}
