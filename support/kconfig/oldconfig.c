/* `--oldconfig`: ask, line by line, for every symbol that is visible,
 * changeable and has no user value yet (a symbol new to this .config), in
 * menu order, as Linux 6.1 conf does (conf.c check_conf/conf_sym/
 * conf_choice). Answers come from `in` (a terminal or piped input); an empty
 * line or end of input keeps the shown default; `?` shows the help. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct asker {
	struct kconfig *kc;
	FILE *in, *out;
	int eof;
	int changed;
	int all;        /* --oldaskconfig: ask symbols that have a value too */
};

/* Read one answer into buf; "" on an empty line or at end of input. */
static void answer(struct asker *a, char *buf, size_t n)
{
	buf[0] = 0;
	if (!a->eof && fgets(buf, (int)n, a->in)) {
		buf[strcspn(buf, "\r\n")] = 0;
		return;
	}
	a->eof = 1;
	fputc('\n', a->out);
}

static void show_help(struct asker *a, struct kconfig_menu *m)
{
	fprintf(a->out, "\n%s%s:\n\n%s\n", a->kc->prefix, kconfig_sym_name(m->sym),
		m->help ? m->help : "There is no help available for this option.\n");
}

static int depth(struct kconfig_menu *m)
{
	int d = 0;
	for (m = m->parent; m && m->kind != M_ROOT; m = m->parent)
		d++;
	return d;
}

static void ask_symbol(struct asker *a, struct kconfig_menu *m)
{
	struct kconfig *kc = a->kc;
	struct kconfig_symbol *s = m->sym;
	char buf[1024];
	for (;;) {
		sym_calc_value(kc, s);
		fprintf(a->out, "%*s%s (%s) ", depth(m) * 2, "", m->prompt->text,
			kconfig_sym_name(s));
		if (s->type == KCONFIG_BOOL || s->type == KCONFIG_TRISTATE) {
			fputc('[', a->out);
			static const char *const names[] = { "n", "m", "y" };
			int first = 1;
			for (int v = 0; v <= 2; v++) {
				tri t = (tri)v;
				if (t == KCONFIG_M && (s->type != KCONFIG_TRISTATE ||
						       kc->modules->curr_tri == KCONFIG_N))
					continue;
				if (t < s->rev_dep_tri || t > s->visible)
					continue;
				fprintf(a->out, "%s%c", first ? "" : "/",
					s->curr_tri == t ? names[v][0] - 32 : names[v][0]);
				first = 0;
			}
			fputs(m->help ? "/?] " : "] ", a->out);
		} else {
			fprintf(a->out, "[%s] ", s->curr_str);
		}
		fputs(sym_has_value(s) ? "" : "(NEW) ", a->out);
		fflush(a->out);
		answer(a, buf, sizeof(buf));
		if (!strcmp(buf, "?")) {
			show_help(a, m);
			continue;
		}
		const char *v = buf[0] ? buf : s->curr_str;
		if (s->type == KCONFIG_BOOL || s->type == KCONFIG_TRISTATE) {
			char one[2] = { (char)(v[0] | 32), 0 };
			if (!strchr("nmy", one[0]) || !sym_within_range(kc, s, one)) {
				if (a->eof)
					return;
				continue;
			}
			kconfig_sym_set_value(kc, s, one);
		} else {
			if (!sym_within_range(kc, s, v)) {
				fprintf(a->out, "%*sValue out of range or invalid.\n", depth(m) * 2, "");
				if (a->eof)
					return;
				continue;
			}
			kconfig_sym_set_value(kc, s, v);
		}
		a->changed = 1;
		return;
	}
}

static void ask_choice(struct asker *a, struct kconfig_menu *m)
{
	struct kconfig *kc = a->kc;
	struct kconfig_symbol *cs = m->sym;
	char buf[256];
	for (;;) {
		sym_calc_value(kc, cs);
		fprintf(a->out, "%*s%s\n", depth(m) * 2, "", m->prompt ? m->prompt->text : "choice");
		size_t n = 0, def = 0;
		struct kconfig_symbol *vis[256];
		for (size_t i = 0; i < cs->nmembers && n < 256; i++) {
			struct kconfig_symbol *v = cs->members[i];
			sym_calc_value(kc, v);
			if (v->visible == KCONFIG_N)
				continue;
			vis[n++] = v;
			if (v == cs->curr_sel)
				def = n;
			const char *text = v->first_node && v->first_node->prompt
					   ? v->first_node->prompt->text : v->name;
			fprintf(a->out, "%*s%c %zu. %s (%s)%s\n", depth(m) * 2, "",
				v == cs->curr_sel ? '>' : ' ', n, text, v->name,
				sym_has_value(v) ? "" : " (NEW)");
		}
		if (!n)
			return;
		fprintf(a->out, "%*schoice[1-%zu?]: ", depth(m) * 2, "", n);
		fflush(a->out);
		answer(a, buf, sizeof(buf));
		size_t pick = buf[0] ? (size_t)strtoul(buf, NULL, 10) : def;
		if (!strcmp(buf, "?")) {
			show_help(a, m);
			continue;
		}
		if (pick < 1 || pick > n) {
			if (a->eof)
				return;
			continue;
		}
		kconfig_sym_set_value(kc, vis[pick - 1], "y");
		a->changed = 1;
		return;
	}
}

static void walk(struct asker *a, struct kconfig_menu *m)
{
	for (; m; m = m->next) {
		struct kconfig_symbol *s = m->sym;
		if (s && m->prompt) {
			sym_calc_value(a->kc, s);
			if (s->flags & SYM_CHOICE) {
				if (s->curr_tri == KCONFIG_Y && (a->all || !sym_has_value(s)) &&
				    s->visible != KCONFIG_N) {
					ask_choice(a, m);
					continue; /* its values were answered with it */
				}
			} else if (!s->choice && (a->all || !sym_has_value(s)) &&
				   s->visible > s->rev_dep_tri &&
				   m->prompt->vis != KCONFIG_N) {
				ask_symbol(a, m);
			}
		}
		if (m->list)
			walk(a, m->list);
	}
}

int kconfig_oldconfig(struct kconfig *kc, FILE *in, FILE *out, int all)
{
	struct asker a = { kc, in, out, 0, 0, all };
	/* --oldaskconfig goes through everything once */
	if (all) {
		walk(&a, kc->root.list);
		a.all = 0;
	}
	/* an answer can make further symbols visible: ask until none is new */
	do {
		a.changed = 0;
		walk(&a, kc->root.list);
	} while (a.changed && !a.eof);
	return ferror(out) ? -1 : 0;
}

/* 6.1 conf.c check_conf for --listnewconfig: a visible node whose symbol
 * has no user value and is changeable (or is a choice in force) prints its
 * value as print_symbol_for_listconfig does (n printed as n, strings quoted
 * and escaped); children are visited whether or not the node printed. */
static void list_new(struct kconfig *kc, struct kconfig_menu *m, FILE *out, const char *prefix)
{
	for (; m; m = m->next) {
		if (!kconfig_menu_visible(kc, m))
			continue;
		struct kconfig_symbol *s = m->sym;
		if (s) {
			sym_calc_value(kc, s);
			if (!sym_has_value(s) && s->name && s->type != KCONFIG_UNKNOWN &&
			    (s->visible > s->rev_dep_tri ||
			     ((s->flags & SYM_CHOICE) && s->curr_tri == KCONFIG_Y))) {
				const char *v = kconfig_sym_str_value(kc, s);
				fprintf(out, "%s%s=", prefix, s->name);
				if (s->type == KCONFIG_STRING)
					print_escaped(out, v);
				else
					fputs(v, out);
				fputc('\n', out);
			}
		}
		if (m->list)
			list_new(kc, m->list, out, prefix);
	}
}

int kconfig_list_new(struct kconfig *kc, FILE *out, const char *prefix)
{
	list_new(kc, kc->root.list, out, prefix);
	return ferror(out) ? -1 : 0;
}
