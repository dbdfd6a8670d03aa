/* `extract [--strip-components N] ARCHIVE DEST`: unpack a source archive
 * (tar with any compression, zip; detected by content) with libarchive into
 * a temporary folder beside DEST, refusing entries that could write outside
 * it or create special files, then rename the folder to DEST. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "helper.h"

/* Drop `n` leading components; NULL when nothing is left. */
static const char *strip(const char *p, int n)
{
	while (n-- > 0) {
		while (*p == '/')
			p++;
		const char *s = strchr(p, '/');
		if (!s)
			return NULL;
		p = s + 1;
	}
	while (*p == '/' && p[1] == 0)
		return NULL;
	return *p ? p : NULL;
}

/* A relative path that stays inside its root: no "..", not absolute. */
static int safe_relative(const char *p)
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

/* Does a symlink at `path` (relative to the root) pointing to `target` stay
 * inside the root? Resolved lexically, component by component. */
static int link_inside(const char *path, const char *target)
{
	if (target[0] == '/')
		return 0;
	int depth = 0;
	/* components of the link's own folder */
	for (const char *s = path; *s;) {
		size_t len = strcspn(s, "/");
		if (!s[len])
			break; /* the last component is the link itself */
		if (!(len == 1 && s[0] == '.'))
			depth++;
		s += len;
		while (*s == '/')
			s++;
	}
	for (const char *s = target; *s;) {
		size_t len = strcspn(s, "/");
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			if (--depth < 0)
				return 0;
		} else if (len && !(len == 1 && s[0] == '.')) {
			depth++;
		}
		s += len;
		while (*s == '/')
			s++;
	}
	return 1;
}

int cmd_extract(int argc, char **argv)
{
	int nstrip = 0;
	const char *archive = NULL, *dest = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--strip-components") && i + 1 < argc)
			nstrip = atoi(argv[++i]);
		else if (argv[i][0] == '-') {
			fprintf(stderr, "extract: unknown option %s\n", argv[i]);
			return 2;
		} else if (!archive)
			archive = argv[i];
		else if (!dest)
			dest = argv[i];
		else {
			fprintf(stderr, "extract: too many arguments\n");
			return 2;
		}
	}
	if (!archive || !dest) {
		fprintf(stderr, "usage: extract [--strip-components N] ARCHIVE DEST\n");
		return 2;
	}
	if (access(dest, F_OK) == 0) {
		fprintf(stderr, "extract: %s already exists\n", dest);
		return 2;
	}
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s.extract-XXXXXX", dest);
	char *slash = strrchr(dest, '/');
	if (slash) {
		char parent[PATH_MAX];
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - dest), dest);
		if (*parent && mkdir_p(parent))
			return 1;
	}
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "extract: %s: %s\n", tmp, strerror(errno));
		return 1;
	}
	/* libarchive's secure mode refuses absolute paths, so entries are
	 * written relative to the temporary folder as working directory */
	char cwd[PATH_MAX], abs_archive[PATH_MAX], abs_tmp[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)) || !realpath(archive, abs_archive) ||
	    !realpath(tmp, abs_tmp) || chdir(abs_tmp)) {
		fprintf(stderr, "extract: %s: %s\n", archive, strerror(errno));
		remove_tree(tmp);
		return 1;
	}
	archive = abs_archive;
	struct archive *a = archive_read_new();
	struct archive *w = archive_write_disk_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	archive_write_disk_set_options(w, ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
				       ARCHIVE_EXTRACT_SECURE_SYMLINKS |
				       ARCHIVE_EXTRACT_SECURE_NODOTDOT |
				       ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
	int rc = 0;
	if (archive_read_open_filename(a, archive, 65536) != ARCHIVE_OK) {
		fprintf(stderr, "extract: %s: %s\n", archive, archive_error_string(a));
		rc = 1;
		goto done;
	}
	struct archive_entry *e;
	int r;
	size_t count = 0;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *orig = archive_entry_pathname(e);
		const char *p = strip(orig, nstrip);
		if (!p)
			continue;
		mode_t type = archive_entry_filetype(e);
		if (!safe_relative(orig) || !safe_relative(p)) {
			fprintf(stderr, "extract: %s: refusing entry '%s': path leaves the destination\n",
				archive, orig);
			rc = 1;
			break;
		}
		if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO || type == AE_IFSOCK) {
			fprintf(stderr, "extract: %s: refusing entry '%s': special file\n", archive, orig);
			rc = 1;
			break;
		}
		if (type == AE_IFLNK && !link_inside(p, archive_entry_symlink(e))) {
			fprintf(stderr, "extract: %s: refusing symlink '%s' -> '%s': points outside\n",
				archive, orig, archive_entry_symlink(e));
			rc = 1;
			break;
		}
		const char *hl = archive_entry_hardlink(e);
		char hlpath[PATH_MAX];
		if (hl) {
			const char *hs = strip(hl, nstrip);
			if (!hs || !safe_relative(hl) || !safe_relative(hs)) {
				fprintf(stderr, "extract: %s: refusing hardlink '%s' -> '%s': points outside\n",
					archive, orig, hl);
				rc = 1;
				break;
			}
			snprintf(hlpath, sizeof(hlpath), "%s", hs);
			archive_entry_set_hardlink(e, hlpath);
		}
		char out[PATH_MAX];
		snprintf(out, sizeof(out), "%s", p);
		archive_entry_set_pathname(e, out);
		if (archive_write_header(w, e) != ARCHIVE_OK) {
			fprintf(stderr, "extract: %s: %s: %s\n", archive, orig, archive_error_string(w));
			rc = 1;
			break;
		}
		const void *buf;
		size_t size;
		la_int64_t off;
		while ((r = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK)
			if (archive_write_data_block(w, buf, size, off) != ARCHIVE_OK) {
				r = ARCHIVE_FATAL;
				break;
			}
		if (r != ARCHIVE_EOF) {
			fprintf(stderr, "extract: %s: %s: %s\n", archive, orig,
				archive_error_string(a) ? archive_error_string(a) : archive_error_string(w));
			rc = 1;
			break;
		}
		if (archive_write_finish_entry(w) != ARCHIVE_OK) {
			fprintf(stderr, "extract: %s: %s: %s\n", archive, orig, archive_error_string(w));
			rc = 1;
			break;
		}
		count++;
	}
	if (!rc && r != ARCHIVE_EOF) {
		fprintf(stderr, "extract: %s: %s\n", archive, archive_error_string(a));
		rc = 1;
	}
	if (!rc && !count) {
		fprintf(stderr, "extract: %s: no entries\n", archive);
		rc = 1;
	}
done:
	archive_read_free(a);
	if (archive_write_close(w) != ARCHIVE_OK && !rc) {
		fprintf(stderr, "extract: %s\n", archive_error_string(w));
		rc = 1;
	}
	archive_write_free(w);
	if (chdir(cwd) && !rc) {
		fprintf(stderr, "extract: %s: %s\n", cwd, strerror(errno));
		rc = 1;
	}
	if (!rc && rename(tmp, dest)) {
		fprintf(stderr, "extract: %s: %s\n", dest, strerror(errno));
		rc = 1;
	}
	if (rc)
		remove_tree(tmp);
	return rc;
}
