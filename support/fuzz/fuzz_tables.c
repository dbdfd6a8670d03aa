/* A table in: used as a device table and as a users table (with a salt
 * key) while an image of a small tree is packed, as `make` packs
 * rootfs.cpio. The oracle, on an image pack accepted from a users table,
 * read back with libarchive: every line of /etc/passwd has 7 fields, of
 * /etc/group 4, of /etc/shadow 9 (no table field forged a line or a field),
 * only root has uid 0, and /etc/shadow is 0600. */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../helper/helper.h"
#include "common.h"

/* abort() unless every line of `text` (size n) has `fields` fields, and
 * for /etc/passwd, a uid 0 is root's. */
static void check_lines(const char *name, const char *text, size_t n, int fields)
{
	for (size_t i = 0; i < n;) {
		const char *l = text + i, *eol = memchr(l, '\n', n - i);
		size_t len = eol ? (size_t)(eol - l) : n - i;
		int colons = 0;
		for (size_t k = 0; k < len; k++)
			colons += l[k] == ':';
		if (colons != fields - 1 || memchr(l, 0, len)) {
			fprintf(stderr, "pack wrote a bad line in %s: %.*s\n", name, (int)len, l);
			abort();
		}
		if (!strcmp(name, "etc/passwd") && strncmp(l, "root:", 5)) {
			const char *uid = memchr(memchr(l, ':', len) + 1, ':', len) + 1;
			if (uid[0] == '0' && uid[1] == ':') {
				fprintf(stderr, "pack gave uid 0 to %.*s\n", (int)len, l);
				abort();
			}
		}
		i += len + 1;
	}
}

static void check_image(const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	archive_read_support_format_cpio(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		fprintf(stderr, "oracle: %s: %s\n", path, archive_error_string(a));
		abort();
	}
	int r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		int fields = !strcmp(name, "etc/passwd") ? 7 : !strcmp(name, "etc/group") ? 4 :
			     !strcmp(name, "etc/shadow") ? 9 : 0;
		if (!fields)
			continue;
		if (fields == 9 && (archive_entry_perm(e) & 07777) != 0600) {
			fprintf(stderr, "pack wrote etc/shadow with mode %o\n", archive_entry_perm(e));
			abort();
		}
		size_t n = (size_t)archive_entry_size(e);
		char *text = malloc(n + 1);
		if (!text || archive_read_data(a, text, n) != (la_ssize_t)n) {
			fprintf(stderr, "oracle: %s: cannot read %s\n", path, name);
			abort();
		}
		check_lines(name, text, n, fields);
		free(text);
	}
	if (r != ARCHIVE_EOF) {
		fprintf(stderr, "oracle: %s: %s\n", path, archive_error_string(a));
		abort();
	}
	archive_read_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[4200], etc[4300], out[4200], key[4200], table[4200];
	snprintf(root, sizeof(root), "%s/root", fuzz_dir());
	snprintf(etc, sizeof(etc), "%s/etc", root);
	mkdir(root, 0755);
	mkdir(etc, 0755);
	snprintf(key, sizeof(key), "%s", fuzz_file("identity", (const uint8_t *)"TR_X=y\n", 7));
	snprintf(etc, sizeof(etc), "%s/etc/passwd", root);
	FILE *f = fopen(etc, "w");
	if (f) {
		fputs("root:x:0:0:root:/root:/bin/sh\n", f);
		fclose(f);
	}
	snprintf(table, sizeof(table), "%s", fuzz_file("table", data, size));
	snprintf(out, sizeof(out), "%s/image.cpio", fuzz_dir());
	for (int users = 0; users < 2; users++) {
		char *argv[] = { "pack", "cpio", "--root", root, users ? "--users-table" : "--device-table",
				 table, "--salt-key", key, "--out", out, NULL };
		if (cmd_pack(10, argv) == 0 && users)
			check_image(out);
		remove(out);
	}
	return 0;
}
