/* `pkgcache`: the package cache (shared state). A package's output, its
 * installed trees packed by artifact.c, is stored under a key: the SHA-256
 * of its key-inputs file, which package/pkg-generic.mk writes (the recipe,
 * patches, source hash, configuration slice, toolchain identity and the
 * dependencies' output hashes). The key is this file's to compute, so that
 * what the build asks for and what it stores cannot disagree.
 *
 *   pkgcache keygen --key K            an Ed25519 signing key (PEM, 0600),
 *                                      unless K exists
 *   pkgcache pubkey --key K --out P    its public key (PEM), for readers
 *   pkgcache key --key-inputs F        print the key
 *   pkgcache pack --pkg-dir D --parts "staging target ..." --o-dir O
 *                 --out A --output-hash H
 *   pkgcache store --package N --key-inputs F --archive A --signing-key K
 *                  [--dir C] [--url-env V | --url-config CONFIG]
 *   pkgcache fetch --package N --key-inputs F [--dir C]
 *                  [--url-env V | --url-config CONFIG]
 *                  [--signing-key K] [--trusted-key P]... [--max-size BYTES]
 *                  --pkg-dir D --parts "..." --o-dir O --output-hash H
 *
 * An artifact file (C/<key 2 hex>/<key>.trpkg, and the same path under the
 * URL) is a text manifest, then the tar:
 *
 *   tinyroot-package-artifact 1
 *   package <name>
 *   key <sha256 hex>
 *   archive-sha256 <hex>
 *   archive-size <bytes>
 *   inputs <number of lines>
 *   <the key-inputs file, line by line>
 *   signature ed25519 <public key, 64 hex> <signature, 128 hex>
 *   <archive-size bytes of tar>
 *
 * The Ed25519 signature (RFC 8032, through OpenSSL's EVP) covers every byte
 * before the signature line. A reader accepts an artifact only when the
 * signing key is trusted, the signature verifies, the manifest names the
 * package and the key asked for, and the tar's SHA-256 and size match;
 * anything else is refused, said on stderr, and the package is built.
 * The remote store is plain HTTP(S): GET to read, PUT (WebDAV) to write. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "artifact.h"
#include "helper.h"

#define MAGIC "tinyroot-package-artifact 1\n"
#define MAX_TRUSTED 16
#define MAX_PARTS 8
#define HEADER_MAX (1 << 20)

struct opts {
	const char *package, *key_inputs, *dir, *url_env, *signing_key, *pkg_dir, *o_dir;
	const char *out, *output_hash, *archive, *key, *url_config;
	const char *trusted[MAX_TRUSTED];
	int ntrusted;
	char *parts[MAX_PARTS + 1];
	char *parts_buf; /* what parts point into */
	long long max_size;
};

struct buf {
	char *p;
	size_t len, cap, max;
	int too_big;
};

static int buf_add(struct buf *b, const void *d, size_t n)
{
	if (b->max && b->len + n > b->max) {
		b->too_big = 1;
		return -1;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *q = realloc(b->p, cap);
		if (!q)
			return -1;
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

static void hex(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
	out[2 * n] = 0;
}

static int sha256_hex(const void *d, size_t n, char out[65])
{
	unsigned char md[32];
	unsigned len = 0;
	if (!EVP_Digest(d, n, md, &len, EVP_sha256(), NULL) || len != 32)
		return -1;
	hex(md, 32, out);
	return 0;
}

/* A whole file into b (at most max bytes when max is not 0). Returns 0, 1
 * when it does not exist, -1 after printing why. */
static int read_file(const char *path, struct buf *b, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	b->max = max;
	char chunk[65536];
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || (r > 0 && buf_add(b, chunk, (size_t)r) < 0)) {
			fprintf(stderr, "%s: %s\n", path, r < 0 ? strerror(errno) :
				b->too_big ? "larger than the maximum size" : "out of memory");
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
	}
	close(fd);
	return 0;
}

/* Write n bytes to path atomically (path.<pid>.tmp, then rename). */
static int write_atomic(const char *path, const void *d, size_t n, mode_t mode)
{
	char tmp[PATH_MAX];
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= sizeof(tmp)) {
		fprintf(stderr, "%s: path too long\n", path);
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", tmp, strerror(errno));
		return -1;
	}
	const char *p = d;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "%s: %s\n", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int key_of(const char *key_inputs, char out[65])
{
	struct buf b = { 0 };
	int r = read_file(key_inputs, &b, HEADER_MAX);
	if (r == 1)
		fprintf(stderr, "%s: %s\n", key_inputs, strerror(ENOENT));
	if (r || sha256_hex(b.p ? b.p : "", b.len, out) < 0) {
		free(b.p);
		return -1;
	}
	free(b.p);
	return 0;
}

/* An Ed25519 key from a PEM file: its private key when `private`, else a
 * public key. NULL after printing why. */
static EVP_PKEY *read_key(const char *path, int private)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	EVP_PKEY *k = private ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!k || EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		fprintf(stderr, "%s: not an Ed25519 %s key in PEM\n", path, private ? "private" : "public");
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

static int raw_public_hex(EVP_PKEY *k, char out[65])
{
	unsigned char raw[32];
	size_t len = sizeof(raw);
	if (EVP_PKEY_get_raw_public_key(k, raw, &len) != 1 || len != 32)
		return -1;
	hex(raw, 32, out);
	return 0;
}

static int pc_keygen(struct opts *o)
{
	if (!access(o->key, F_OK))
		return 0;
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!k) {
		fputs("pkgcache: cannot make an Ed25519 key\n", stderr);
		return 1;
	}
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", o->key, (long)getpid());
	char *slash = strrchr(o->key, '/');
	if (slash) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - o->key), o->key);
		if (mkdir_p(dir) < 0) {
			EVP_PKEY_free(k);
			return 1;
		}
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	int ok = f && PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	if (f && fclose(f) != 0)
		ok = 0;
	else if (!f && fd >= 0)
		close(fd);
	EVP_PKEY_free(k);
	/* link, not rename: two builds making the key at once keep the first */
	if (!ok || (link(tmp, o->key) < 0 && errno != EEXIST)) {
		fprintf(stderr, "%s: cannot write the signing key: %s\n", o->key, strerror(errno));
		unlink(tmp);
		return 1;
	}
	unlink(tmp);
	return 0;
}

static int pc_pubkey(struct opts *o)
{
	EVP_PKEY *k = read_key(o->key, 1);
	if (!k)
		return 1;
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", o->out, (long)getpid());
	FILE *f = fopen(tmp, "w");
	int ok = f && PEM_write_PUBKEY(f, k);
	if (f && fclose(f) != 0)
		ok = 0;
	EVP_PKEY_free(k);
	if (!ok || rename(tmp, o->out) < 0) {
		fprintf(stderr, "%s: cannot write the public key\n", o->out);
		unlink(tmp);
		return 1;
	}
	return 0;
}

static int pc_pack(struct opts *o)
{
	const char *epoch_s = getenv("SOURCE_DATE_EPOCH");
	long long epoch = epoch_s && *epoch_s ? atoll(epoch_s) : 0;
	char *not_reloc = NULL;
	if (artifact_write(o->pkg_dir, (const char *const *)o->parts, o->o_dir, epoch, o->out,
			   &not_reloc) < 0)
		return 1;
	char marker[PATH_MAX];
	snprintf(marker, sizeof(marker), "%s.not-relocatable", o->out);
	unlink(marker);
	if (not_reloc) {
		fprintf(stderr, "%s: %s holds the output folder's path (%s) and is not text: "
			"not relocatable, so not cached\n", o->package ? o->package : o->pkg_dir,
			not_reloc, o->o_dir);
		int r = write_atomic(marker, not_reloc, strlen(not_reloc), 0644);
		free(not_reloc);
		if (r < 0)
			return 1;
	}
	struct buf b = { 0 };
	char h[66];
	if (read_file(o->out, &b, 0) || sha256_hex(b.p ? b.p : "", b.len, h) < 0) {
		free(b.p);
		return 1;
	}
	free(b.p);
	h[64] = '\n';
	h[65] = 0;
	return write_atomic(o->output_hash, h, 65, 0644) < 0;
}

/* The manifest for archive bytes `ab` (n), signed with k. */
static int make_header(struct opts *o, const char *key, const struct buf *inputs,
		       const char *ab, size_t n, EVP_PKEY *k, struct buf *out)
{
	char h[65], line[256];
	if (sha256_hex(ab, n, h) < 0)
		return -1;
	size_t lines = 0;
	for (size_t i = 0; i < inputs->len; i++)
		lines += inputs->p[i] == '\n';
	if (inputs->len && inputs->p[inputs->len - 1] != '\n') {
		fprintf(stderr, "%s: the last line has no newline\n", o->key_inputs);
		return -1;
	}
	snprintf(line, sizeof(line), "package %s\nkey %s\narchive-sha256 %s\narchive-size %zu\ninputs %zu\n",
		 o->package, key, h, n, lines);
	if (buf_add(out, MAGIC, strlen(MAGIC)) < 0 || buf_add(out, line, strlen(line)) < 0 ||
	    buf_add(out, inputs->p ? inputs->p : "", inputs->len) < 0)
		return -1;
	unsigned char sig[64];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) == 1 &&
		 EVP_DigestSign(ctx, sig, &siglen, (unsigned char *)out->p, out->len) == 1 && siglen == 64;
	EVP_MD_CTX_free(ctx);
	char pub[65], sighex[129];
	if (!ok || raw_public_hex(k, pub) < 0) {
		fputs("pkgcache: signing failed\n", stderr);
		return -1;
	}
	hex(sig, 64, sighex);
	snprintf(line, sizeof(line), "signature ed25519 %s %s\n", pub, sighex);
	return buf_add(out, line, strlen(line));
}

/* The value of `TR_PKG_CACHE_URL="..."` in a configuration file (Kconfig's
 * string quoting: \" and \\), malloc'd; NULL when it is not set or empty.
 * Read here rather than passed on: a URL may carry a token, and neither a
 * command line nor the environment of the packages' builds should. */
static char *config_url(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	static const char key[] = "TR_PKG_CACHE_URL=\"";
	char *line = NULL, *url = NULL;
	size_t cap = 0;
	while (!url && getline(&line, &cap, f) > 0) {
		if (strncmp(line, key, sizeof(key) - 1))
			continue;
		const char *r = line + sizeof(key) - 1;
		char *w = url = malloc(strlen(r) + 1);
		if (!url)
			break;
		for (; *r && *r != '"'; r++)
			*w++ = (*r == '\\' && r[1]) ? *++r : *r;
		*w = 0;
	}
	free(line);
	fclose(f);
	return url;
}

/* The store's URL without trailing slashes, from the environment variable
 * `var` or the configuration file `config`; NULL when none is set. */
static char *store_url(const char *var, const char *config)
{
	char *u = config ? config_url(config) : NULL;
	if (!u && var && getenv(var))
		u = strdup(getenv(var));
	if (!u || !*u) {
		free(u);
		return NULL;
	}
	size_t n = strlen(u);
	while (n && u[n - 1] == '/')
		u[--n] = 0;
	return u;
}

static size_t on_read(char *dst, size_t size, size_t n, void *p)
{
	struct buf *b = p;
	size_t want = size * n, left = b->len - b->cap;
	if (want > left)
		want = left;
	memcpy(dst, b->p + b->cap, want);
	b->cap += want;
	return want;
}

static size_t on_write(char *d, size_t size, size_t n, void *p)
{
	return buf_add(p, d, size * n) < 0 ? 0 : size * n;
}

/* One HTTP request: PUT of `body` when it is given, else GET into `got`.
 * Returns the HTTP status, or -1 after printing a transport error. */
static long http(const char *url, const char *shown, const struct buf *body, struct buf *got)
{
	CURL *c = curl_easy_init();
	if (!c)
		return -1;
	char err[CURL_ERROR_SIZE] = "";
	struct buf reader = { 0 };
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "tinyroot-pkgcache/1.0");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
	if (body) {
		reader = (struct buf){ body->p, body->len, 0, 0, 0 };
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(c, CURLOPT_READDATA, &reader);
		curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)body->len);
	} else {
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, got);
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)got->max);
	}
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		fprintf(stderr, "%s: %s\n", shown, got && got->too_big ? "larger than the maximum size" :
			err[0] ? err : curl_easy_strerror(rc));
		return -1;
	}
	return status;
}

static int pc_store(struct opts *o)
{
	char key[65], marker[PATH_MAX];
	snprintf(marker, sizeof(marker), "%s.not-relocatable", o->archive);
	if (!access(marker, F_OK))
		return 0; /* pack said why */
	if (key_of(o->key_inputs, key) < 0)
		return 1;
	struct buf inputs = { 0 }, ab = { 0 }, hdr = { 0 };
	EVP_PKEY *k = NULL;
	char *url = NULL;
	int rc = 1;
	if (read_file(o->key_inputs, &inputs, HEADER_MAX) || read_file(o->archive, &ab, 0))
		goto out;
	if (!(k = read_key(o->signing_key, 1)) ||
	    make_header(o, key, &inputs, ab.p ? ab.p : "", ab.len, k, &hdr) < 0 ||
	    buf_add(&hdr, ab.p ? ab.p : "", ab.len) < 0)
		goto out;
	if (o->dir) {
		char sub[PATH_MAX], path[PATH_MAX];
		snprintf(sub, sizeof(sub), "%s/%.2s", o->dir, key);
		snprintf(path, sizeof(path), "%s/%s.trpkg", sub, key);
		if (mkdir_p(sub) < 0 || write_atomic(path, hdr.p, hdr.len, 0644) < 0)
			goto out;
	}
	rc = 0;
	if ((url = store_url(o->url_env, o->url_config))) {
		char full[PATH_MAX + 256], shown[PATH_MAX + 256];
		snprintf(full, sizeof(full), "%s/%.2s/%s.trpkg", url, key, key);
		if (url_without_userinfo(full, shown, sizeof(shown)) < 0)
			strcpy(shown, "(the package cache URL)");
		long st = http(full, shown, &hdr, NULL);
		if (st >= 0 && (st < 200 || st > 299))
			fprintf(stderr, "%s: HTTP status %ld\n", shown, st);
		if (st < 200 || st > 299)
			fprintf(stderr, "%s: not pushed to the remote package cache\n", o->package);
	}
out:
	EVP_PKEY_free(k);
	free(inputs.p);
	free(ab.p);
	free(hdr.p);
	free(url);
	return rc;
}

/* The value after "name " on the line starting at *p, which moves to the
 * next line. NULL when the line is not that. */
static char *field(char **p, char *end, const char *name)
{
	size_t n = strlen(name);
	char *nl = memchr(*p, '\n', (size_t)(end - *p));
	if (!nl || (size_t)(nl - *p) <= n || strncmp(*p, name, n) || (*p)[n] != ' ')
		return NULL;
	*nl = 0;
	char *v = *p + n + 1;
	*p = nl + 1;
	return v;
}

struct trust {
	char pub[MAX_TRUSTED + 1][65];
	int n;
};

/* Check an artifact (b, read whole) for package/key; on success *data and
 * *size give its tar and out_hash its SHA-256. Returns 0, or -1 after
 * printing "<package>: <where>: refused: reason". */
static int verify(struct opts *o, const char *key, const struct trust *t, const struct buf *b,
		  const char *where, const char **data, size_t *size, char out_hash[65])
{
	const char *why = "not an artifact";
	char *copy = NULL;
	if (b->len < strlen(MAGIC) || memcmp(b->p, MAGIC, strlen(MAGIC)))
		goto bad;
	/* the signed part ends where the signature line starts; the archive
	 * starts after that line */
	const char *end = b->p + b->len, *sigline = NULL;
	for (const char *s = b->p + strlen(MAGIC); s < end && s - b->p < HEADER_MAX;) {
		if (!strncmp(s, "signature ", 10)) {
			sigline = s;
			break;
		}
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			break;
		s = nl + 1;
	}
	const char *signl = sigline ? memchr(sigline, '\n', (size_t)(end - sigline)) : NULL;
	if (!signl)
		goto bad;
	size_t signed_len = (size_t)(sigline - b->p);
	const char *dataptr = signl + 1;
	/* parsed from a copy: the artifact's bytes stay as they came */
	if (!(copy = malloc((size_t)(dataptr - b->p) + 1))) {
		why = "out of memory";
		goto bad;
	}
	memcpy(copy, b->p, (size_t)(dataptr - b->p));
	copy[dataptr - b->p] = 0;
	char *cend = copy + (dataptr - b->p), *q = copy + signed_len;
	char *sig = field(&q, cend, "signature");
	char pub[65], sighex[129];
	if (!sig || sscanf(sig, "ed25519 %64[0-9a-f] %128[0-9a-f]", pub, sighex) != 2 ||
	    strlen(pub) != 64 || strlen(sighex) != 128) {
		why = "malformed signature line";
		goto bad;
	}
	int trusted = 0;
	for (int i = 0; i < t->n; i++)
		trusted |= !strcmp(t->pub[i], pub);
	if (!trusted) {
		fprintf(stderr, "%s: %s: refused: signed by an unknown key (%.16s...)\n", o->package, where, pub);
		free(copy);
		return -1;
	}
	unsigned char rawpub[32], rawsig[64];
	for (int i = 0; i < 32; i++)
		sscanf(pub + 2 * i, "%2hhx", &rawpub[i]);
	for (int i = 0; i < 64; i++)
		sscanf(sighex + 2 * i, "%2hhx", &rawsig[i]);
	EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, rawpub, 32);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = k && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) == 1 &&
		 EVP_DigestVerify(ctx, rawsig, 64, (const unsigned char *)b->p, signed_len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	if (!ok) {
		why = "the signature does not verify";
		goto bad;
	}
	/* signed: now the manifest's fields can be read */
	char *m = copy + strlen(MAGIC), *mend = copy + signed_len;
	char *pkg = field(&m, mend, "package"), *k2 = field(&m, mend, "key");
	char *ah = field(&m, mend, "archive-sha256"), *as = field(&m, mend, "archive-size");
	if (!pkg || !k2 || !ah || !as) {
		why = "malformed manifest";
		goto bad;
	}
	if (strcmp(pkg, o->package) || strcmp(k2, key)) {
		why = "the manifest is for another package or key";
		goto bad;
	}
	char *e;
	errno = 0;
	unsigned long long n = strtoull(as, &e, 10);
	if (errno || *e || n != (unsigned long long)(end - dataptr)) {
		why = "the archive's size is not the manifest's";
		goto bad;
	}
	if (sha256_hex(dataptr, (size_t)n, out_hash) < 0 || strcmp(out_hash, ah)) {
		why = "the archive's hash is not the manifest's";
		goto bad;
	}
	free(copy);
	*data = dataptr;
	*size = (size_t)n;
	return 0;
bad:
	free(copy);
	fprintf(stderr, "%s: %s: refused: %s\n", o->package, where, why);
	return -1;
}

static int load_trust(struct opts *o, struct trust *t)
{
	t->n = 0;
	if (o->signing_key && !access(o->signing_key, F_OK)) {
		EVP_PKEY *k = read_key(o->signing_key, 1);
		if (!k || raw_public_hex(k, t->pub[t->n]) < 0) {
			EVP_PKEY_free(k);
			return -1;
		}
		t->n++;
		EVP_PKEY_free(k);
	}
	for (int i = 0; i < o->ntrusted; i++) {
		EVP_PKEY *k = read_key(o->trusted[i], 0);
		if (!k || raw_public_hex(k, t->pub[t->n]) < 0) {
			EVP_PKEY_free(k);
			return -1;
		}
		t->n++;
		EVP_PKEY_free(k);
	}
	return 0;
}

static int pc_fetch(struct opts *o)
{
	char key[65], h[66], local[PATH_MAX] = "";
	struct trust t;
	if (key_of(o->key_inputs, key) < 0 || load_trust(o, &t) < 0)
		return 2;
	struct buf b = { 0 };
	const char *data, *from = NULL;
	size_t size;
	char *url = store_url(o->url_env, o->url_config);
	int rc = 1;
	if (o->dir) {
		snprintf(local, sizeof(local), "%s/%.2s/%s.trpkg", o->dir, key, key);
		int r = read_file(local, &b, (size_t)o->max_size);
		if (r == 0 && verify(o, key, &t, &b, local, &data, &size, h) == 0)
			from = "local";
	}
	if (!from && url) {
		char full[PATH_MAX + 256], shown[PATH_MAX + 256];
		snprintf(full, sizeof(full), "%s/%.2s/%s.trpkg", url, key, key);
		if (url_without_userinfo(full, shown, sizeof(shown)) < 0)
			strcpy(shown, "(the package cache URL)");
		free(b.p);
		b = (struct buf){ 0 };
		b.max = (size_t)o->max_size;
		long st = http(full, shown, NULL, &b);
		if (st >= 200 && st <= 299 && verify(o, key, &t, &b, shown, &data, &size, h) == 0) {
			from = "remote";
			/* kept locally: the next output folder need not ask */
			if (o->dir) {
				char sub[PATH_MAX];
				snprintf(sub, sizeof(sub), "%s/%.2s", o->dir, key);
				if (mkdir_p(sub) < 0 || write_atomic(local, b.p, b.len, 0644) < 0)
					fprintf(stderr, "%s: not kept in the local package cache\n", o->package);
			}
		} else if (st >= 0 && st != 404 && (st < 200 || st > 299)) {
			fprintf(stderr, "%s: %s: HTTP status %ld: building instead\n", o->package, shown, st);
		} else if (st < 0) {
			fprintf(stderr, "%s: the remote package cache did not answer: building instead\n",
				o->package);
		}
	}
	if (from) {
		if (artifact_unpack(data, size, o->pkg_dir, (const char *const *)o->parts, o->o_dir,
				    o->package) < 0) {
			fprintf(stderr, "%s: the artifact does not unpack: building instead\n", o->package);
		} else {
			h[64] = '\n';
			h[65] = 0;
			if (write_atomic(o->output_hash, h, 65, 0644) == 0) {
				printf("%s\n", from);
				rc = 0;
			}
		}
	}
	free(b.p);
	free(url);
	return rc;
}

static int split_parts(struct opts *o, char *s)
{
	int n = 0;
	for (char *tok = strtok(s, " "); tok; tok = strtok(NULL, " ")) {
		if (n == MAX_PARTS || !*tok || strchr(tok, '/') || !strcmp(tok, "..") || !strcmp(tok, ".")) {
			fprintf(stderr, "pkgcache: bad --parts\n");
			return -1;
		}
		o->parts[n++] = tok;
	}
	o->parts[n] = NULL;
	return 0;
}

static int dispatch(struct opts *o, const char *sub);

int cmd_pkgcache(int argc, char **argv)
{
	struct opts o = { .max_size = 2048LL << 20 };
	if (argc < 2)
		goto usage;
	const char *sub = argv[1];
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			goto usage;
		i++;
		if (!strcmp(a, "--package")) o.package = v;
		else if (!strcmp(a, "--key-inputs")) o.key_inputs = v;
		else if (!strcmp(a, "--dir")) o.dir = *v ? v : NULL;
		else if (!strcmp(a, "--url-env")) o.url_env = v;
		else if (!strcmp(a, "--url-config")) o.url_config = v;
		else if (!strcmp(a, "--signing-key")) o.signing_key = *v ? v : NULL;
		else if (!strcmp(a, "--key")) o.key = v;
		else if (!strcmp(a, "--out")) o.out = v;
		else if (!strcmp(a, "--pkg-dir")) o.pkg_dir = v;
		else if (!strcmp(a, "--o-dir")) o.o_dir = v;
		else if (!strcmp(a, "--output-hash")) o.output_hash = v;
		else if (!strcmp(a, "--archive")) o.archive = v;
		else if (!strcmp(a, "--max-size")) o.max_size = atoll(v);
		else if (!strcmp(a, "--trusted-key")) {
			if (o.ntrusted == MAX_TRUSTED) {
				fprintf(stderr, "pkgcache: more than %d trusted keys\n", MAX_TRUSTED);
				return 2;
			}
			o.trusted[o.ntrusted++] = v;
		} else if (!strcmp(a, "--parts")) {
			free(o.parts_buf);
			if (!(o.parts_buf = strdup(v)) || split_parts(&o, o.parts_buf) < 0) {
				free(o.parts_buf);
				return 2;
			}
		} else {
			goto usage;
		}
	}
	if (o.max_size <= 0)
		goto usage;
	int rc = dispatch(&o, sub);
	free(o.parts_buf);
	return rc;
usage:
	free(o.parts_buf);
	fputs("usage: tr-helper pkgcache keygen|pubkey|key|pack|store|fetch [options]"
	      " (support/helper/pkgcache.c)\n", stderr);
	return 2;
}

static int dispatch(struct opts *op, const char *sub)
{
	struct opts o = *op;
	if (!strcmp(sub, "keygen") && o.key)
		return pc_keygen(&o);
	if (!strcmp(sub, "pubkey") && o.key && o.out)
		return pc_pubkey(&o);
	if (!strcmp(sub, "key") && o.key_inputs) {
		char k[65];
		if (key_of(o.key_inputs, k) < 0)
			return 1;
		printf("%s\n", k);
		return 0;
	}
	if (!strcmp(sub, "pack") && o.pkg_dir && o.parts[0] && o.o_dir && o.out && o.output_hash)
		return pc_pack(&o);
	if (!strcmp(sub, "store") && o.package && o.key_inputs && o.archive && o.signing_key)
		return pc_store(&o);
	if (!strcmp(sub, "fetch") && o.package && o.key_inputs && o.pkg_dir && o.parts[0] && o.o_dir &&
	    o.output_hash)
		return pc_fetch(&o);
	fputs("usage: tr-helper pkgcache keygen|pubkey|key|pack|store|fetch [options]"
	      " (support/helper/pkgcache.c)\n", stderr);
	return 2;
}
