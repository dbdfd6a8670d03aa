/* Archive bytes in: extracted with --strip-components 1 into a scratch
 * folder. The oracle is the extraction rule itself: when extract accepts
 * the archive, every symlink in the tree resolves inside it (checked here
 * with realpath, independently of extract.c's own walk; a link to a name
 * that does not exist yet by its existing part, the rest lexically) and
 * nothing was written beside the destination. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../helper/helper.h"
#include "common.h"

/* Where the path `path` leads, into `out` (size n): the longest prefix that
 * exists resolved by the kernel (realpath), then the components after it
 * taken lexically, as a link to a name not created yet would lead once it
 * is. A failure of realpath other than a missing name is a failed run: the
 * oracle must not pass what it could not check. */
static void resolve(const char *path, char *out, size_t n)
{
	char prefix[2 * PATH_MAX];
	snprintf(prefix, sizeof(prefix), "%s", path);
	const char *rest = NULL;
	for (;;) {
		if (realpath(prefix, out))
			break;
		if (errno != ENOENT && errno != ENOTDIR) {
			fprintf(stderr, "oracle: realpath %s: %s\n", prefix, strerror(errno));
			abort();
		}
		char *slash = strrchr(prefix, '/');
		if (!slash || slash == prefix) {
			fprintf(stderr, "oracle: nothing of %s exists\n", path);
			abort();
		}
		*slash = 0;
		rest = path + (slash - prefix) + 1;
	}
	for (const char *c = rest; c && *c;) {
		size_t len = strcspn(c, "/");
		size_t ol = strlen(out);
		if (len == 2 && c[0] == '.' && c[1] == '.') {
			char *s = strrchr(out, '/');
			if (s && s != out)
				*s = 0;
			else
				snprintf(out, n, "/");
		} else if (len && !(len == 1 && c[0] == '.')) {
			if (ol + 1 + len + 1 > n) {
				fprintf(stderr, "oracle: %s resolves to a path over PATH_MAX\n", path);
				abort();
			}
			snprintf(out + ol, n - ol, "%s%.*s", ol > 1 ? "/" : "", (int)len, c);
		}
		c += len + (c[len] == '/');
	}
}

/* abort() when a symlink below `dir` resolves outside `root`, or when the
 * tree cannot be read to check it */
static void check_links(const char *root, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d && errno == EACCES && !chmod(dir, 0700)) /* a folder the archive made 0 */
		d = opendir(dir);
	if (!d) {
		fprintf(stderr, "oracle: %s: %s\n", dir, strerror(errno));
		abort();
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char p[PATH_MAX];
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >= sizeof(p))
			continue;
		struct stat st;
		if (lstat(p, &st)) {
			fprintf(stderr, "oracle: %s: %s\n", p, strerror(errno));
			abort();
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX], joined[2 * PATH_MAX + 2], real[2 * PATH_MAX];
			ssize_t tn = readlink(p, target, sizeof(target) - 1);
			if (tn < 0) {
				fprintf(stderr, "oracle: %s: %s\n", p, strerror(errno));
				abort();
			}
			target[tn] = 0;
			if (target[0] == '/')
				snprintf(joined, sizeof(joined), "%s", target);
			else
				snprintf(joined, sizeof(joined), "%s/%s", dir, target);
			resolve(joined, real, sizeof(real));
			size_t n = strlen(root);
			if (strcmp(real, root) && (strncmp(real, root, n) || real[n] != '/')) {
				fprintf(stderr, "extract let %s resolve to %s\n", p, real);
				abort();
			}
		} else if (S_ISDIR(st.st_mode)) {
			check_links(root, p);
		}
	}
	closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char archive[PATH_MAX], box[PATH_MAX], dest[PATH_MAX + 8];
	snprintf(archive, sizeof(archive), "%s", fuzz_file("a.tar", data, size));
	/* the destination sits alone in a box: anything else there afterwards
	 * was written outside it */
	snprintf(box, sizeof(box), "%s/box", fuzz_dir());
	fuzz_remove(box);
	mkdir(box, 0755);
	snprintf(dest, sizeof(dest), "%s/out", box);
	char *argv[] = { "extract", "--strip-components", "1", archive, dest, NULL };
	int rc = cmd_extract(5, argv);
	DIR *d = opendir(box);
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && strcmp(de->d_name, "out")) {
			fprintf(stderr, "extract left %s beside the destination (rc %d)\n", de->d_name, rc);
			abort();
		}
	if (d)
		closedir(d);
	if (rc == 0) {
		char real[PATH_MAX];
		if (!realpath(dest, real))
			abort();
		check_links(real, real);
	} else if (access(dest, F_OK) == 0) {
		fprintf(stderr, "extract failed (rc %d) but left %s\n", rc, dest);
		abort();
	}
	fuzz_remove(box);
	return 0;
}
