/* A board's disk layout, in genimage's configuration format (the syntax of
 * libconfuse: `name [title] { ... }` sections, `key = value` options,
 * strings in double quotes, `#`, `//` and C comments), the subset a disk
 * image needs:
 *
 *   image disk.img {
 *           hdimage { partition-table-type = "gpt"  disk-uuid = "..." }
 *           partition boot {
 *                   partition-type-uuid = "U"   # or L, F, S, H, or a GUID
 *                   partition-uuid = "..."      # fixed: the kernel's root=PARTUUID=
 *                   image = "boot.vfat"         # a file of the images folder
 *                   size = 32M                  # K, M, G: powers of 1024
 *                   offset = 1M
 *                   bootable = true
 *           }
 *           ...
 *   }
 *
 * Option names and the type shortcuts are genimage's (genimage's README,
 * "The hdimage section" and "Partition options"); other image types
 * (genimage's vfat, ext4, ...) are not read: tinyroot makes those files
 * itself (fs/, the boot partition's rule). Anything else is an error naming
 * the file and line. */
#ifndef TR_LAYOUT_H
#define TR_LAYOUT_H

#include <stdint.h>
#include <stddef.h>

#define LAYOUT_PARTS_MAX 128   /* a GPT's entries */

struct layout_part {
	char name[37];          /* the GPT entry's name (36 UTF-16 units, ASCII here) */
	char image[256];        /* file name, relative to the input folder; "" for none */
	uint64_t size;          /* bytes; 0: the image's size */
	uint64_t offset;        /* bytes; 0: after the previous partition */
	char type[37];          /* GUID text, shortcuts resolved */
	char uuid[37];          /* GUID text; "" to derive one */
	int bootable;           /* the legacy BIOS bootable attribute */
	int line;               /* where it was defined, for errors */
};

struct layout {
	char image[256];        /* the disk image's file name */
	char disk_uuid[37];     /* "" to derive one */
	uint64_t size;          /* bytes; 0: just what the partitions need */
	size_t nparts;
	struct layout_part parts[LAYOUT_PARTS_MAX];
};

/*
 * Read the layout file `path` into *out (zeroed first). Returns 0, or -1
 * after printing "path:line: reason" (a syntax error, an unknown section or
 * option, a value out of range, a table type other than gpt, a bad GUID, an
 * image name with a "/" or "..", more than one image). No allocation
 * survives the call.
 */
int layout_read(const char *path, struct layout *out);

/*
 * Parse a size such as "512", "32K", "16M" or "1G" (powers of 1024, as
 * genimage) into *bytes. Returns 0, or -1 when the text is not a size or
 * overflows 64 bits.
 */
int layout_parse_size(const char *text, uint64_t *bytes);

/*
 * Whether text is a GUID in its 8-4-4-4-12 hexadecimal form. Returns 1 or 0.
 */
int layout_is_guid(const char *text);

#endif
