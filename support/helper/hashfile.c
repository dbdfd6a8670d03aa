/* .hash file parsing and verification; see hashfile.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "hashfile.h"
#include "helper.h"

static const char *const algos[] = { "md5", "sha1", "sha224", "sha256", "sha384", "sha512" };
static const size_t hexlen[] = { 32, 40, 56, 64, 96, 128 };

static int algo_index(const char *a)
{
	for (size_t i = 0; i < sizeof(algos) / sizeof(*algos); i++)
		if (!strcmp(a, algos[i]))
			return (int)i;
	return -1;
}

static int hash_line(void *ctx, char *p, const char *path, int lineno)
{
	struct hash_list *list = ctx;
	char a[32], h[256], name[512], extra[8];
	int n = sscanf(p, "%31s %255s %511s %7s", a, h, name, extra);
	if (n != 3) {
		fprintf(stderr, "%s:%d: expected '<algo>  <hex digest>  <file>'\n", path, lineno);
		return -1;
	}
	int ai = algo_index(a);
	if (ai < 0) {
		fprintf(stderr, "%s:%d: unknown hash algorithm '%s'\n", path, lineno, a);
		return -1;
	}
	size_t hl = strlen(h);
	int ok = hl == hexlen[ai];
	for (size_t i = 0; ok && i < hl; i++)
		ok = isxdigit((unsigned char)h[i]) && !isupper((unsigned char)h[i]);
	if (!ok) {
		fprintf(stderr, "%s:%d: '%s' is not a %zu-digit lower-case hex %s digest\n",
			path, lineno, h, hexlen[ai], a);
		return -1;
	}
	if (list->n == list->cap) {
		size_t c = list->cap ? list->cap * 2 : 16;
		struct hash_entry *v = realloc(list->v, c * sizeof(*v));
		if (!v) {
			fprintf(stderr, "out of memory\n");
			return -1;
		}
		list->v = v;
		list->cap = c;
	}
	struct hash_entry *e = &list->v[list->n++];
	snprintf(e->algo, sizeof(e->algo), "%s", a);
	snprintf(e->hex, sizeof(e->hex), "%s", h);
	snprintf(e->file, sizeof(e->file), "%s", name);
	snprintf(e->where, sizeof(e->where), "%s:%d", path, lineno);
	return 0;
}

int hash_list_load(struct hash_list *list, const char *path)
{
	return for_each_table_line(path, hash_line, list) ? -1 : 0;
}

void hash_list_free(struct hash_list *list)
{
	free(list->v);
	list->v = NULL;
	list->n = list->cap = 0;
}

/* Digest `path` with `algo` into lower-case hex. Returns 0 or -1. */
static int digest_file(const char *path, const char *algo, char *hex)
{
	const EVP_MD *md = EVP_get_digestbyname(algo);
	FILE *f = fopen(path, "rb");
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = -1;
	if (!md || !f || !ctx || !EVP_DigestInit_ex(ctx, md, NULL))
		goto out;
	unsigned char buf[65536], out[EVP_MAX_MD_SIZE];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (!EVP_DigestUpdate(ctx, buf, n))
			goto out;
	if (ferror(f))
		goto out;
	unsigned len = 0;
	if (!EVP_DigestFinal_ex(ctx, out, &len))
		goto out;
	for (unsigned i = 0; i < len; i++)
		sprintf(hex + 2 * i, "%02x", out[i]);
	rc = 0;
out:
	if (f)
		fclose(f);
	EVP_MD_CTX_free(ctx);
	return rc;
}

int hash_verify(const struct hash_list *list, const char *path, const char *name)
{
	int found = 0, strong = 0;
	for (size_t i = 0; i < list->n; i++) {
		const struct hash_entry *e = &list->v[i];
		if (strcmp(e->file, name))
			continue;
		found = 1;
		char hex[EVP_MAX_MD_SIZE * 2 + 1];
		if (digest_file(path, e->algo, hex)) {
			fprintf(stderr, "%s: cannot read to hash it: %s\n", path, strerror(errno));
			return -1;
		}
		if (strcmp(hex, e->hex)) {
			fprintf(stderr, "ERROR: %s has wrong %s hash:\n"
				"ERROR: expected: %s (%s)\nERROR: got     : %s\n",
				name, e->algo, e->hex, e->where, hex);
			return 1;
		}
		if (!strcmp(e->algo, "sha256") || !strcmp(e->algo, "sha384") ||
		    !strcmp(e->algo, "sha512"))
			strong = 1;
	}
	if (!found) {
		fprintf(stderr, "ERROR: no hash found for %s\n", name);
		return 2;
	}
	if (!strong) {
		fprintf(stderr, "ERROR: %s has only weak hashes; add sha256, sha384 or sha512\n", name);
		return 2;
	}
	return 0;
}
