/* A package's installed trees as one reproducible tar, and back: the
 * package cache's artifact (artifact.h). */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "artifact.h"
#include "helper.h"

struct inode_seen {
	dev_t dev;
	ino_t ino;
	char *path;
};

struct writer {
	struct archive *a;
	const char *pkg_dir;
	const char *o_dir;
	long long epoch;
	struct inode_seen *seen;
	size_t nseen, capseen;
	char *not_relocatable;
};

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Read a whole regular file (at most `limit` bytes). */
static char *slurp(const char *path, size_t size, size_t *got)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	char *buf = malloc(size ? size : 1);
	if (!buf) {
		fprintf(stderr, "%s: out of memory\n", path);
		close(fd);
		return NULL;
	}
	size_t n = 0;
	while (n < size) {
		ssize_t r = read(fd, buf + n, size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "%s: %s\n", path, r < 0 ? strerror(errno) : "changed while read");
			free(buf);
			close(fd);
			return NULL;
		}
		n += (size_t)r;
	}
	close(fd);
	*got = n;
	return buf;
}

/* Replace every `from` in buf (len bytes) by `to`: a new buffer (with a
 * NUL byte after its *outlen bytes), or NULL (out of memory). */
static char *replace_all(const char *buf, size_t len, const char *from, const char *to, size_t *outlen)
{
	size_t fl = strlen(from), tl = strlen(to), count = 0;
	for (const char *p = buf; (p = memmem(p, len - (size_t)(p - buf), from, fl)); p += fl)
		count++;
	size_t n = len - count * fl + count * tl;
	char *out = malloc(n + 1), *w = out;
	if (!out)
		return NULL;
	const char *r = buf, *end = buf + len;
	for (const char *p; (p = memmem(r, (size_t)(end - r), from, fl)); r = p + fl) {
		memcpy(w, r, (size_t)(p - r));
		w += p - r;
		memcpy(w, to, tl);
		w += tl;
	}
	memcpy(w, r, (size_t)(end - r));
	out[n] = 0;
	*outlen = n;
	return out;
}

static int write_entry(struct writer *w, const char *rel, const char *path, const struct stat *st)
{
	struct archive_entry *e = archive_entry_new();
	if (!e) {
		fputs("pkgcache: out of memory\n", stderr);
		return -1;
	}
	archive_entry_set_pathname(e, rel);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_perm(e, st->st_mode & 07777);
	archive_entry_set_mtime(e, st->st_mtime < w->epoch ? st->st_mtime : w->epoch, 0);
	char *data = NULL;
	size_t len = 0;
	int rc = -1;
	if (S_ISDIR(st->st_mode)) {
		archive_entry_set_filetype(e, AE_IFDIR);
	} else if (S_ISLNK(st->st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n < 0) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			goto out;
		}
		target[n] = 0;
		archive_entry_set_filetype(e, AE_IFLNK);
		/* a link into the output folder points into the one it is
		 * unpacked in */
		if (strstr(target, w->o_dir)) {
			size_t len2;
			char *r = replace_all(target, (size_t)n, w->o_dir, ARTIFACT_O_MARKER, &len2);
			if (!r) {
				fputs("pkgcache: out of memory\n", stderr);
				goto out;
			}
			archive_entry_copy_symlink(e, r);
			free(r);
		} else {
			archive_entry_set_symlink(e, target);
		}
	} else if (S_ISREG(st->st_mode)) {
		archive_entry_set_filetype(e, AE_IFREG);
		if (st->st_nlink > 1) {
			for (size_t i = 0; i < w->nseen; i++)
				if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino) {
					archive_entry_set_hardlink(e, w->seen[i].path);
					archive_entry_set_size(e, 0);
					rc = archive_write_header(w->a, e) == ARCHIVE_OK ? 0 : -1;
					if (rc)
						fprintf(stderr, "%s: %s\n", path, archive_error_string(w->a));
					goto out;
				}
			if (w->nseen == w->capseen) {
				size_t cap = w->capseen ? w->capseen * 2 : 64;
				struct inode_seen *s = realloc(w->seen, cap * sizeof(*s));
				if (!s) {
					fputs("pkgcache: out of memory\n", stderr);
					goto out;
				}
				w->seen = s;
				w->capseen = cap;
			}
			char *copy = strdup(rel);
			if (!copy) {
				fputs("pkgcache: out of memory\n", stderr);
				goto out;
			}
			w->seen[w->nseen++] = (struct inode_seen){ st->st_dev, st->st_ino, copy };
		}
		data = slurp(path, (size_t)st->st_size, &len);
		if (!data)
			goto out;
		if (memmem(data, len, w->o_dir, strlen(w->o_dir))) {
			if (memchr(data, 0, len)) {
				if (!w->not_relocatable && !(w->not_relocatable = strdup(rel))) {
					fputs("pkgcache: out of memory\n", stderr);
					goto out;
				}
			} else {
				size_t n;
				char *r = replace_all(data, len, w->o_dir, ARTIFACT_O_MARKER, &n);
				if (!r) {
					fputs("pkgcache: out of memory\n", stderr);
					goto out;
				}
				free(data);
				data = r;
				len = n;
			}
		}
		archive_entry_set_size(e, (la_int64_t)len);
	} else {
		fprintf(stderr, "%s: not a file, folder or symbolic link: refused in an artifact\n", path);
		goto out;
	}
	if (archive_write_header(w->a, e) != ARCHIVE_OK ||
	    (len && archive_write_data(w->a, data, len) != (la_ssize_t)len)) {
		fprintf(stderr, "%s: %s\n", path, archive_error_string(w->a));
		goto out;
	}
	rc = 0;
out:
	free(data);
	archive_entry_free(e);
	return rc;
}

static int walk(struct writer *w, const char *rel)
{
	char path[PATH_MAX];
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", w->pkg_dir, rel) >= sizeof(path)) {
		fprintf(stderr, "%s/%s: path too long\n", w->pkg_dir, rel);
		return -1;
	}
	struct stat st;
	if (lstat(path, &st) < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (write_entry(w, rel, path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return 0;
	struct dirent **names;
	int n = scandir(path, &names, NULL, by_name);
	if (n < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		if (!rc && strcmp(d, ".") && strcmp(d, "..")) {
			char sub[PATH_MAX];
			if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", rel, d) >= sizeof(sub)) {
				fprintf(stderr, "%s/%s: path too long\n", path, d);
				rc = -1;
			} else {
				rc = walk(w, sub);
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int artifact_write(const char *pkg_dir, const char *const *parts, const char *o_dir,
		   long long epoch, const char *out, char **not_relocatable)
{
	char tmp[PATH_MAX];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", out) >= sizeof(tmp)) {
		fprintf(stderr, "%s: path too long\n", out);
		return -1;
	}
	struct writer w = { archive_write_new(), pkg_dir, o_dir, epoch, NULL, 0, 0, NULL };
	*not_relocatable = NULL;
	if (!w.a) {
		fputs("pkgcache: out of memory\n", stderr);
		return -1;
	}
	int rc = -1;
	if (archive_write_set_format_pax_restricted(w.a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(w.a, 1) != ARCHIVE_OK ||
	    archive_write_open_filename(w.a, tmp) != ARCHIVE_OK) {
		fprintf(stderr, "%s: %s\n", tmp, archive_error_string(w.a));
		goto out;
	}
	for (const char *const *p = parts; *p; p++) {
		char path[PATH_MAX];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", pkg_dir, *p);
		if (lstat(path, &st) < 0 && errno == ENOENT)
			continue;
		if (walk(&w, *p) < 0)
			goto out;
	}
	if (archive_write_close(w.a) != ARCHIVE_OK) {
		fprintf(stderr, "%s: %s\n", tmp, archive_error_string(w.a));
		goto out;
	}
	if (rename(tmp, out) < 0) {
		fprintf(stderr, "%s: %s\n", out, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	archive_write_free(w.a);
	if (rc)
		unlink(tmp);
	for (size_t i = 0; i < w.nseen; i++)
		free(w.seen[i].path);
	free(w.seen);
	if (rc)
		free(w.not_relocatable);
	else
		*not_relocatable = w.not_relocatable;
	return rc;
}

/* A relative path that stays inside its root, and is not empty. */
static int inside(const char *p)
{
	return *p && safe_relative(p);
}

/* Whether the first component of `p` is one of `parts`. */
static int in_parts(const char *p, const char *const *parts)
{
	size_t len = strcspn(p, "/");
	for (; *parts; parts++)
		if (strlen(*parts) == len && !strncmp(*parts, p, len))
			return 1;
	return 0;
}

static int unpack_entries(struct archive *in, struct archive *disk, const char *tmp,
			  const char *const *parts, const char *o_dir, const char *what)
{
	struct archive_entry *e;
	int r;
	while ((r = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(e);
		const char *hl = archive_entry_hardlink(e);
		mode_t type = archive_entry_filetype(e);
		if (!p || !inside(p) || !in_parts(p, parts) || (hl && (!inside(hl) || !in_parts(hl, parts)))) {
			fprintf(stderr, "%s: entry '%s' is outside the package's folders: refused\n", what,
				p ? p : "(none)");
			return -1;
		}
		if (!hl && type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK) {
			fprintf(stderr, "%s: entry '%s' is a special file: refused\n", what, p);
			return -1;
		}
		/* a part is a folder (a link there would send what is merged
		 * from it elsewhere); a hard link carries no data of its own */
		if ((!strchr(p, '/') && (hl || type != AE_IFDIR)) ||
		    (hl && archive_entry_size_is_set(e) && archive_entry_size(e) > 0)) {
			fprintf(stderr, "%s: entry '%s' is not what an artifact holds: refused\n", what, p);
			return -1;
		}
		/* the entry's own strings change with it: keep the name */
		char name[PATH_MAX], full[PATH_MAX], link[PATH_MAX];
		if ((size_t)snprintf(name, sizeof(name), "%s", p) >= sizeof(name)) {
			fprintf(stderr, "%s: entry '%s': path too long\n", what, p);
			return -1;
		}
		p = name;
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", tmp, p) >= sizeof(full) ||
		    (hl && (size_t)snprintf(link, sizeof(link), "%s/%s", tmp, hl) >= sizeof(link))) {
			fprintf(stderr, "%s: entry '%s': path too long\n", what, p);
			return -1;
		}
		archive_entry_set_pathname(e, full);
		if (hl)
			archive_entry_set_hardlink(e, link);
		const char *sl = type == AE_IFLNK ? archive_entry_symlink(e) : NULL;
		if (sl && strstr(sl, ARTIFACT_O_MARKER)) {
			size_t n;
			char *rep = replace_all(sl, strlen(sl), ARTIFACT_O_MARKER, o_dir, &n);
			if (!rep) {
				fprintf(stderr, "%s: entry '%s': out of memory\n", what, p);
				return -1;
			}
			archive_entry_copy_symlink(e, rep);
			free(rep);
		}
		char *data = NULL;
		size_t len = 0;
		if (!hl && type == AE_IFREG) {
			la_int64_t size = archive_entry_size(e);
			if (size < 0 || (data = malloc(size ? (size_t)size : 1)) == NULL) {
				fprintf(stderr, "%s: entry '%s': out of memory\n", what, p);
				return -1;
			}
			la_ssize_t got = size ? archive_read_data(in, data, (size_t)size) : 0;
			if (got != size) {
				fprintf(stderr, "%s: entry '%s': %s\n", what, p, archive_error_string(in));
				free(data);
				return -1;
			}
			len = (size_t)size;
			if (memmem(data, len, ARTIFACT_O_MARKER, strlen(ARTIFACT_O_MARKER))) {
				size_t n;
				char *rep = replace_all(data, len, ARTIFACT_O_MARKER, o_dir, &n);
				free(data);
				if (!rep) {
					fprintf(stderr, "%s: entry '%s': out of memory\n", what, p);
					return -1;
				}
				data = rep;
				len = n;
			}
			archive_entry_set_size(e, (la_int64_t)len);
		}
		int ok = archive_write_header(disk, e) == ARCHIVE_OK &&
			 (!len || archive_write_data(disk, data, len) == (la_ssize_t)len) &&
			 archive_write_finish_entry(disk) == ARCHIVE_OK;
		free(data);
		if (!ok) {
			fprintf(stderr, "%s: entry '%s': %s\n", what, p, archive_error_string(disk));
			return -1;
		}
	}
	if (r != ARCHIVE_EOF) {
		fprintf(stderr, "%s: %s\n", what, archive_error_string(in));
		return -1;
	}
	return 0;
}

int artifact_unpack(const void *data, size_t size, const char *pkg_dir,
		    const char *const *parts, const char *o_dir, const char *what)
{
	char tmp[PATH_MAX];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.artifact-unpack.tmp", pkg_dir) >= sizeof(tmp)) {
		fprintf(stderr, "%s: path too long\n", pkg_dir);
		return -1;
	}
	remove_tree(tmp);
	if (mkdir_p(tmp) < 0)
		return -1;
	struct archive *in = archive_read_new(), *disk = archive_write_disk_new();
	int rc = -1;
	if (!in || !disk) {
		fputs("pkgcache: out of memory\n", stderr);
		goto out;
	}
	archive_read_support_format_tar(in);
	archive_write_disk_set_options(disk, ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
					     ARCHIVE_EXTRACT_SECURE_NODOTDOT |
					     ARCHIVE_EXTRACT_SECURE_SYMLINKS);
	if (archive_read_open_memory(in, data, size) != ARCHIVE_OK) {
		fprintf(stderr, "%s: %s\n", what, archive_error_string(in));
		goto out;
	}
	if (unpack_entries(in, disk, tmp, parts, o_dir, what) < 0 ||
	    archive_write_close(disk) != ARCHIVE_OK)
		goto out;
	/* every part is replaced, those the artifact lacks removed: the
	 * package's output is exactly the artifact */
	for (const char *const *p = parts; *p; p++) {
		char from[PATH_MAX], to[PATH_MAX];
		snprintf(from, sizeof(from), "%s/%s", tmp, *p);
		snprintf(to, sizeof(to), "%s/%s", pkg_dir, *p);
		remove_tree(to);
		if (rename(from, to) < 0 && errno != ENOENT) {
			fprintf(stderr, "%s: %s\n", to, strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	if (in)
		archive_read_free(in);
	if (disk)
		archive_write_free(disk);
	remove_tree(tmp);
	return rc;
}
