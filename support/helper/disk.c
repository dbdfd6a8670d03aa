/* `disk`: write a board's whole medium, a GPT disk image, from its layout
 * (genimage's format, layout.h) and the partition images tinyroot made.
 *
 *   disk --layout FILE --inputpath DIR --outputpath DIR --seed TEXT
 *
 * The image is DIR/<the layout's image name>, written to a temporary file
 * and renamed whole. Partitions start where the layout says, else at the
 * next MiB; a partition's size is the layout's, else its image's rounded
 * up to a sector; an image larger than its partition is an error naming
 * both sizes. GUIDs the layout does not fix are derived from TEXT (a
 * configuration's identity, holding no secret) and the partition's name
 * with SHA-256, so the same configuration gives the same bytes. Zero
 * blocks of the images are left as holes (a sparse file).
 *
 * Format: UEFI 2.10, section 5.3 (GPT header and entries: little-endian,
 * CRC32 of zlib) and 5.2.3 (the protective MBR). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "helper.h"
#include "layout.h"

#define SECTOR 512u
#define ALIGN (1024u * 1024u)
#define ENTRIES 128u
#define ENTRY_SIZE 128u
#define ENTRY_SECTORS (ENTRIES * ENTRY_SIZE / SECTOR)   /* 32 */

static void put16(unsigned char *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(unsigned char *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static void put64(unsigned char *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, v >> 32); }

/* GUID text to its on-disk bytes: the first three fields little-endian */
static void guid_bytes(const char *text, unsigned char out[16])
{
	unsigned char b[16];
	for (int i = 0, j = 0; i < 16; j++) {
		if (text[j] == '-')
			continue;
		unsigned v;
		sscanf(text + j, "%2x", &v);
		b[i++] = (unsigned char)v;
		j++;
	}
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	for (int i = 0; i < 16; i++)
		out[i] = b[order[i]];
}

/* a version 4 style GUID from SHA-256(seed "\n" label) */
static int derive_guid(const char *seed, const char *label, char out[37])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
		 EVP_DigestUpdate(ctx, seed, strlen(seed)) && EVP_DigestUpdate(ctx, "\n", 1) &&
		 EVP_DigestUpdate(ctx, label, strlen(label)) && EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		fprintf(stderr, "disk: SHA-256 failed\n");
		return -1;
	}
	md[6] = (md[6] & 0x0f) | 0x40;
	md[8] = (md[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10],
		 md[11], md[12], md[13], md[14], md[15]);
	return 0;
}

/* Copy the image at path to offset of fd, leaving zero blocks as holes. */
static int copy_image(int fd, const char *path, uint64_t offset, uint64_t size)
{
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		fprintf(stderr, "disk: %s: %s\n", path, strerror(errno));
		return -1;
	}
	static const unsigned char zero[65536];
	unsigned char buf[65536];
	uint64_t done = 0;
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (done + (uint64_t)n > size) {
			fprintf(stderr, "disk: %s grew while being copied\n", path);
			close(in);
			return -1;
		}
		if (memcmp(buf, zero, (size_t)n) &&
		    pwrite(fd, buf, (size_t)n, (off_t)(offset + done)) != n) {
			fprintf(stderr, "disk: writing %s: %s\n", path, strerror(errno));
			close(in);
			return -1;
		}
		done += (uint64_t)n;
	}
	if (n < 0)
		fprintf(stderr, "disk: %s: %s\n", path, strerror(errno));
	close(in);
	return n < 0 ? -1 : 0;
}

/* The partitions' places: offsets and sizes filled in and checked. */
static int place(struct layout *l, const char *layout_path, const char *inputpath,
		 uint64_t image_sizes[])
{
	uint64_t next = ALIGN;
	for (size_t i = 0; i < l->nparts; i++) {
		struct layout_part *p = &l->parts[i];
		image_sizes[i] = 0;
		if (p->image[0]) {
			char path[PATH_MAX];
			struct stat st;
			snprintf(path, sizeof(path), "%s/%s", inputpath, p->image);
			int missing = stat(path, &st);
			if (missing || !S_ISREG(st.st_mode)) {
				fprintf(stderr, "%s:%d: partition %s: image %s: %s\n", layout_path, p->line,
					p->name, path, missing ? strerror(errno) : "not a file");
				return -1;
			}
			image_sizes[i] = (uint64_t)st.st_size;
		}
		if (!p->size)
			p->size = (image_sizes[i] + SECTOR - 1) / SECTOR * SECTOR;
		if (image_sizes[i] > p->size) {
			fprintf(stderr, "%s:%d: partition %s: image %s (%llu bytes) does not fit its size "
				"(%llu bytes)\n", layout_path, p->line, p->name, p->image,
				(unsigned long long)image_sizes[i], (unsigned long long)p->size);
			return -1;
		}
		if (!p->offset)
			p->offset = (next + ALIGN - 1) / ALIGN * ALIGN;
		if (p->offset % SECTOR || p->size % SECTOR || p->offset < (2 + ENTRY_SECTORS) * SECTOR ||
		    p->offset < next) {
			fprintf(stderr, "%s:%d: partition %s: offset %llu and size %llu must be whole sectors, "
				"after the partition table and the partition before\n", layout_path, p->line,
				p->name, (unsigned long long)p->offset, (unsigned long long)p->size);
			return -1;
		}
		next = p->offset + p->size;
	}
	uint64_t need = next + (ENTRY_SECTORS + 1) * SECTOR;
	if (l->size && l->size < need) {
		fprintf(stderr, "%s: image %s: the partitions and the backup table need %llu bytes, "
			"over its size (%llu bytes)\n", layout_path, l->image,
			(unsigned long long)need, (unsigned long long)l->size);
		return -1;
	}
	if (!l->size)
		l->size = need;
	if (l->size % SECTOR) {
		fprintf(stderr, "%s: image %s: size %llu is not whole sectors\n", layout_path, l->image,
			(unsigned long long)l->size);
		return -1;
	}
	return 0;
}

static void header(unsigned char *h, uint64_t self, uint64_t other, uint64_t entries_lba,
		   uint64_t last_usable, const unsigned char disk_guid[16], uint32_t entries_crc)
{
	memset(h, 0, SECTOR);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, self);
	put64(h + 32, other);
	put64(h + 40, 2 + ENTRY_SECTORS);
	put64(h + 48, last_usable);
	memcpy(h + 56, disk_guid, 16);
	put64(h + 72, entries_lba);
	put32(h + 80, ENTRIES);
	put32(h + 84, ENTRY_SIZE);
	put32(h + 88, entries_crc);
	put32(h + 16, (uint32_t)crc32(0, h, 92));
}

static int write_tables(int fd, struct layout *l, const char *seed)
{
	unsigned char entries[ENTRIES * ENTRY_SIZE] = { 0 };   /* 16 KiB */
	for (size_t i = 0; i < l->nparts; i++) {
		struct layout_part *p = &l->parts[i];
		unsigned char *e = entries + i * ENTRY_SIZE;
		if (!p->uuid[0] && derive_guid(seed, p->name, p->uuid))
			return -1;
		guid_bytes(p->type, e);
		guid_bytes(p->uuid, e + 16);
		put64(e + 32, p->offset / SECTOR);
		put64(e + 40, (p->offset + p->size) / SECTOR - 1);
		put64(e + 48, p->bootable ? 1u << 2 : 0);
		for (size_t c = 0; p->name[c] && c < 36; c++)
			put16(e + 56 + 2 * c, (unsigned char)p->name[c]);
	}
	if (!l->disk_uuid[0] && derive_guid(seed, "disk", l->disk_uuid))
		return -1;
	unsigned char disk_guid[16];
	guid_bytes(l->disk_uuid, disk_guid);
	uint64_t last = l->size / SECTOR - 1;
	uint32_t crc = (uint32_t)crc32(0, entries, sizeof(entries));
	unsigned char mbr[SECTOR] = { 0 }, primary[SECTOR], backup[SECTOR];
	/* the protective MBR: one partition of type 0xEE over the whole disk */
	unsigned char *m = mbr + 446;
	m[1] = 0x00; m[2] = 0x02; m[3] = 0x00;
	m[4] = 0xee;
	m[5] = m[6] = m[7] = 0xff;
	put32(m + 8, 1);
	put32(m + 12, last > 0xffffffffu ? 0xffffffffu : (uint32_t)last);
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	header(primary, 1, last, 2, last - 1 - ENTRY_SECTORS, disk_guid, crc);
	header(backup, last, 1, last - ENTRY_SECTORS, last - 1 - ENTRY_SECTORS, disk_guid, crc);
	struct { const void *b; size_t n; uint64_t at; } w[] = {
		{ mbr, SECTOR, 0 }, { primary, SECTOR, SECTOR }, { entries, sizeof(entries), 2 * SECTOR },
		{ entries, sizeof(entries), (last - ENTRY_SECTORS) * SECTOR }, { backup, SECTOR, last * SECTOR },
	};
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (pwrite(fd, w[i].b, w[i].n, (off_t)w[i].at) != (ssize_t)w[i].n) {
			fprintf(stderr, "disk: writing the partition table: %s\n", strerror(errno));
			return -1;
		}
	return 0;
}

int cmd_disk(int argc, char **argv)
{
	const char *layout_path = NULL, *inputpath = NULL, *outputpath = NULL, *seed = NULL;
	for (int i = 1; i < argc; i += 2) {
		if (i + 1 >= argc) {
			fprintf(stderr, "disk: %s needs a value\n", argv[i]);
			return 2;
		}
		if (!strcmp(argv[i], "--layout"))
			layout_path = argv[i + 1];
		else if (!strcmp(argv[i], "--inputpath"))
			inputpath = argv[i + 1];
		else if (!strcmp(argv[i], "--outputpath"))
			outputpath = argv[i + 1];
		else if (!strcmp(argv[i], "--seed"))
			seed = argv[i + 1];
		else {
			fprintf(stderr, "disk: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (!layout_path || !inputpath || !outputpath || !seed) {
		fprintf(stderr, "usage: disk --layout FILE --inputpath DIR --outputpath DIR --seed TEXT\n");
		return 2;
	}
	struct layout *l = malloc(sizeof(*l));
	uint64_t *sizes = malloc(LAYOUT_PARTS_MAX * sizeof(*sizes));
	if (!l || !sizes) {
		fprintf(stderr, "disk: out of memory\n");
		free(l);
		free(sizes);
		return 1;
	}
	int rc = layout_read(layout_path, l) || place(l, layout_path, inputpath, sizes) ? 2 : 0;
	char out[PATH_MAX], tmp[PATH_MAX];
	int fd = -1;
	if (!rc) {
		snprintf(out, sizeof(out), "%s/%s", outputpath, l->image);
		snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", out);
		fd = mkstemp(tmp);
		if (fd < 0) {
			fprintf(stderr, "disk: %s: %s\n", tmp, strerror(errno));
			rc = 1;
		}
	}
	if (!rc && ftruncate(fd, (off_t)l->size)) {
		fprintf(stderr, "disk: %s: %s\n", tmp, strerror(errno));
		rc = 1;
	}
	for (size_t i = 0; !rc && i < l->nparts; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", inputpath, l->parts[i].image);
		if (l->parts[i].image[0] && copy_image(fd, path, l->parts[i].offset, sizes[i]))
			rc = 1;
	}
	if (!rc && write_tables(fd, l, seed))
		rc = 1;
	if (fd >= 0) {
		if (!rc && (fchmod(fd, 0644) || fsync(fd)))
			rc = 1;
		if (close(fd))
			rc = 1;
		if (!rc && rename(tmp, out)) {
			fprintf(stderr, "disk: %s: %s\n", out, strerror(errno));
			rc = 1;
		}
		if (rc)
			unlink(tmp);
	}
	free(l);
	free(sizes);
	return rc;
}
