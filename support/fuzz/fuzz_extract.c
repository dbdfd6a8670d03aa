/* Archive bytes in: extracted with --strip-components 1 into a scratch
 * folder. The oracle is the extraction rule itself: when extract accepts
 * the archive, every symlink in the tree resolves inside it (checked here
 * with realpath, independently of extract.c's own walk) and nothing was
 * written beside the destination. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../helper/helper.h"
#include "common.h"

/* abort() when a symlink below `dir` resolves outside `root` */
static void check_links(const char *root, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char p[PATH_MAX];
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >= sizeof(p))
			continue;
		struct stat st;
		if (lstat(p, &st))
			continue;
		if (S_ISLNK(st.st_mode)) {
			char real[PATH_MAX];
			size_t n = strlen(root);
			if (realpath(p, real) && strcmp(real, root) &&
			    (strncmp(real, root, n) || real[n] != '/')) {
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
