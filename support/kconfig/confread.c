/* Reading .config and defconfig files (Linux 6.1 confdata.c
 * conf_read_simple, conf_set_sym_val and conf_read's change check). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static int set_sym_val(struct kconfig *kc, struct kconfig_symbol *s, char *p,
		       const char *file, int line)
{
	switch (s->type) {
	case KCONFIG_TRISTATE:
		if (p[0] == 'm') {
			s->user_tri = KCONFIG_M;
			s->flags |= SYM_DEF_USER;
			return 0;
		}
		/* fall through */
	case KCONFIG_BOOL:
		if (p[0] == 'y' || p[0] == 'n') {
			s->user_tri = p[0] == 'y' ? KCONFIG_Y : KCONFIG_N;
			s->flags |= SYM_DEF_USER;
			return 0;
		}
		kc_warn(kc, "%s:%d:warning: symbol value '%s' invalid for %s", file, line, p, s->name);
		return 1;
	case KCONFIG_STRING: {
		/* a string without quotes is silently ignored, as in 6.1 */
		if (*p++ != '"')
			return 0;
		char *q;
		for (q = p; (q = strpbrk(q, "\"\\")); q++) {
			if (*q == '"') {
				*q = 0;
				break;
			}
			memmove(q, q + 1, strlen(q));
		}
		if (!q) {
			kc_warn(kc, "%s:%d:warning: invalid string found", file, line);
			return 1;
		}
	}
		/* fall through */
	case KCONFIG_INT:
	case KCONFIG_HEX:
		if (sym_string_valid(s, p)) {
			free(s->user_str);
			s->user_str = kc_strdup(kc, p);
			s->flags |= SYM_DEF_USER;
			return 0;
		}
		kc_warn(kc, "%s:%d:warning: symbol value '%s' invalid for %s", file, line, p, s->name);
		return 1;
	default:
		return 0;
	}
}

int kconfig_read_config(struct kconfig *kc, const char *path, int replace)
{
	FILE *f = fopen(path, "r");
	if (!f && path[0] != '/' && kc->srctree && *kc->srctree) {
		/* a relative name not found is tried under $srctree (6.1
		 * zconf_fopen, which conf_read_simple uses): Kbuild runs conf
		 * from the output folder with a defconfig named from the source
		 * tree; messages keep the name as given, as conf's do */
		int saved = errno;
		char *alt;
		if (asprintf(&alt, "%s/%s", kc->srctree, path) >= 0) {
			f = fopen(alt, "r");
			free(alt);
		}
		if (!f)
			errno = saved;
	}
	if (!f) {
		kc_set_error(kc, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (replace) {
		for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next) {
			s->flags &= ~(unsigned)(SYM_DEF_USER | SYM_VALID);
			if (s->flags & SYM_CHOICE)
				s->flags |= SYM_DEF_USER;
			free(s->user_str);
			s->user_str = NULL;
			s->user_tri = KCONFIG_N;
			s->user_sel = NULL;
		}
	} else {
		for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next)
			s->flags &= ~(unsigned)SYM_VALID;
	}
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	size_t plen = strlen(kc->prefix);
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		char *name, *val, *p;
		if (line[0] == '#') {
			if (line[1] != ' ' || strncmp(line + 2, kc->prefix, plen))
				continue;
			name = line + 2 + plen;
			p = strchr(name, ' ');
			if (!p)
				continue;
			*p++ = 0;
			if (strncmp(p, "is not set", 10))
				continue;
			val = "n";
		} else if (!strncmp(line, kc->prefix, plen)) {
			name = line + plen;
			p = strchr(name, '=');
			if (!p)
				continue;
			*p++ = 0;
			val = p;
			p = strchr(val, '\n');
			if (p) {
				*p-- = 0;
				if (p >= val && *p == '\r')
					*p = 0;
			}
		} else {
			if (line[0] != '\r' && line[0] != '\n')
				kc_warn(kc, "%s:%d:warning: unexpected data: %.*s", path, lineno,
					(int)strcspn(line, "\r\n"), line);
			continue;
		}
		struct kconfig_symbol *s = sym_lookup(kc, name, 0);
		if (!s || s->type == KCONFIG_UNKNOWN) {
			kc_warn(kc, "%s:%d:warning: unknown symbol: %s", path, lineno, name);
			continue;
		}
		/* when merging a fragment (!replace), overriding is the point */
		if ((s->flags & SYM_DEF_USER) && replace)
			kc_warn(kc, "%s:%d:warning: override: reassigning to symbol %s", path,
				lineno, s->name);
		if (set_sym_val(kc, s, val, path, lineno))
			continue;
		if (s->choice) {
			struct kconfig_symbol *cs = s->choice;
			switch (s->user_tri) {
			case KCONFIG_N:
				break;
			case KCONFIG_M:
				if (cs->user_tri == KCONFIG_Y) {
					kc_warn(kc, "%s:%d:warning: %s creates inconsistent choice state",
						path, lineno, s->name);
					cs->flags &= ~(unsigned)SYM_DEF_USER;
				}
				break;
			case KCONFIG_Y:
				if (cs->user_tri != KCONFIG_N)
					kc_warn(kc, "%s:%d:warning: override: %s changes choice state",
						path, lineno, s->name);
				cs->user_sel = s;
				break;
			}
			if (s->user_tri > cs->user_tri)
				cs->user_tri = s->user_tri;
		}
	}
	free(line);
	fclose(f);
	sym_clear_all_valid(kc);
	return 0;
}

int kconfig_settle(struct kconfig *kc)
{
	int changed = kc->warnings > 0;
	kc->conf_unsaved = 0;
	for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next) {
		sym_calc_value(kc, s);
		if ((s->flags & SYM_CHOICE) || (s->flags & SYM_NO_WRITE))
			continue;
		if (sym_has_value(s) && (s->flags & SYM_WRITE)) {
			if (s->type == KCONFIG_BOOL || s->type == KCONFIG_TRISTATE) {
				if (s->user_tri == s->curr_tri)
					continue;
			} else if (s->user_str && !strcmp(s->curr_str, s->user_str)) {
				continue;
			}
		} else if (!sym_has_value(s) && !(s->flags & SYM_WRITE)) {
			continue;
		}
		kc->conf_unsaved++;
	}
	for (struct kconfig_symbol *s = kc->sym_first; s; s = s->list_next) {
		if (!sym_has_value(s) || s->choice)
			continue;
		if (s->visible == KCONFIG_N && !kc->conf_unsaved)
			s->flags &= ~(unsigned)SYM_DEF_USER;
		if (s->type == KCONFIG_STRING || s->type == KCONFIG_INT || s->type == KCONFIG_HEX) {
			if (s->user_str && sym_within_range(kc, s, s->user_str))
				continue;
			s->flags &= ~(unsigned)(SYM_VALID | SYM_DEF_USER);
			kc->conf_unsaved++;
		}
	}
	return changed || kc->conf_unsaved > 0;
}
