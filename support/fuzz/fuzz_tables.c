/* A table in: used as a device table and as a users table (with a salt
 * key) while an image of a small tree is packed, as `make` packs
 * rootfs.cpio. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "../helper/helper.h"
#include "common.h"

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
		cmd_pack(10, argv);
		remove(out);
	}
	return 0;
}
