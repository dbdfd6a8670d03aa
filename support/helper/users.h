/* Users tables in Buildroot's mkusers format (support/scripts/mkusers in
 * Buildroot; docs "Makeusers syntax"): one user a line,
 *
 *   username uid group gid password home shell groups comment
 *
 * uid/gid -1: chosen automatically, from 1000 up, the first not taken (in
 * table order, so the same tables give the same ids). password: `=clear` is
 * hashed (SHA-512 crypt), `!=clear` hashed and locked, `-` empty (no
 * password), `*` no login, `!` locked, anything else taken as a crypt hash.
 * home and shell `-`: none (/ and /bin/false). groups: supplementary groups,
 * comma separated, or `-`. comment: the rest of the line, `-` for none. */
#ifndef TR_USERS_H
#define TR_USERS_H

#include <stddef.h>

struct user_entry {
	char *name, *group, *pass, *home, *shell, *groups, *comment;
	long uid, gid;          /* -1 until users_resolve() */
	char where[300];        /* "file:line" for messages */
};

struct users {
	struct user_entry *v;
	size_t n, cap;
};

/* table_line_fn for for_each_table_line(): parse one line into ctx (a
 * struct users). Returns 0, or -1 after printing "file:line: reason" (a
 * malformed line, a uid or gid that is neither a number nor -1, a user other
 * than root with uid 0, a user named twice). */
int users_table_line(void *ctx, char *line, const char *file, int lineno);

/*
 * Give every -1 uid and gid a value (from 1000 up, skipping the ids already
 * used by `passwd` and `group`, the image's /etc/passwd and /etc/group text,
 * and by the tables; a group named before keeps its gid) and turn each
 * password field into what /etc/shadow holds. Cleartext passwords are hashed
 * with SHA-512 crypt and a salt derived from the image's identity: the first
 * 16 hex digits of sha256(contents of `salt_key` without any
 * TR_TARGET_GENERIC_ROOT_PASSWD= line, a NUL byte, the user name), the rule
 * of support/scripts/root-passwd-hash. `salt_key` may be NULL when no table
 * has a cleartext password. Returns 0, or -1 after printing the reason.
 */
int users_resolve(struct users *u, const char *passwd, const char *group, const char *salt_key);

/* Free the entries (not the struct). */
void users_free(struct users *u);

#endif
