/* A .hash file in: load it, and verify a small file against it. */
#include <stdio.h>
#include "../helper/hashfile.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hash_list list = { 0 };
	const char *hpath = fuzz_file("pkg.hash", data, size);
	int rc = hash_list_load(&list, hpath);
	if (rc == 0) {
		const char *f = fuzz_file("pkg-1.0.tar.gz", (const uint8_t *)"payload", 7);
		hash_verify(&list, f, "pkg-1.0.tar.gz");
	}
	hash_list_free(&list);
	return 0;
}
