/* `pack cpio|tar|dir`: write a filesystem image from a folder with
 * libarchive, without root: owners, modes and device nodes come from
 * Buildroot-style device tables and users tables applied while writing.
 * `dir` writes the same entries as a new folder (under fakeroot, for the
 * image tools that read a folder: fs/ext4, fs/squashfs, fs/erofs).
 *
 *   pack cpio|tar|dir --root DIR --out IMAGE [--format newc]
 *        [--compress gzip|none|xz|zstd] [--device-table F]... [--users-table F]...
 *        [--salt-key F]   (users tables: users.h; F: the image's identity)
 *
 * Reproducible: entries sorted by path (a folder before its contents), owned
 * by root unless a table says otherwise, mtimes clamped to
 * $SOURCE_DATE_EPOCH, inode numbers assigned in archive order, no gzip
 * timestamp. /etc/shadow and /etc/gshadow are always written with mode
 * 0600. A path at or over PATH_MAX is an error, never cut short. */
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
#include <sys/sysmacros.h>
#include <unistd.h>
#include "helper.h"
#include "users.h"

struct ent {
	char *path;        /* relative, no leading "./" */
	mode_t mode;       /* type and permissions */
	unsigned uid, gid;
	unsigned major, minor;
	char *src;         /* file on disk for regular files */
	char *link;        /* symlink target */
	char *data;        /* generated content (passwd, group) */
	char *hardlink;    /* tar, dir: an earlier path of the same file */
	size_t size;
	time_t mtime;
	dev_t dev;         /* regular files with more than one link: */
	ino_t ino;         /* their identity in the tree */
};

struct image {
	struct ent *v;
	size_t n, cap;
	time_t epoch;
	int have_epoch;
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fputs("pack: out of memory\n", stderr);
		exit(1);
	}
	return q;
}

static char *xstrdup(const char *s)
{
	return strcpy(xrealloc(NULL, strlen(s) + 1), s);
}

static struct ent *find(struct image *im, const char *path)
{
	for (size_t i = 0; i < im->n; i++)
		if (!strcmp(im->v[i].path, path))
			return &im->v[i];
	return NULL;
}

static struct ent *add(struct image *im, const char *path)
{
	struct ent *e = find(im, path);
	if (e)
		return e;
	if (im->n == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 256;
		im->v = xrealloc(im->v, im->cap * sizeof(*im->v));
	}
	e = &im->v[im->n++];
	memset(e, 0, sizeof(*e));
	e->path = xstrdup(path);
	e->mtime = im->have_epoch ? im->epoch : 0;
	return e;
}

static time_t clamp(struct image *im, time_t t)
{
	return im->have_epoch && t > im->epoch ? im->epoch : t;
}

static int walk(struct image *im, const char *root, const char *rel)
{
	char dir[PATH_MAX];
	if ((size_t)snprintf(dir, sizeof(dir), "%s%s%s", root, *rel ? "/" : "", rel) >= sizeof(dir)) {
		fprintf(stderr, "pack: %s: path at or over PATH_MAX (%d bytes)\n", root, PATH_MAX);
		return -1;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "pack: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	struct dirent *de;
	int rc = 0;
	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char r[PATH_MAX], full[PATH_MAX];
		/* an entry cut short would be another file, or none */
		if ((size_t)snprintf(r, sizeof(r), "%s%s%s", rel, *rel ? "/" : "", de->d_name) >= sizeof(r) ||
		    (size_t)snprintf(full, sizeof(full), "%s/%s", root, r) >= sizeof(full)) {
			fprintf(stderr, "pack: %s/%s%s%.200s...: path at or over PATH_MAX (%d bytes)\n",
				root, rel, *rel ? "/" : "", de->d_name, PATH_MAX);
			rc = -1;
			break;
		}
		struct stat st;
		if (lstat(full, &st)) {
			fprintf(stderr, "pack: %s: %s\n", full, strerror(errno));
			rc = -1;
			break;
		}
		struct ent *e = add(im, r);
		e->mode = st.st_mode & (S_IFMT | 07777);
		e->mtime = clamp(im, st.st_mtime);
		if (S_ISREG(st.st_mode)) {
			e->src = xstrdup(full);
			e->size = (size_t)st.st_size;
			if (st.st_nlink > 1) {
				e->dev = st.st_dev;
				e->ino = st.st_ino;
			}
		} else if (S_ISLNK(st.st_mode)) {
			char t[PATH_MAX];
			ssize_t n = readlink(full, t, sizeof(t));
			if (n < 0 || n == (ssize_t)sizeof(t)) {
				fprintf(stderr, "pack: %s: %s\n", full,
					n < 0 ? strerror(errno) : "link target at or over PATH_MAX");
				rc = -1;
				break;
			}
			t[n] = 0;
			e->link = xstrdup(t);
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk(im, root, r);
		} else {
			fprintf(stderr, "pack: %s: special files come from device tables, not the tree\n", full);
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

/* Make sure every parent folder of path has an entry. */
static void add_parents(struct image *im, const char *path)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf; (p = strchr(p, '/')); p++) {
		*p = 0;
		struct ent *e = find(im, buf);
		if (!e) {
			e = add(im, buf);
			e->mode = S_IFDIR | 0755;
		}
		*p = '/';
	}
}

static const char *rel_path(const char *name)
{
	while (*name == '/')
		name++;
	return name;
}

/* Buildroot makedevs format:
 * <name> <type> <mode> <uid> <gid> <major> <minor> <start> <inc> <count>
 * (mode in octal, the others decimal, "-" for 0); a count makes nodes
 * name<start>, name<start+inc>, ... up to DEVICE_COUNT_MAX of them. */
#define DEVICE_COUNT_MAX 1024
static int device_line(void *ctx, char *p, const char *file, int lineno)
{
	struct image *im = ctx;
	char name[512], type[8], smode[16], suid[16], sgid[16], smaj[16], smin[16],
	     sstart[16], sinc[16], scount[16];
	int n = sscanf(p, "%511s %7s %15s %15s %15s %15s %15s %15s %15s %15s", name, type,
		       smode, suid, sgid, smaj, smin, sstart, sinc, scount);
	if (n != 10 || strlen(type) != 1 || !strchr("fdcbp", type[0])) {
		fprintf(stderr, "%s:%d: expected 'name type mode uid gid major minor start inc count'"
			" with type f, d, c, b or p\n", file, lineno);
		return -1;
	}
	/* every number well formed ("-" is 0), and a count that a table can
	 * mean: a typo must not make millions of entries */
	const char *fields[] = { smode, suid, sgid, smaj, smin, sstart, sinc, scount };
	unsigned long v[8];
	for (int i = 0; i < 8; i++) {
		char *end;
		errno = 0;
		v[i] = strcmp(fields[i], "-") ? strtoul(fields[i], &end, i ? 10 : 8) : 0;
		if (strcmp(fields[i], "-") && (errno || *end || end == fields[i] ||
					       fields[i][0] == '-' || v[i] > 0xffffffffUL)) {
			fprintf(stderr, "%s:%d: '%s' is not a number (or -)\n", file, lineno, fields[i]);
			return -1;
		}
	}
	if (v[7] > DEVICE_COUNT_MAX) {
		fprintf(stderr, "%s:%d: count %lu is more than %d\n", file, lineno, v[7],
			DEVICE_COUNT_MAX);
		return -1;
	}
	unsigned mode = (unsigned)v[0], uid = (unsigned)v[1], gid = (unsigned)v[2],
		 maj = (unsigned)v[3], min = (unsigned)v[4], start = (unsigned)v[5],
		 inc = (unsigned)v[6], count = (unsigned)v[7];
	const char *rel = rel_path(name);
	if (!*rel) {
		fprintf(stderr, "%s:%d: the root itself cannot be an entry\n", file, lineno);
		return -1;
	}
	mode_t t = type[0] == 'f' ? S_IFREG : type[0] == 'd' ? S_IFDIR :
		   type[0] == 'c' ? S_IFCHR : type[0] == 'b' ? S_IFBLK : S_IFIFO;
	for (unsigned i = 0; i < (count ? count : 1); i++) {
		char path[PATH_MAX];
		if (count)
			snprintf(path, sizeof(path), "%s%u", rel, start + i * inc);
		else
			snprintf(path, sizeof(path), "%s", rel);
		struct ent *e = find(im, path);
		if (type[0] == 'f' && !e) {
			fprintf(stderr, "%s:%d: %s: no such file in the tree\n", file, lineno, path);
			return -1;
		}
		add_parents(im, path);
		e = add(im, path);
		if (type[0] != 'f' || !e->mode)
			e->mode = t;
		e->mode = (e->mode & S_IFMT) | (mode & 07777);
		e->uid = uid;
		e->gid = gid;
		if (type[0] == 'c' || type[0] == 'b') {
			e->major = maj;
			e->minor = min + i * inc;
		}
	}
	return 0;
}

static void append_data(struct ent *e, const char *text)
{
	size_t n = strlen(text);
	e->data = xrealloc(e->data, e->size + n + 1);
	memcpy(e->data + e->size, text, n + 1);
	e->size += n;
}

/* Load the tree's copy of /etc/<name> into memory so lines can be added:
 * its index in im->v, or -1 after printing why not. */
static long etc_file(struct image *im, const char *name)
{
	struct ent *e = find(im, name);
	if (!e) {
		add_parents(im, name);
		e = add(im, name);
		e->mode = S_IFREG | 0644;
	}
	if (!S_ISREG(e->mode)) {
		/* the accounts would be written into a link or a folder */
		fprintf(stderr, "pack: /%s in the tree is not a regular file\n", name);
		return -1;
	}
	if (e->src && !e->data) {
		FILE *f = fopen(e->src, "r");
		if (!f) {
			fprintf(stderr, "pack: %s: %s\n", e->src, strerror(errno));
			return -1;
		}
		e->size = 0;
		e->data = xstrdup("");
		char buf[1024];
		while (fgets(buf, sizeof(buf), f))
			append_data(e, buf);
		int bad = ferror(f);
		fclose(f);
		if (bad) {
			fprintf(stderr, "pack: %s: read error\n", e->src);
			return -1;
		}
		free(e->src);
		e->src = NULL;
	}
	if (!e->data)
		e->data = xstrdup("");
	return (long)(e - im->v);
}

/* The users tables' accounts into /etc/passwd, /etc/group and /etc/shadow
 * of the image (users.h), with their home folders. The etc entries are held
 * by index: adding an entry may move them all. */
static int apply_users(struct image *im, struct users *u, const char *salt_key)
{
	int new_shadow = !find(im, "etc/shadow");
	long idx[3] = { etc_file(im, "etc/passwd"), etc_file(im, "etc/group"),
			etc_file(im, "etc/shadow") };
	if (idx[0] < 0 || idx[1] < 0 || idx[2] < 0)
		return -1;
	if (new_shadow)
		im->v[idx[2]].mode = S_IFREG | 0600;
	struct users_etc in = { im->v[idx[0]].data, im->v[idx[1]].data, im->v[idx[2]].data }, out;
	if (users_apply(u, &in, salt_key, &out))
		return -1;
	char *text[3] = { out.passwd, out.group, out.shadow };
	for (int i = 0; i < 3; i++) {
		free(im->v[idx[i]].data);
		im->v[idx[i]].data = text[i];
		im->v[idx[i]].size = strlen(text[i]);
	}
	for (size_t i = 0; i < u->n; i++) {
		const struct user_entry *e = &u->v[i];
		const char *h = rel_path(e->home);
		if (!strcmp(e->home, "-") || !*h)
			continue;
		if (strlen(h) >= PATH_MAX) {
			fprintf(stderr, "%s: a home of %zu bytes is at or over PATH_MAX (%d)\n",
				e->where, strlen(h), PATH_MAX);
			return -1;
		}
		/* the home is given to the user: never a file of the tree (home
		 * /etc/shadow would hand over the passwords) nor, but to root, a
		 * top-level folder of the system (/etc, /bin, /usr: its owner may
		 * replace what root runs) */
		const struct ent *old = find(im, h);
		if (old && !S_ISDIR(old->mode)) {
			fprintf(stderr, "%s: user %s: home %s is not a folder in the tree\n", e->where,
				e->name, e->home);
			return -1;
		}
		if (old && e->uid != 0 && !strchr(h, '/')) {
			fprintf(stderr, "%s: user %s: home %s is a top-level folder of the system; "
				"give the user a folder of its own (such as /home/%s)\n", e->where,
				e->name, e->home, e->name);
			return -1;
		}
		add_parents(im, h);
		struct ent *d = add(im, h);
		if (!d->mode)
			d->mode = S_IFDIR | 0755;
		d->uid = (unsigned)e->uid;
		d->gid = (unsigned)e->gid;
	}
	return 0;
}

/* tar and dir: a regular file the tree holds under several names is
 * written once, at its first path in archive order; the others link to it.
 * (cpio keeps a copy per name: the kernel's initramfs reader wants a newc
 * link's data on its last entry, and the images it makes stay as before.)
 * A table may have replaced a linked name by something else, or given it
 * another owner or mode than its other names: only entries still read from
 * the tree with the same owner and mode are linked, the others stay copies. */
static void link_hardlinks(struct image *im)
{
	for (size_t i = 0; i < im->n; i++) {
		struct ent *x = &im->v[i];
		if (!x->ino || !x->src || x->data || !S_ISREG(x->mode))
			continue;
		for (size_t j = 0; j < i; j++) {
			struct ent *f = &im->v[j];
			if (f->ino == x->ino && f->dev == x->dev && f->src && !f->data &&
			    !f->hardlink && f->mode == x->mode && f->uid == x->uid &&
			    f->gid == x->gid) {
				x->hardlink = xstrdup(f->path);
				break;
			}
		}
	}
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->path, ((const struct ent *)b)->path);
}

/* The writer for `pack dir`: the entries as files under the folder OUT,
 * which must not exist yet (made here, then filled). Owners and device
 * nodes need root, or fakeroot(1), which then keeps them for the tool that
 * reads the folder next (mke2fs -d, mksquashfs, mkfs.erofs: fs/). */
static struct archive *open_dir_writer(const char *out, char *real)
{
	/* the folder is the image's "/": 0755 whatever the umask; its own path
	 * resolved, since the writer refuses any symbolic link on the way */
	if (mkdir(out, 0755) || chmod(out, 0755) || !realpath(out, real)) {
		fprintf(stderr, "pack: %s: %s\n", out, strerror(errno));
		return NULL;
	}
	struct archive *a = archive_write_disk_new();
	/* the paths are OUT/<entry>: absolute when OUT is; a table's "../"
	 * or a path through a symbolic link is refused */
	int flags = ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
		    ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS;
	if (archive_write_disk_set_options(a, flags) != ARCHIVE_OK) {
		fprintf(stderr, "pack: %s: %s\n", out, archive_error_string(a));
		archive_write_free(a);
		return NULL;
	}
	return a;
}

/* The format and compression of a cpio or tar writer; 1 when set. */
static int set_format(struct archive *a, const char *kind, const char *compress)
{
	int ok;
	if (!strcmp(kind, "cpio"))
		ok = archive_write_set_format_cpio_newc(a) == ARCHIVE_OK;
	else
		ok = archive_write_set_format_pax_restricted(a) == ARCHIVE_OK;
	if (!strcmp(compress, "none")) {
		;
	} else if (!strcmp(compress, "gzip")) {
		ok = ok && archive_write_add_filter_gzip(a) == ARCHIVE_OK;
		/* no time stamp in the gzip header, for identical bytes */
		ok = ok && archive_write_set_filter_option(a, "gzip", "timestamp", NULL) == ARCHIVE_OK;
	} else if (!strcmp(compress, "xz")) {
		ok = ok && archive_write_add_filter_xz(a) == ARCHIVE_OK;
	} else if (!strcmp(compress, "zstd")) {
		ok = ok && archive_write_add_filter_zstd(a) == ARCHIVE_OK;
	} else {
		fprintf(stderr, "pack: unknown compression '%s'\n", compress);
		return 0;
	}
	/* pad the last block as cpio(1) does not; the kernel does not mind */
	return ok && archive_write_set_bytes_in_last_block(a, 1) == ARCHIVE_OK;
}

static int write_image(struct image *im, const char *kind, const char *compress,
		       const char *out)
{
	char tmp[PATH_MAX], real[PATH_MAX];
	int fd = -1, ok = 1, to_dir = !strcmp(kind, "dir");
	struct archive *a;
	if (to_dir) {
		a = open_dir_writer(out, real);
		if (!a)
			return 1;
	} else {
		snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", out);
		fd = mkstemp(tmp);
		if (fd < 0) {
			fprintf(stderr, "pack: %s: %s\n", tmp, strerror(errno));
			return 1;
		}
		a = archive_write_new();
		ok = set_format(a, kind, compress) && archive_write_open_fd(a, fd) == ARCHIVE_OK;
	}
	if (!ok)
		fprintf(stderr, "pack: %s: %s\n", out, archive_error_string(a) ? archive_error_string(a) : "setup failed");
	qsort(im->v, im->n, sizeof(*im->v), by_path);
	if (strcmp(kind, "cpio"))
		link_hardlinks(im);
	struct archive_entry *e = archive_entry_new();
	for (size_t i = 0; ok && i < im->n; i++) {
		struct ent *x = &im->v[i];
		archive_entry_clear(e);
		if (to_dir) {
			char full[PATH_MAX];
			if ((size_t)snprintf(full, sizeof(full), "%s/%s", real, x->path) >= sizeof(full)) {
				fprintf(stderr, "pack: %s/%s: path at or over PATH_MAX\n", out, x->path);
				ok = 0;
				break;
			}
			archive_entry_set_pathname(e, full);
		} else {
			archive_entry_set_pathname(e, x->path);
		}
		archive_entry_set_mode(e, x->mode);
		archive_entry_set_uid(e, x->uid);
		archive_entry_set_gid(e, x->gid);
		archive_entry_set_mtime(e, x->mtime, 0);
		archive_entry_set_ino(e, (la_int64_t)(i + 1));
		archive_entry_set_dev(e, 0);
		archive_entry_set_nlink(e, S_ISDIR(x->mode) ? 2 : 1);
		if (S_ISCHR(x->mode) || S_ISBLK(x->mode))
			archive_entry_set_rdev(e, makedev(x->major, x->minor));
		if (S_ISLNK(x->mode))
			archive_entry_set_symlink(e, x->link);
		archive_entry_set_size(e, S_ISREG(x->mode) && !x->hardlink ? (la_int64_t)x->size : 0);
		if (x->hardlink) {
			char target[PATH_MAX];
			snprintf(target, sizeof(target), "%s%s%s", to_dir ? real : "", to_dir ? "/" : "",
				 x->hardlink);
			archive_entry_set_hardlink(e, target);
		}
		if (archive_write_header(a, e) != ARCHIVE_OK) {
			fprintf(stderr, "pack: %s: %s\n", x->path, archive_error_string(a));
			ok = 0;
			break;
		}
		if (!S_ISREG(x->mode) || x->hardlink)
			continue;
		if (x->data) {
			if (archive_write_data(a, x->data, x->size) != (la_ssize_t)x->size)
				ok = 0;
			continue;
		}
		FILE *f = fopen(x->src, "rb");
		if (!f) {
			fprintf(stderr, "pack: %s: %s\n", x->src, strerror(errno));
			ok = 0;
			break;
		}
		char buf[65536];
		size_t n, total = 0;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && total < x->size) {
			if (n > x->size - total)
				n = x->size - total;
			if (archive_write_data(a, buf, n) != (la_ssize_t)n) {
				ok = 0;
				break;
			}
			total += n;
		}
		fclose(f);
		if (total != x->size) {
			fprintf(stderr, "pack: %s changed while being packed\n", x->src);
			ok = 0;
		}
	}
	archive_entry_free(e);
	if (archive_write_close(a) != ARCHIVE_OK) {
		fprintf(stderr, "pack: %s: %s\n", out, archive_error_string(a));
		ok = 0;
	}
	archive_write_free(a);
	if (to_dir)
		return ok ? 0 : 1;
	if (close(fd))
		ok = 0;
	if (!ok || rename(tmp, out)) {
		if (ok)
			fprintf(stderr, "pack: %s: %s\n", out, strerror(errno));
		unlink(tmp);
		return 1;
	}
	chmod(out, 0644);
	return 0;
}

int cmd_pack(int argc, char **argv)
{
	if (argc < 2 || (strcmp(argv[1], "cpio") && strcmp(argv[1], "tar") && strcmp(argv[1], "dir"))) {
		fprintf(stderr, "usage: pack cpio|tar|dir --root DIR --out IMAGE [options]\n");
		return 2;
	}
	const char *kind = argv[1], *root = NULL, *out = NULL, *compress = "none";
	const char *dev_tables[16], *user_tables[16], *salt_key = NULL;
	int ndev = 0, nusers = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "pack: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (!strcmp(a, "--root"))
			root = v;
		else if (!strcmp(a, "--out"))
			out = v;
		else if (!strcmp(a, "--compress"))
			compress = v;
		else if (!strcmp(a, "--format")) {
			if (strcmp(v, "newc") && strcmp(v, "pax")) {
				fprintf(stderr, "pack: unknown format '%s'\n", v);
				return 2;
			}
		} else if (!strcmp(a, "--device-table") && ndev < 16)
			dev_tables[ndev++] = v;
		else if (!strcmp(a, "--users-table") && nusers < 16)
			user_tables[nusers++] = v;
		else if (!strcmp(a, "--salt-key"))
			salt_key = v;
		else {
			fprintf(stderr, "pack: unknown option %s\n", a);
			return 2;
		}
	}
	if (!root || !out) {
		fprintf(stderr, "pack: --root and --out are required\n");
		return 2;
	}
	struct image im = { 0 };
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		im.epoch = (time_t)strtoll(sde, NULL, 10);
		im.have_epoch = 1;
	}
	int rc = walk(&im, root, "") ? 2 : 0;
	for (int i = 0; !rc && i < ndev; i++)
		rc = for_each_table_line(dev_tables[i], device_line, &im) ? 2 : 0;
	struct users users = {0};
	for (int i = 0; !rc && i < nusers; i++)
		rc = for_each_table_line(user_tables[i], users_table_line, &users) ? 2 : 0;
	if (!rc && users.n)
		rc = apply_users(&im, &users, salt_key) ? 2 : 0;
	users_free(&users);
	/* the password hashes are root's to read, whatever a post-build script
	 * or a device table made of the files */
	const char *secret[] = { "etc/shadow", "etc/gshadow" };
	for (int i = 0; !rc && i < 2; i++) {
		struct ent *s = find(&im, secret[i]);
		if (s && S_ISREG(s->mode))
			s->mode = S_IFREG | 0600;
	}
	if (!rc)
		rc = write_image(&im, kind, compress, out);
	for (size_t i = 0; i < im.n; i++) {
		free(im.v[i].path);
		free(im.v[i].src);
		free(im.v[i].link);
		free(im.v[i].data);
		free(im.v[i].hardlink);
	}
	free(im.v);
	return rc;
}
