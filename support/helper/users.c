/* Users tables (Buildroot mkusers format); see users.h. */
#include <crypt.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "users.h"

#define FIRST_AUTO_ID 1000
#define LAST_AUTO_ID 29999

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void entry_free(struct user_entry *e)
{
	free(e->name);
	free(e->group);
	free(e->pass);
	free(e->home);
	free(e->shell);
	free(e->groups);
	free(e->comment);
}

/* A uid or gid field: a number from 0, or -1 (automatic). 0 when it is. */
static int parse_id(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < -1 || v > 0x7fffffffL)
		return -1;
	*out = v;
	return 0;
}

int users_table_line(void *ctx, char *line, const char *file, int lineno)
{
	struct users *u = ctx;
	char *field[8], *save = NULL, *p = line;
	int n = 0;
	for (; n < 8; n++) {
		field[n] = strtok_r(p, " \t\n", &save);
		p = NULL;
		if (!field[n])
			break;
	}
	char *comment = save ? save + strspn(save, " \t") : NULL;
	if (comment) {
		size_t len = strlen(comment);
		while (len && (comment[len - 1] == '\n' || comment[len - 1] == ' ' || comment[len - 1] == '\t'))
			comment[--len] = 0;
	}
	struct user_entry e = {0};
	snprintf(e.where, sizeof(e.where), "%s:%d", file, lineno);
	if (n < 8 || parse_id(field[1], &e.uid) || parse_id(field[3], &e.gid)) {
		fprintf(stderr, "%s: expected 'username uid group gid password home shell groups"
			" comment' with uid and gid numbers or -1\n", e.where);
		return -1;
	}
	if (e.uid == 0 && strcmp(field[0], "root")) {
		fprintf(stderr, "%s: user %s: uid 0 is root's alone\n", e.where, field[0]);
		return -1;
	}
	for (size_t i = 0; i < u->n; i++)
		if (!strcmp(u->v[i].name, field[0])) {
			fprintf(stderr, "%s: user %s is already defined at %s\n", e.where, field[0],
				u->v[i].where);
			return -1;
		}
	e.name = strdup(field[0]);
	e.group = strdup(field[2]);
	e.pass = strdup(field[4]);
	e.home = strdup(field[5]);
	e.shell = strdup(field[6]);
	e.groups = strdup(field[7]);
	e.comment = dup_or_null(comment && *comment && strcmp(comment, "-") ? comment : "");
	if (!e.name || !e.group || !e.pass || !e.home || !e.shell || !e.groups || !e.comment) {
		entry_free(&e);
		fprintf(stderr, "%s: out of memory\n", e.where);
		return -1;
	}
	if (u->n == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 16;
		void *v = realloc(u->v, cap * sizeof(*u->v));
		if (!v) {
			entry_free(&e);
			fprintf(stderr, "%s: out of memory\n", e.where);
			return -1;
		}
		u->v = v;
		u->cap = cap;
	}
	u->v[u->n++] = e;
	return 0;
}

/* Is `id` the third field (uid or gid) of a line of an /etc/passwd or
 * /etc/group text? */
static int id_in_text(const char *text, long id)
{
	for (const char *l = text; l && *l;) {
		const char *f = strchr(l, ':');
		f = f ? strchr(f + 1, ':') : NULL;
		if (f && strtol(f + 1, NULL, 10) == id && f[1] >= '0' && f[1] <= '9')
			return 1;
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	return 0;
}

/* The gid of group `name` in an /etc/group text, or -1. */
static long gid_in_text(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *l = text; l && *l;) {
		if (!strncmp(l, name, n) && l[n] == ':') {
			const char *f = strchr(l + n + 1, ':');
			return f ? strtol(f + 1, NULL, 10) : -1;
		}
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	return -1;
}

/* Is `id` used as a uid (`gids` 0) or a gid (`gids` 1) by the tables or
 * by the image's /etc/passwd or /etc/group text? */
static int id_taken(const struct users *u, const char *text, long id, int gids)
{
	for (size_t i = 0; i < u->n; i++)
		if ((gids ? u->v[i].gid : u->v[i].uid) == id)
			return 1;
	return id_in_text(text, id);
}

/* The first id from FIRST_AUTO_ID that is not taken, or -1 after naming
 * what has none. */
static long first_free(const struct users *u, const char *text, int gids,
		       const struct user_entry *e)
{
	for (long id = FIRST_AUTO_ID; id <= LAST_AUTO_ID; id++)
		if (!id_taken(u, text, id, gids))
			return id;
	fprintf(stderr, "%s: no free %s for %s\n", e->where, gids ? "gid" : "uid",
		gids ? e->group : e->name);
	return -1;
}

/* The salt rule of users.h, in `salt` (17 bytes). 0, or -1 on an error. */
static int derive_salt(const char *key_path, const char *user, char salt[17])
{
	FILE *f = fopen(key_path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", key_path, strerror(errno));
		return -1;
	}
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while (ok && (len = getline(&line, &cap, f)) >= 0)
		if (strncmp(line, "TR_TARGET_GENERIC_ROOT_PASSWD=", 30))
			ok = EVP_DigestUpdate(md, line, (size_t)len);
	free(line);
	fclose(f);
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	ok = ok && EVP_DigestUpdate(md, "", 1) && EVP_DigestUpdate(md, user, strlen(user)) &&
	     EVP_DigestFinal_ex(md, digest, &dlen) && dlen >= 8;
	EVP_MD_CTX_free(md);
	if (!ok) {
		fprintf(stderr, "users: sha256 failed\n");
		return -1;
	}
	for (int i = 0; i < 8; i++)
		snprintf(salt + 2 * i, 3, "%02x", digest[i]);
	return 0;
}

/* The /etc/shadow field for a table's password field; NULL on an error. */
static char *shadow_field(const struct user_entry *e, const char *salt_key)
{
	const char *p = e->pass;
	if (!strcmp(p, "-"))
		return strdup("");
	int locked = p[0] == '!';
	if (locked)
		p++;
	if (p[0] != '=')
		return strdup(e->pass); /* "*", "!", or a hash as it is */
	if (!salt_key) {
		fprintf(stderr, "%s: a cleartext password needs the image's salt key\n", e->where);
		return NULL;
	}
	char salt[17], setting[32];
	if (derive_salt(salt_key, e->name, salt))
		return NULL;
	snprintf(setting, sizeof(setting), "$6$%s$", salt);
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	if (!cd) {
		fprintf(stderr, "%s: out of memory\n", e->where);
		return NULL;
	}
	const char *h = crypt_r(p + 1, setting, cd);
	char *out = NULL;
	if (!h || h[0] != '$') {
		fprintf(stderr, "%s: user %s: SHA-512 crypt failed\n", e->where, e->name);
	} else if (asprintf(&out, "%s%s", locked ? "!" : "", h) < 0) {
		out = NULL;
		fprintf(stderr, "%s: out of memory\n", e->where);
	}
	/* the cleartext leaves no copy behind */
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return out;
}

int users_resolve(struct users *u, const char *passwd, const char *group, const char *salt_key)
{
	for (size_t i = 0; i < u->n; i++) {
		struct user_entry *e = &u->v[i];
		if (e->uid == -1 && (e->uid = first_free(u, passwd, 0, e)) < 0)
			return -1;
		if (e->gid == -1) {
			/* a group already in the image, or given a gid on another line
			 * (explicit or chosen earlier), keeps it */
			long id = gid_in_text(group, e->group);
			for (size_t j = 0; id < 0 && j < u->n; j++)
				if (u->v[j].gid >= 0 && !strcmp(u->v[j].group, e->group))
					id = u->v[j].gid;
			if (id < 0 && (id = first_free(u, group, 1, e)) < 0)
				return -1;
			e->gid = id;
		}
		char *sh = shadow_field(e, salt_key);
		if (!sh)
			return -1;
		size_t plen = strlen(e->pass);
		explicit_bzero(e->pass, plen);
		free(e->pass);
		e->pass = sh;
	}
	return 0;
}

void users_free(struct users *u)
{
	for (size_t i = 0; i < u->n; i++)
		entry_free(&u->v[i]);
	free(u->v);
	u->v = NULL;
	u->n = u->cap = 0;
}
