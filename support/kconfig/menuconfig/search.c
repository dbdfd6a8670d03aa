/* `/` in menuconfig: entries whose symbol name or prompt matches, as a
 * case-insensitive substring or POSIX extended regular expression. A leading
 * symbol prefix ("CONFIG_") in the pattern is ignored, as mconf does. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "mc.h"

struct found {
	struct kconfig_menu **v;
	size_t n, cap;
};

static int matches(const char *text, const char *pat, const regex_t *re)
{
	if (!text)
		return 0;
	return strcasestr(text, pat) || (re && regexec(re, text, 0, NULL, 0) == 0);
}

static int walk(struct kconfig_menu *m, const char *pat, const regex_t *re, struct found *f)
{
	for (struct kconfig_menu *c = kconfig_menu_list(m); c; c = kconfig_menu_next(c)) {
		struct kconfig_symbol *s = kconfig_menu_sym(c);
		const char *name = s ? kconfig_sym_name(s) : NULL;
		if (name && kconfig_menu_kind(c) == KCONFIG_NODE_SYMBOL &&
		    (matches(name, pat, re) || matches(kconfig_menu_prompt(c), pat, re))) {
			if (f->n == f->cap) {
				size_t cap = f->cap ? f->cap * 2 : 64;
				struct kconfig_menu **v = realloc(f->v, cap * sizeof(*v));
				if (!v)
					return -1;
				f->v = v;
				f->cap = cap;
			}
			f->v[f->n++] = c;
		}
		if (kconfig_menu_list(c) && walk(c, pat, re, f) < 0)
			return -1;
	}
	return 0;
}

int mc_search(struct mc *mc, const char *pattern, struct kconfig_menu ***out, char *err,
	      size_t errsize)
{
	size_t plen = strlen(mc->prefix);
	if (plen && !strncasecmp(pattern, mc->prefix, plen))
		pattern += plen;
	regex_t re;
	int have_re = regcomp(&re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB) == 0;
	struct found f = { NULL, 0, 0 };
	int rc = walk(kconfig_menu_root(mc->kc), pattern, have_re ? &re : NULL, &f);
	if (have_re)
		regfree(&re);
	if (rc < 0) {
		free(f.v);
		snprintf(err, errsize, "out of memory");
		return -1;
	}
	*out = f.v;
	return (int)f.n;
}
