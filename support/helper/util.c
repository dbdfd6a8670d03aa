/* Small file-system helpers shared by the subcommands. */
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "helper.h"

int mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST) {
			fprintf(stderr, "%s: %s\n", buf, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST) {
		fprintf(stderr, "%s: %s\n", buf, strerror(errno));
		return -1;
	}
	return 0;
}

int for_each_table_line(const char *path, table_line_fn fn, void *ctx)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	/* whole lines: a fixed buffer would parse the tail of a long comment
	 * as an entry of its own */
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, rc = 0;
	errno = 0;
	while (!rc && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if ((size_t)len > TABLE_LINE_MAX) {
			fprintf(stderr, "%s:%d: line longer than %d characters\n", path, lineno,
				TABLE_LINE_MAX);
			rc = -1;
			break;
		}
		if (strlen(line) != (size_t)len) {
			fprintf(stderr, "%s:%d: NUL byte in a text line\n", path, lineno);
			rc = -1;
			break;
		}
		char *p = line + strspn(line, " \t");
		if (*p == '#' || *p == '\n' || !*p)
			continue;
		rc = fn(ctx, p, path, lineno);
	}
	if (!rc && ferror(f)) {
		fprintf(stderr, "%s: %s\n", path, errno ? strerror(errno) : "read error");
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if (flag == FTW_DP) {
		chmod(p, 0700);
		return rmdir(p) ? 0 : 0;
	}
	unlink(p);
	return 0;
}

static int open_dir(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)f;
	/* read-only folders from archives must become writable to be emptied */
	if (flag == FTW_D && (st->st_mode & 0700) != 0700)
		chmod(p, st->st_mode | 0700);
	return 0;
}

void remove_tree(const char *path)
{
	nftw(path, open_dir, 32, FTW_PHYS);
	nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

int safe_relative(const char *p)
{
	if (p[0] == '/')
		return 0;
	for (const char *s = p; *s;) {
		size_t len = strcspn(s, "/");
		if (len == 2 && s[0] == '.' && s[1] == '.')
			return 0;
		s += len;
		while (*s == '/')
			s++;
	}
	return 1;
}

int url_without_userinfo(const char *url, char *out, size_t size)
{
	const char *sep = strstr(url, "://");
	size_t scheme = sep ? (size_t)(sep - url) : 0;
	/* a scheme is a letter, then letters, digits, '+', '-' or '.' */
	int is_url = scheme > 0 && isalpha((unsigned char)url[0]);
	for (size_t i = 1; is_url && i < scheme; i++)
		is_url = isalnum((unsigned char)url[i]) || strchr("+-.", url[i]);
	const char *rest = url;
	if (is_url) {
		const char *auth = sep + 3;
		size_t len = strcspn(auth, "/?#");
		const char *at = NULL;
		for (size_t i = 0; i < len; i++)
			if (auth[i] == '@')
				at = auth + i;
		if (at)
			rest = at + 1;
	}
	int n = rest == url ? snprintf(out, size, "%s", url)
			    : snprintf(out, size, "%.*s%s", (int)scheme + 3, url, rest);
	if (n < 0 || (size_t)n >= size) {
		if (size)
			out[0] = 0;
		return -1;
	}
	return 0;
}

int check_own_file(int fd, const char *path)
{
	struct stat st;
	if (fstat(fd, &st)) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: not a regular file; refusing to write to it: remove it\n", path);
		return -1;
	}
	if (st.st_nlink > 1) {
		fprintf(stderr, "%s: has %lu hard links (another name of another file); "
			"refusing to write to it: remove it\n", path, (unsigned long)st.st_nlink);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		fprintf(stderr, "%s: belongs to user %lu, not to this one; refusing to write to it: "
			"remove it\n", path, (unsigned long)st.st_uid);
		return -1;
	}
	return 0;
}
