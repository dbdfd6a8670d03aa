/* tr-helper: tinyroot's host helper for sources and images.
 *   tr-helper download ...   fetch + verify into DL_DIR (libcurl, OpenSSL)
 *   tr-helper verify ...     check a file against .hash files
 *   tr-helper extract ...    safe unpacking (libarchive)
 *   tr-helper pack ...       cpio/tar images without root (libarchive)
 *   tr-helper pkgcache ...   the package cache: artifacts, keys, signatures
 *   tr-helper disk ...       a GPT disk image from a board's layout */
#include <stdio.h>
#include <string.h>
#include "helper.h"

int main(int argc, char **argv)
{
	static const struct { const char *name; int (*fn)(int, char **); } cmds[] = {
		{ "download", cmd_download }, { "verify", cmd_verify },
		{ "extract", cmd_extract }, { "pack", cmd_pack },
		{ "pkgcache", cmd_pkgcache }, { "disk", cmd_disk },
	};
	if (argc >= 2)
		for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
			if (!strcmp(argv[1], cmds[i].name))
				return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "usage: tr-helper download|verify|extract|pack|pkgcache|disk ...\n");
	return 2;
}
