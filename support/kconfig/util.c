/* Allocation, errors, interned strings and atomic file writes for libkconfig. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

/* Out of memory is not recoverable for a configuration tool: say so and exit
 * rather than leave a half-built model behind. */
void *kc_xmalloc(struct kconfig *kc, size_t n)
{
	void *p = calloc(1, n ? n : 1);
	(void)kc;
	if (!p) {
		fputs("kconfig: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

char *kc_strdup(struct kconfig *kc, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = kc_xmalloc(kc, n);
	memcpy(p, s, n);
	return p;
}

/* Keep a copy of s for the lifetime of kc (file names, prompt texts). */
const char *kc_intern(struct kconfig *kc, const char *s)
{
	if (kc->nstrings == kc->cstrings) {
		size_t c = kc->cstrings ? kc->cstrings * 2 : 64;
		char **n = realloc(kc->strings, c * sizeof(*n));
		if (!n) {
			fputs("kconfig: out of memory\n", stderr);
			exit(2);
		}
		kc->strings = n;
		kc->cstrings = c;
	}
	kc->strings[kc->nstrings] = kc_strdup(kc, s);
	return kc->strings[kc->nstrings++];
}

void kc_set_error(struct kconfig *kc, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	free(kc->error);
	kc->error = msg;
}

void kc_warn(struct kconfig *kc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(kc->warn ? kc->warn : stderr, fmt, ap);
	va_end(ap);
	fputc('\n', kc->warn ? kc->warn : stderr);
	kc->warnings++;
}

void kc_env_dep(struct kconfig *kc, const char *name, const char *value)
{
	for (size_t i = 0; i < kc->nenv; i++)
		if (!strcmp(kc->env_names[i], name))
			return;
	if (kc->nenv == kc->cenv) {
		size_t c = kc->cenv ? kc->cenv * 2 : 16;
		char **a = realloc(kc->env_names, c * sizeof(*a));
		char **b = a ? realloc(kc->env_values, c * sizeof(*b)) : NULL;
		if (!a || !b) {
			fputs("kconfig: out of memory\n", stderr);
			exit(2);
		}
		kc->env_names = a;
		kc->env_values = b;
		kc->cenv = c;
	}
	kc->env_names[kc->nenv] = kc_strdup(kc, name);
	kc->env_values[kc->nenv++] = kc_strdup(kc, value);
}

/* mkdir -p of the folder holding path (6.1 make_parent_dir). */
static void make_parent_dir(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	char *slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return;
	*slash = 0;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

/* Open a temporary file beside `path`; the caller writes to *f and calls
 * kc_write_atomic_end(), which renames it into place or removes it. */
int kc_write_atomic_begin(struct kconfig *kc, const char *path, char **tmp, FILE **f)
{
	make_parent_dir(path);
	if (asprintf(tmp, "%s.tmpXXXXXX", path) < 0) {
		kc_set_error(kc, "%s: out of memory", path);
		return -1;
	}
	int fd = mkstemp(*tmp);
	if (fd < 0) {
		kc_set_error(kc, "%s: cannot create: %s", *tmp, strerror(errno));
		free(*tmp);
		return -1;
	}
	*f = fdopen(fd, "w");
	if (!*f) {
		close(fd);
		unlink(*tmp);
		free(*tmp);
		kc_set_error(kc, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int kc_write_atomic_end(struct kconfig *kc, const char *path, char *tmp, FILE *f, mode_t mode)
{
	int bad = ferror(f);
	bad |= fflush(f) != 0;
	bad |= fchmod(fileno(f), mode) != 0;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		kc_set_error(kc, "%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
