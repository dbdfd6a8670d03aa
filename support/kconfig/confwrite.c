/* Writing .config, minimal defconfig, auto.conf, auto.conf.cmd, autoconf.h
 * and config.json. Formats of Linux 6.1 confdata.c (conf_write,
 * conf_write_defconfig, conf_write_autoconf); config.json is ours. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

/*
 * .config, auto.conf and autoconf.h hold every value in clear, secrets
 * included (a download site's token, the compiler cache's Redis password):
 * they are the user's alone, mode 0600, set on the temporary before the
 * rename so that no one can open them while they are wider. Linux 6.1's
 * conf leaves the mode to the umask; the bytes are the same. A file left
 * unchanged is narrowed too (one written 0644 before). The minimal defconfig
 * and config.json keep 0644 (kc_write_atomic_end): a defconfig is meant to
 * be shared, and neither is read by the build.
 */
#define PRIVATE_MODE 0600

/* The unchanged file, narrowed to PRIVATE_MODE (only a warning when that
 * fails: the content is right). */
static void keep_private(struct kconfig *kc, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && (st.st_mode & 07777) != PRIVATE_MODE &&
	    chmod(path, PRIVATE_MODE))
		kc_warn(kc, "%s: cannot make it private (mode 0600): %s", path, strerror(errno));
}

static void heading(struct kconfig *kc, FILE *f, const char *pre, const char *deco,
		    const char *post)
{
	fprintf(f, "%s\n%s Automatically generated file; DO NOT EDIT.\n%s %s\n%s\n",
		pre, deco, deco, kconfig_mainmenu(kc), post);
}

void print_escaped(FILE *f, const char *v)
{
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fputc('\\', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

/* One symbol as a .config line (6.1 print_symbol_for_dotconfig), or as an
 * auto.conf line when `unset_as_comment` is 0: n values left out and strings
 * written bare, for make (6.1 print_symbol_for_autoconf). */
static void print_symbol(struct kconfig *kc, FILE *f, struct kconfig_symbol *s,
			 int unset_as_comment)
{
	if (s->type == KCONFIG_UNKNOWN)
		return;
	/* as 6.1 conf_write, the value is computed here */
	sym_calc_value(kc, s);
	const char *v = s->curr_str;
	if ((s->type == KCONFIG_BOOL || s->type == KCONFIG_TRISTATE) && *v == 'n') {
		if (unset_as_comment)
			fprintf(f, "# %s%s is not set\n", kc->prefix, s->name);
		return;
	}
	fprintf(f, "%s%s=", kc->prefix, s->name);
	if (s->type == KCONFIG_STRING && unset_as_comment)
		print_escaped(f, v);
	else
		fputs(v, f);
	fputc('\n', f);
}

static int same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
	int same = fa && fb;
	while (same) {
		int ca = getc(fa), cb = getc(fb);
		if (ca != cb)
			same = 0;
		if (ca == EOF || cb == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

int kconfig_write_config(struct kconfig *kc, const char *path)
{
	char *tmp;
	FILE *f;
	if (kc_write_atomic_begin(kc, path, &tmp, &f))
		return -1;
	heading(kc, f, "#", "#", "#");
	int need_newline = 0;
	struct kconfig_menu *m = kc->root.list;
	while (m) {
		struct kconfig_symbol *s = m->sym;
		if (!s) {
			if (menu_is_visible(kc, m)) {
				fprintf(f, "\n#\n# %s\n#\n", m->prompt->text);
				need_newline = 0;
			}
		} else if (!(s->flags & SYM_CHOICE) && !(s->flags & SYM_WRITTEN)) {
			sym_calc_value(kc, s);
			if (s->flags & SYM_WRITE) {
				if (need_newline) {
					fputc('\n', f);
					need_newline = 0;
				}
				s->flags |= SYM_WRITTEN;
				print_symbol(kc, f, s, 1);
			}
		}
		if (m->list) {
			m = m->list;
			continue;
		}
		for (;;) {
			if (!m->sym && m->kind == M_MENU && menu_is_visible(kc, m)) {
				fprintf(f, "# end of %s\n", m->prompt->text);
				need_newline = 1;
			}
			if (m->next) {
				m = m->next;
				break;
			}
			m = m->parent;
			if (!m || m == &kc->root) {
				m = NULL;
				break;
			}
		}
	}
	for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next)
		s->flags &= ~(unsigned)SYM_WRITTEN;
	/* an unchanged configuration is left alone, so make sees no change */
	if (fflush(f) == 0 && same_file(path, tmp)) {
		fclose(f);
		unlink(tmp);
		free(tmp);
		keep_private(kc, path);
		return 0;
	}
	char *old = NULL;
	if (asprintf(&old, "%s.old", path) >= 0) {
		if (rename(path, old) && errno != ENOENT)
			kc_warn(kc, "%s: cannot keep as %s: %s", path, old, strerror(errno));
		else
			keep_private(kc, old); /* the previous values, as secret */
		free(old);
	}
	return kc_write_atomic_end(kc, path, tmp, f, PRIVATE_MODE);
}

static int is_changeable(struct kconfig_symbol *s)
{
	return s->visible > s->rev_dep_tri;
}

int kconfig_write_defconfig(struct kconfig *kc, const char *path)
{
	char *tmp;
	FILE *f;
	if (kc_write_atomic_begin(kc, path, &tmp, &f))
		return -1;
	sym_clear_all_valid(kc);
	struct kconfig_menu *m = kc->root.list;
	while (m) {
		struct kconfig_symbol *s = m->sym;
		if (s && !(s->flags & SYM_CHOICE)) {
			sym_calc_value(kc, s);
			if (!(s->flags & SYM_WRITE))
				goto next;
			s->flags &= ~(unsigned)SYM_WRITE;
			if (!is_changeable(s))
				goto next;
			if (!strcmp(s->curr_str, sym_string_default(kc, s)))
				goto next;
			/* the default member of a non-optional choice is implied */
			if (s->choice) {
				struct kconfig_symbol *cs = s->choice;
				struct kconfig_symbol *ds = sym_choice_default(kc, cs);
				if (!(cs->flags & SYM_OPTIONAL) && s == ds &&
				    s->type == KCONFIG_BOOL && s->curr_tri == KCONFIG_Y)
					goto next;
			}
			print_symbol(kc, f, s, 1);
		}
next:
		if (m->list) {
			m = m->list;
		} else if (m->next) {
			m = m->next;
		} else {
			while ((m = m->parent)) {
				if (m->next) {
					m = m->next;
					break;
				}
			}
		}
	}
	return kc_write_atomic_end(kc, path, tmp, f, 0644);
}

static void print_header_symbol(struct kconfig *kc, FILE *f, struct kconfig_symbol *s)
{
	const char *v = s->curr_str;
	switch (s->type) {
	case KCONFIG_BOOL:
	case KCONFIG_TRISTATE:
		if (*v == 'n')
			return;
		fprintf(f, "#define %s%s%s 1\n", kc->prefix, s->name, *v == 'm' ? "_MODULE" : "");
		return;
	case KCONFIG_STRING:
		fprintf(f, "#define %s%s ", kc->prefix, s->name);
		print_escaped(f, v);
		fputc('\n', f);
		return;
	case KCONFIG_HEX:
		fprintf(f, "#define %s%s %s%s\n", kc->prefix, s->name,
			(v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) ? "" : "0x", v);
		return;
	case KCONFIG_INT:
		fprintf(f, "#define %s%s %s\n", kc->prefix, s->name, v);
		return;
	default:
		return;
	}
}

/* Write `path` only when its content changes, so make's timestamps stay;
 * `private`: with mode PRIVATE_MODE (the files that hold values). */
static int commit_if_changed(struct kconfig *kc, const char *path, char *tmp, FILE *f,
			     int private)
{
	if (fflush(f) == 0 && same_file(path, tmp)) {
		fclose(f);
		unlink(tmp);
		free(tmp);
		if (private)
			keep_private(kc, path);
		return 0;
	}
	return kc_write_atomic_end(kc, path, tmp, f, private ? PRIVATE_MODE : 0644);
}

int kconfig_write_autoconf(struct kconfig *kc, const char *autoconf,
			   const char *cmd, const char *header)
{
	char *tmp;
	FILE *f;
	for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next)
		sym_calc_value(kc, s);
	if (cmd) {
		if (kc_write_atomic_begin(kc, cmd, &tmp, &f))
			return -1;
		fputs("deps_config := \\\n", f);
		for (size_t i = kc->nfiles; i-- > 0;)
			fprintf(f, "\t%s \\\n", kc->files[i]);
		fprintf(f, "\n%s: $(deps_config)\n\n", autoconf);
		for (size_t i = 0; i < kc->nenv; i++)
			fprintf(f, "ifneq \"$(%s)\" \"%s\"\n%s: FORCE\nendif\n\n",
				kc->env_names[i], kc->env_values[i], autoconf);
		fputs("$(deps_config): ;\n", f);
		if (commit_if_changed(kc, cmd, tmp, f, 0))
			return -1;
	}
	if (header) {
		if (kc_write_atomic_begin(kc, header, &tmp, &f))
			return -1;
		heading(kc, f, "/*", " *", " */");
		for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next)
			if ((s->flags & SYM_WRITE) && s->name)
				print_header_symbol(kc, f, s);
		if (commit_if_changed(kc, header, tmp, f, 1))
			return -1;
	}
	if (kc_write_atomic_begin(kc, autoconf, &tmp, &f))
		return -1;
	heading(kc, f, "#", "#", "#");
	for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next)
		if ((s->flags & SYM_WRITE) && s->name)
			print_symbol(kc, f, s, 0);
	return commit_if_changed(kc, autoconf, tmp, f, 1);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

int kconfig_write_json(struct kconfig *kc, const char *path)
{
	char *tmp;
	FILE *f;
	if (kc_write_atomic_begin(kc, path, &tmp, &f))
		return -1;
	fputs("{\n  \"symbols\": [", f);
	int first = 1;
	for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next) {
		if (!s->name || s->type == KCONFIG_UNKNOWN)
			continue;
		sym_calc_value(kc, s);
		fprintf(f, "%s\n    {\"name\": ", first ? "" : ",");
		first = 0;
		json_string(f, s->name);
		fprintf(f, ", \"type\": \"%s\", \"value\": ", kconfig_type_name(s->type));
		json_string(f, s->curr_str);
		fprintf(f, ", \"visibility\": \"%s\", \"user_value\": ", tri_str(s->visible));
		if (!sym_has_value(s))
			fputs("null", f);
		else if (s->type == KCONFIG_BOOL || s->type == KCONFIG_TRISTATE)
			json_string(f, tri_str(s->user_tri));
		else
			json_string(f, s->user_str);
		fputs(", \"defined_at\": [", f);
		int fd = 1;
		for (struct kconfig_menu *m = kc->menus_all; m; m = m->all_next)
			if (m->sym == s) {
				fprintf(f, "%s\"%s:%d\"", fd ? "" : ", ", m->file, m->line);
				fd = 0;
			}
		fputs("]}", f);
	}
	fputs("\n  ]\n}\n", f);
	return kc_write_atomic_end(kc, path, tmp, f, 0644);
}
