/* Users tables (Buildroot mkusers format); see users.h. */
#include <crypt.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "users.h"

#define FIRST_AUTO_ID 1000
#define LAST_AUTO_ID 29999
#define NAME_RULE "1 to 32 letters, digits, '.', '_' or '-', not starting with '-'," \
	" not all digits, not '.' or '..'"

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

/* Is s[0..len) a user or group name by the rule of users.h? */
static int valid_name(const char *s, size_t len)
{
	static const char portable[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				       "0123456789._-";
	size_t digits = 0;
	if (!len || len > USERS_NAME_MAX || s[0] == '-' || (len == 1 && s[0] == '.') ||
	    (len == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (!s[i] || !strchr(portable, s[i]))
			return 0;
		digits += s[i] >= '0' && s[i] <= '9';
	}
	return digits < len;
}

/* Does `s` hold a control character (a tab allowed when tabs_ok)? */
static int has_control(const char *s, int tabs_ok)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && !(tabs_ok && *s == '\t')) || *s == 0x7f)
			return 1;
	return 0;
}

/* home or shell: "-", or an absolute path without ':', without a "." or
 * ".." component and without an empty one ("//", a trailing '/'): a home
 * folder is created and given to the user in the image at that path, and
 * "/etc/" would name /etc without being the same string. */
static int valid_path(const char *s)
{
	if (!strcmp(s, "-") || !strcmp(s, "/"))
		return 1;
	if (s[0] != '/' || strchr(s, ':') || has_control(s, 0))
		return 0;
	for (const char *c = s; *c;) {
		c++; /* the '/' before the component */
		size_t len = strcspn(c, "/");
		if (!len || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c += len;
	}
	return 1;
}

/* "where: what 'value': rule", the value shown with control characters as
 * '?' and cut at 80 bytes: it may be anything a table holds. */
static int bad_field(const char *where, const char *what, const char *value, const char *rule)
{
	char shown[81];
	size_t i = 0;
	for (; value[i] && i < 80; i++)
		shown[i] = (unsigned char)value[i] < 0x20 || value[i] == 0x7f ? '?' : value[i];
	shown[i] = 0;
	fprintf(stderr, "%s: %s '%s%s': %s\n", where, what, shown, value[i] ? "..." : "", rule);
	return -1;
}

/* The rules of users.h for the fields of one line. 0, or -1 after saying
 * which field breaks which rule. */
static int check_fields(const char *where, char *const field[8], const char *comment)
{
	if (!valid_name(field[0], strlen(field[0])))
		return bad_field(where, "user name", field[0], "a name is " NAME_RULE);
	if (!valid_name(field[2], strlen(field[2])))
		return bad_field(where, "group name", field[2], "a name is " NAME_RULE);
	int clear = field[4][0] == '=' || (field[4][0] == '!' && field[4][1] == '=');
	if (!clear && (strchr(field[4], ':') || has_control(field[4], 0)))
		return bad_field(where, "password hash", field[4],
				 "a crypt hash holds no ':' and no control character");
	if (!valid_path(field[5]))
		return bad_field(where, "home", field[5],
				 "'-' or an absolute path without ':', '.', '..', '//' or a trailing '/'");
	if (!valid_path(field[6]))
		return bad_field(where, "shell", field[6],
				 "'-' or an absolute path without ':', '.', '..', '//' or a trailing '/'");
	if (strcmp(field[7], "-"))
		for (const char *g = field[7];; g++) {
			size_t len = strcspn(g, ",");
			if (!valid_name(g, len))
				return bad_field(where, "supplementary groups", field[7],
						 "'-' or names separated by ',', each " NAME_RULE);
			g += len;
			if (!*g)
				break;
		}
	if (comment && (strchr(comment, ':') || has_control(comment, 1)))
		return bad_field(where, "comment", comment, "no ':' and no control character");
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
	if (check_fields(e.where, field, comment))
		return -1;
	if (e.uid == 0 && strcmp(field[0], "root")) {
		fprintf(stderr, "%s: user %s: uid 0 is root's alone\n", e.where, field[0]);
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

/* A growing text; `failed` once an allocation failed (later adds do
 * nothing, the owner reports it once). */
struct buf {
	char *p;
	size_t n, cap;
	int failed;
};

static void buf_add(struct buf *b, const char *s, size_t len)
{
	if (b->failed)
		return;
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + len + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = 0;
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* An /etc file's text as it was, ending with a newline if not empty: a
 * line added after a last line without one must not join it. */
static void buf_text(struct buf *b, const char *text)
{
	buf_add(b, "", 0);
	if (text && *text) {
		buf_str(b, text);
		if (text[strlen(text) - 1] != '\n')
			buf_add(b, "\n", 1);
	}
}

static void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	int len = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (len < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)len < sizeof(small)) {
		buf_add(b, small, (size_t)len);
		return;
	}
	char *big = malloc((size_t)len + 1);
	if (!big) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)len + 1, fmt, ap);
	va_end(ap);
	buf_add(b, big, (size_t)len);
	free(big);
}

/* Names to numbers (a user's index, a group's record), open addressing:
 * finding a name costs the same however many there are. */
struct map {
	char **key;
	long *val;
	size_t cap, n;
};

static size_t map_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot of key[0..len): where it is, or the free slot where it goes. */
static size_t map_slot(const struct map *m, const char *key, size_t len)
{
	size_t i = map_hash(key, len) & (m->cap - 1);
	while (m->key[i] && (strncmp(m->key[i], key, len) || m->key[i][len]))
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The value of key[0..len), or NULL. */
static long *map_get(const struct map *m, const char *key, size_t len)
{
	if (!m->cap)
		return NULL;
	size_t i = map_slot(m, key, len);
	return m->key[i] ? &m->val[i] : NULL;
}

/* Add key[0..len) with `val` unless it is there (the first value stays).
 * 0, or -1 when out of memory. */
static int map_put(struct map *m, const char *key, size_t len, long val)
{
	if (2 * (m->n + 1) > m->cap) {
		struct map big = { .cap = m->cap ? 2 * m->cap : 64 };
		big.key = calloc(big.cap, sizeof(*big.key));
		big.val = calloc(big.cap, sizeof(*big.val));
		if (!big.key || !big.val) {
			free(big.key);
			free(big.val);
			return -1;
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->key[i]) {
				size_t j = map_slot(&big, m->key[i], strlen(m->key[i]));
				big.key[j] = m->key[i];
				big.val[j] = m->val[i];
			}
		big.n = m->n;
		free(m->key);
		free(m->val);
		*m = big;
	}
	size_t i = map_slot(m, key, len);
	if (m->key[i])
		return 0;
	if (!(m->key[i] = strndup(key, len)))
		return -1;
	m->val[i] = val;
	m->n++;
	return 0;
}

static void map_free(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->key[i]);
	free(m->key);
	free(m->val);
}

/* The automatic ids still free: a bit per id, and the lowest id that may be
 * free. Ids are only ever taken, so the cursor never goes back and picking
 * every automatic id costs one pass over the range in all. */
struct id_pool {
	unsigned char used[(LAST_AUTO_ID - FIRST_AUTO_ID) / 8 + 1];
	long next;
};

static void pool_mark(struct id_pool *p, long id)
{
	if (id >= FIRST_AUTO_ID && id <= LAST_AUTO_ID)
		p->used[(id - FIRST_AUTO_ID) / 8] |= (unsigned char)(1u << ((id - FIRST_AUTO_ID) % 8));
}

/* The lowest free id, now taken; -1 when none is left. */
static long pool_take(struct id_pool *p)
{
	if (p->next < FIRST_AUTO_ID)
		p->next = FIRST_AUTO_ID;
	while (p->next <= LAST_AUTO_ID &&
	       (p->used[(p->next - FIRST_AUTO_ID) / 8] >> ((p->next - FIRST_AUTO_ID) % 8) & 1))
		p->next++;
	if (p->next > LAST_AUTO_ID)
		return -1;
	pool_mark(p, p->next);
	return p->next++;
}

/* A line of an /etc/passwd or /etc/group text: where it is, its name (up to
 * the first ':', length 0 when it has none) and the number in its third
 * field (-1 when that is not a number). */
struct etc_line {
	const char *p;
	size_t len, name_len;
	long id;
};

/* The line at `l` (not at the end of the text). */
static struct etc_line etc_line_at(const char *l)
{
	struct etc_line r = { .p = l, .id = -1 };
	const char *eol = strchr(l, '\n');
	r.len = eol ? (size_t)(eol - l) : strlen(l);
	const char *c1 = memchr(l, ':', r.len);
	if (c1) {
		r.name_len = (size_t)(c1 - l);
		const char *c2 = memchr(c1 + 1, ':', r.len - r.name_len - 1);
		if (c2 && c2 + 1 < l + r.len && c2[1] >= '0' && c2[1] <= '9')
			r.id = strtol(c2 + 1, NULL, 10);
	}
	return r;
}

/* The next line's start, or NULL at the end of the text. */
static const char *etc_next(const struct etc_line *l)
{
	return l->p[l->len] ? l->p + l->len + 1 : NULL;
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

/* A group of the image or of the tables. */
struct group_rec {
	const char *name;      /* name_len bytes, in the image's text or a table entry */
	size_t name_len;
	const char *line;      /* its line in the image's text (line_len bytes), NULL if new */
	size_t line_len;
	long gid;              /* -1: the image's line has no number there */
	struct buf members;    /* members the tables add, comma separated */
	size_t last_user;      /* 1 + the index of the user added last, 0 for none */
	int written;
};

/* The state of one users_apply(). */
struct apply {
	struct map users, groups; /* name -> index in u->v, in g */
	struct group_rec *g;
	size_t ng, capg;
	struct id_pool uids, gids;
};

/* A new group record: its index, or -1 when out of memory. */
static long group_add(struct apply *a, const char *name, size_t len, const char *line,
		      size_t line_len, long gid)
{
	if (a->ng == a->capg) {
		size_t cap = a->capg ? 2 * a->capg : 64;
		void *g = realloc(a->g, cap * sizeof(*a->g));
		if (!g)
			return -1;
		a->g = g;
		a->capg = cap;
	}
	if (map_put(&a->groups, name, len, (long)a->ng))
		return -1;
	a->g[a->ng] = (struct group_rec){ .name = name, .name_len = len, .line = line,
					  .line_len = line_len, .gid = gid };
	return (long)a->ng++;
}

/* Does the image's line of group r already list `user` as a member? */
static int text_member(const struct group_rec *r, const char *user)
{
	if (!r->line)
		return 0;
	const char *end = r->line + r->line_len, *m = end;
	size_t ul = strlen(user);
	while (m > r->line && m[-1] != ':')
		m--;
	while (m < end) {
		const char *comma = memchr(m, ',', (size_t)(end - m));
		size_t ml = comma ? (size_t)(comma - m) : (size_t)(end - m);
		if (ml == ul && !strncmp(m, user, ul))
			return 1;
		m += ml + 1;
	}
	return 0;
}

static void write_group(struct buf *b, struct group_rec *r)
{
	buf_printf(b, "%.*s:x:%ld:", (int)r->name_len, r->name, r->gid);
	if (r->members.n)
		buf_add(b, r->members.p, r->members.n);
	buf_add(b, "\n", 1);
	r->written = 1;
}

/* The image's ids and groups, the tables' names and explicit ids. */
static int collect(struct apply *a, const struct users *u, const struct users_etc *in)
{
	for (const char *l = in->passwd; l && *l;) {
		struct etc_line x = etc_line_at(l);
		pool_mark(&a->uids, x.id);
		l = etc_next(&x);
	}
	for (const char *l = in->group; l && *l;) {
		struct etc_line x = etc_line_at(l);
		pool_mark(&a->gids, x.id);
		if (x.name_len && !map_get(&a->groups, l, x.name_len) &&
		    group_add(a, l, x.name_len, l, x.len, x.id) < 0)
			return -2;
		l = etc_next(&x);
	}
	for (size_t i = 0; i < u->n; i++) {
		const struct user_entry *e = &u->v[i];
		const long *seen = map_get(&a->users, e->name, strlen(e->name));
		if (seen) {
			fprintf(stderr, "%s: user %s is already defined at %s\n", e->where, e->name,
				u->v[*seen].where);
			return -1;
		}
		if (map_put(&a->users, e->name, strlen(e->name), (long)i))
			return -2;
		pool_mark(&a->uids, e->uid);
		pool_mark(&a->gids, e->gid);
		/* a group given a gid on any line keeps it on the others */
		if (e->gid >= 0 && !map_get(&a->groups, e->group, strlen(e->group)) &&
		    group_add(a, e->group, strlen(e->group), NULL, 0, e->gid) < 0)
			return -2;
	}
	return 0;
}

/* Automatic uids and gids of the users' own groups, in table order, and
 * what /etc/shadow holds for each password. */
static int resolve(struct apply *a, struct users *u, const char *salt_key)
{
	for (size_t i = 0; i < u->n; i++) {
		struct user_entry *e = &u->v[i];
		if (e->uid == -1 && (e->uid = pool_take(&a->uids)) < 0) {
			fprintf(stderr, "%s: no free uid for %s\n", e->where, e->name);
			return -1;
		}
		if (e->gid == -1) {
			const long *rec = map_get(&a->groups, e->group, strlen(e->group));
			if (rec && a->g[*rec].gid >= 0) {
				e->gid = a->g[*rec].gid;
			} else if ((e->gid = pool_take(&a->gids)) < 0) {
				fprintf(stderr, "%s: no free gid for %s\n", e->where, e->group);
				return -1;
			} else if (!rec && group_add(a, e->group, strlen(e->group), NULL, 0, e->gid) < 0) {
				return -2;
			}
		}
		char *sh = shadow_field(e, salt_key);
		if (!sh)
			return -1;
		explicit_bzero(e->pass, strlen(e->pass));
		free(e->pass);
		e->pass = sh;
	}
	return 0;
}

/* Supplementary groups: a new one gets the next free gid, after all the
 * users' own groups; each user joins each of its groups once. */
static int add_members(struct apply *a, const struct users *u)
{
	for (size_t i = 0; i < u->n; i++) {
		const struct user_entry *e = &u->v[i];
		if (!strcmp(e->groups, "-"))
			continue;
		for (const char *g = e->groups;; g++) {
			size_t len = strcspn(g, ",");
			const long *rec = map_get(&a->groups, g, len);
			long r = rec ? *rec : -1;
			if (r < 0) {
				long gid = pool_take(&a->gids);
				if (gid < 0) {
					fprintf(stderr, "%s: no free gid for %.*s\n", e->where, (int)len, g);
					return -1;
				}
				if ((r = group_add(a, g, len, NULL, 0, gid)) < 0)
					return -2;
			}
			struct group_rec *gr = &a->g[r];
			if (gr->last_user != i + 1 && !text_member(gr, e->name)) {
				if (gr->members.n)
					buf_add(&gr->members, ",", 1);
				buf_str(&gr->members, e->name);
				if (gr->members.failed)
					return -2;
			}
			gr->last_user = i + 1;
			g += len;
			if (!*g)
				break;
		}
	}
	return 0;
}

/* The new texts (users.h). */
static void render(struct apply *a, const struct users *u, const struct users_etc *in,
		   struct buf *pw, struct buf *gr, struct buf *sh)
{
	buf_text(pw, in->passwd);
	buf_text(sh, in->shadow);
	buf_add(gr, "", 0);
	for (size_t i = 0; i < u->n; i++) {
		const struct user_entry *e = &u->v[i];
		/* the password goes to /etc/shadow, "x" in /etc/passwd: BusyBox's
		 * own passwd reader skips a line whose password field is empty */
		buf_printf(pw, "%s:x:%ld:%ld:%s:%s:%s\n", e->name, e->uid, e->gid, e->comment,
			   strcmp(e->home, "-") ? e->home : "/",
			   strcmp(e->shell, "-") ? e->shell : "/bin/false");
		buf_printf(sh, "%s:%s:::::::\n", e->name, e->pass);
	}
	for (const char *l = in->group; l && *l;) {
		struct etc_line x = etc_line_at(l);
		buf_add(gr, l, x.len);
		const long *rec = x.name_len ? map_get(&a->groups, l, x.name_len) : NULL;
		if (rec && a->g[*rec].line == l && a->g[*rec].members.n) {
			if (l[x.len - 1] != ':')
				buf_add(gr, ",", 1);
			buf_add(gr, a->g[*rec].members.p, a->g[*rec].members.n);
		}
		buf_add(gr, "\n", 1);
		l = etc_next(&x);
	}
	/* new groups: the users' own in table order, then the others */
	for (size_t i = 0; i < u->n; i++) {
		const long *rec = map_get(&a->groups, u->v[i].group, strlen(u->v[i].group));
		if (rec && !a->g[*rec].line && !a->g[*rec].written)
			write_group(gr, &a->g[*rec]);
	}
	for (size_t r = 0; r < a->ng; r++)
		if (!a->g[r].line && !a->g[r].written)
			write_group(gr, &a->g[r]);
}

int users_apply(struct users *u, const struct users_etc *in, const char *salt_key,
		struct users_etc *out)
{
	struct apply *a = calloc(1, sizeof(*a));
	struct buf pw = {0}, gr = {0}, sh = {0};
	int rc = a ? collect(a, u, in) : -2;
	if (!rc)
		rc = resolve(a, u, salt_key);
	if (!rc)
		rc = add_members(a, u);
	if (!rc) {
		render(a, u, in, &pw, &gr, &sh);
		if (pw.failed || gr.failed || sh.failed)
			rc = -2;
	}
	if (rc == -2)
		fprintf(stderr, "%s: out of memory\n", u->n ? u->v[0].where : "users");
	if (rc) {
		free(pw.p);
		free(gr.p);
		free(sh.p);
	} else {
		out->passwd = pw.p;
		out->group = gr.p;
		out->shadow = sh.p;
	}
	if (a) {
		map_free(&a->users);
		map_free(&a->groups);
		for (size_t r = 0; r < a->ng; r++)
			free(a->g[r].members.p);
		free(a->g);
		free(a);
	}
	return rc ? -1 : 0;
}

void users_free(struct users *u)
{
	for (size_t i = 0; i < u->n; i++)
		entry_free(&u->v[i]);
	free(u->v);
	u->v = NULL;
	u->n = u->cap = 0;
}
