/* `extract [--strip-components N] ARCHIVE DEST`: unpack a source archive
 * (tar with any compression, zip; detected by content) with libarchive into
 * a temporary folder beside DEST, refusing entries that could write outside
 * it or create special files, then rename the folder to DEST. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
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

/* A path made only of "." components ("./", "pkg/." once stripped): the
 * archive's root, which must not change the destination's own mode. */
static int is_root(const char *p)
{
	for (const char *s = p; *s;) {
		size_t len = strcspn(s, "/");
		if (len && !(len == 1 && s[0] == '.'))
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

/*
 * The rule is about the final tree: links that are harmless one by one can
 * escape together (d -> ., u -> d/..). resolve_beneath() walks the target
 * of the symlink at `link` (relative to the root folder `rootfd`) component
 * by component as the kernel would, following the symlinks it meets inside
 * the tree (at most 40, as Linux's MAXSYMLINKS). Returns 1 when the link
 * stays inside the root, 0 when it leaves it (or loops), -1 on an error
 * (errno set). A component that does not exist ends the physical walk: no
 * link can lie beneath it, so the rest is resolved lexically.
 */
static int resolve_beneath(int rootfd, const char *link)
{
	char cur[PATH_MAX], rest[PATH_MAX], target[PATH_MAX];
	/* start in the link's own folder: a real folder, as nftw found it */
	snprintf(cur, sizeof(cur), "%s", link);
	char *slash = strrchr(cur, '/');
	if (slash)
		*slash = 0;
	else
		cur[0] = 0;
	ssize_t n = readlinkat(rootfd, link, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = 0;
	if (n == 0 || target[0] == '/')
		return 0;
	snprintf(rest, sizeof(rest), "%s", target);
	int hops = 0, physical = 1;
	while (rest[0]) {
		size_t len = strcspn(rest, "/");
		char comp[NAME_MAX + 1];
		if (len > NAME_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, rest, len);
		comp[len] = 0;
		memmove(rest, rest + len + strspn(rest + len, "/"),
			strlen(rest + len + strspn(rest + len, "/")) + 1);
		if (!len || !strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			if (!cur[0])
				return 0; /* above the root */
			char *s = strrchr(cur, '/');
			if (s)
				*s = 0;
			else
				cur[0] = 0;
			continue;
		}
		size_t cl = strlen(cur);
		if (cl + 1 + len + 1 > sizeof(cur)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		snprintf(cur + cl, sizeof(cur) - cl, "%s%s", cl ? "/" : "", comp);
		if (!physical)
			continue;
		struct stat st;
		if (fstatat(rootfd, cur, &st, AT_SYMLINK_NOFOLLOW)) {
			physical = 0; /* nothing beneath a missing name is a link */
			continue;
		}
		if (!S_ISLNK(st.st_mode))
			continue;
		if (++hops > 40)
			return 0;
		n = readlinkat(rootfd, cur, target, sizeof(target) - 1);
		if (n < 0)
			return -1;
		target[n] = 0;
		if (n == 0 || target[0] == '/')
			return 0;
		/* the link's name leaves cur; its target goes before the rest */
		char *s = strrchr(cur, '/');
		if (s)
			*s = 0;
		else
			cur[0] = 0;
		char joined[PATH_MAX];
		if ((size_t)snprintf(joined, sizeof(joined), "%s/%s", target, rest) >= sizeof(joined)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		snprintf(rest, sizeof(rest), "%s", joined);
	}
	return 1;
}

/* What check_tree() found while walking the tree. */
struct tree_check {
	const char *archive;
	int rootfd;
	int bad;
	struct inode_count {
		dev_t dev;
		ino_t ino;
		nlink_t nlink;
		nlink_t seen;
	} *inodes;
	size_t ninodes, cap;
};

/* Count one more name of a multiply linked file; 0, or -1 out of memory. */
static int count_inode(struct tree_check *c, const struct stat *st)
{
	size_t i;
	for (i = 0; i < c->ninodes; i++)
		if (c->inodes[i].dev == st->st_dev && c->inodes[i].ino == st->st_ino)
			break;
	if (i == c->ninodes) {
		if (c->ninodes == c->cap) {
			size_t cap = c->cap ? 2 * c->cap : 64;
			void *p = realloc(c->inodes, cap * sizeof(*c->inodes));
			if (!p)
				return -1;
			c->inodes = p;
			c->cap = cap;
		}
		c->inodes[c->ninodes++] = (struct inode_count){st->st_dev, st->st_ino, st->st_nlink, 0};
	}
	c->inodes[i].seen++;
	return 0;
}

/* Check the entry `rel` (relative to the root; "" is the root) and, for a
 * folder, everything beneath it. Sets c->bad after naming the problem. */
static void walk_tree(struct tree_check *c, const char *rel)
{
	struct stat st;
	if (fstatat(c->rootfd, rel[0] ? rel : ".", &st, AT_SYMLINK_NOFOLLOW)) {
		fprintf(stderr, "extract: %s: %s: %s\n", c->archive, rel, strerror(errno));
		c->bad = 1;
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		int r = resolve_beneath(c->rootfd, rel);
		if (r <= 0) {
			fprintf(stderr, "extract: %s: refusing symlink '%s': %s\n", c->archive, rel,
				r < 0 ? strerror(errno) : "resolves outside the destination");
			c->bad = 1;
		}
		return;
	}
	if (S_ISREG(st.st_mode) && st.st_nlink > 1 && count_inode(c, &st)) {
		fprintf(stderr, "extract: out of memory\n");
		c->bad = 1;
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return;
	int fd = openat(c->rootfd, rel[0] ? rel : ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		fprintf(stderr, "extract: %s: %s: %s\n", c->archive, rel, strerror(errno));
		if (fd >= 0)
			close(fd);
		c->bad = 1;
		return;
	}
	struct dirent *de;
	while (!c->bad && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char child[PATH_MAX];
		if ((size_t)snprintf(child, sizeof(child), "%s%s%s", rel, rel[0] ? "/" : "",
				     de->d_name) >= sizeof(child)) {
			fprintf(stderr, "extract: %s: %s/%s: path too long\n", c->archive, rel, de->d_name);
			c->bad = 1;
			break;
		}
		walk_tree(c, child);
	}
	closedir(d);
}

/* After extraction, before the rename: every symlink resolves inside the
 * tree, and every file with several hard links has them all inside it (a
 * link count the tree does not account for is a link to a file outside).
 * Returns 0 when the tree is sound, 1 after naming the offending entry. */
static int check_tree(const char *archive, const char *root)
{
	struct tree_check c = {.archive = archive};
	c.rootfd = open(root, O_RDONLY | O_DIRECTORY);
	if (c.rootfd < 0) {
		fprintf(stderr, "extract: %s: %s\n", root, strerror(errno));
		return 1;
	}
	walk_tree(&c, "");
	for (size_t i = 0; !c.bad && i < c.ninodes; i++)
		if (c.inodes[i].seen != c.inodes[i].nlink) {
			fprintf(stderr, "extract: %s: refusing hardlink to a file outside the destination"
				" (inode %lu)\n", archive, (unsigned long)c.inodes[i].ino);
			c.bad = 1;
		}
	free(c.inodes);
	close(c.rootfd);
	return c.bad;
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
		if (!p || is_root(p))
			continue;
		mode_t type = archive_entry_filetype(e);
		/* a name cut to fit the buffers below would be another file */
		const char *hl = archive_entry_hardlink(e);
		if (strlen(p) >= PATH_MAX || (hl && strlen(hl) >= PATH_MAX)) {
			fprintf(stderr, "extract: %s: refusing entry '%.200s...': path at or over"
				" PATH_MAX (%d bytes)\n", archive, orig, PATH_MAX);
			rc = 1;
			break;
		}
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
		if (type == AE_IFLNK && (!archive_entry_symlink(e) || !*archive_entry_symlink(e))) {
			fprintf(stderr, "extract: %s: refusing symlink '%s': empty target\n", archive, orig);
			rc = 1;
			break;
		}
		if (type == AE_IFLNK && !link_inside(p, archive_entry_symlink(e))) {
			fprintf(stderr, "extract: %s: refusing symlink '%s' -> '%s': points outside\n",
				archive, orig, archive_entry_symlink(e));
			rc = 1;
			break;
		}
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
		/* sources are not trusted to make privileged files */
		archive_entry_set_perm(e, archive_entry_perm(e) & 0777);
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
	if (!rc)
		rc = check_tree(archive, tmp);
	if (!rc && rename(tmp, dest)) {
		fprintf(stderr, "extract: %s: %s\n", dest, strerror(errno));
		rc = 1;
	}
	if (rc)
		remove_tree(tmp);
	return rc;
}
