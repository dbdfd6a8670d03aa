/* Buildroot-style .hash files and file verification through OpenSSL EVP.
 *
 * Format (as Buildroot package hash files): one `<algo>  <hex digest>  <file name>`
 * per line, fields separated by white space, `#` starts a comment line.
 * Algorithms: md5 sha1 sha224 sha256 sha384 sha512. */
#ifndef TR_HASHFILE_H
#define TR_HASHFILE_H

#include <stddef.h>

struct hash_entry {
	char algo[32];
	char hex[256];
	char file[512];
	char where[300];     /* "path:line" of the entry, for messages */
};

struct hash_list {
	struct hash_entry *v;
	size_t n, cap;
};

/*
 * Append the entries of hash file `path` to `list`. Returns 0; on a
 * malformed line or an unreadable file returns -1 after printing
 * "path:line: message" to stderr. An unknown algorithm is an error.
 */
int hash_list_load(struct hash_list *list, const char *path);

/* Free the entries (not the struct). */
void hash_list_free(struct hash_list *list);

/*
 * Check `path` (whose name in the hash files is `name`) against every entry
 * for `name`. Returns 0 when all match and at least one is sha256, sha384
 * or sha512; 1 on a mismatch (file, algorithm, expected and actual digest
 * printed); 2 when there is no entry for `name` or only weak ones; -1 when
 * the file cannot be read. Messages go to stderr.
 */
int hash_verify(const struct hash_list *list, const char *path, const char *name);

#endif
