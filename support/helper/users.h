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
 * comma separated, or `-`. comment: the rest of the line, `-` for none.
 *
 * The fields end up in /etc/passwd, /etc/group and /etc/shadow, whose
 * separators are `:`, `,` and the newline, so a field that holds one could
 * add an account (a name `evil:x:0:0::/root:/bin/sh` would be a uid-0 line).
 * User and group names are therefore taken from the POSIX portable filename
 * character set, as shadow-utils' useradd and groupadd take them: letters,
 * digits, `.`, `_` and `-`, not starting with `-`, not `.` or `..`, not all
 * digits (a name that reads as an id), at most USERS_NAME_MAX bytes. home and
 * shell are `-` or an absolute path without `:` and without a `.`, `..` or
 * empty component (`//`, a trailing `/`: `/etc/` would name /etc under
 * another spelling); the comment and a given crypt hash hold no `:`; no field holds
 * a control character (the comment may hold tabs). */
#ifndef TR_USERS_H
#define TR_USERS_H

#include <stddef.h>

/* The longest user or group name, in bytes (useradd's and groupadd's limit). */
#define USERS_NAME_MAX 32

struct user_entry {
	char *name, *group, *pass, *home, *shell, *groups, *comment;
	long uid, gid;          /* -1 until users_apply() */
	char where[300];        /* "file:line" for messages */
};

struct users {
	struct user_entry *v;
	size_t n, cap;
};

/* table_line_fn for for_each_table_line(): parse one line into ctx (a
 * struct users). Returns 0, or -1 after printing "file:line: reason" (a
 * malformed line, a uid or gid that is neither a number nor -1, a user other
 * than root with uid 0, a field outside the rules above). */
int users_table_line(void *ctx, char *line, const char *file, int lineno);

/* The text of /etc/passwd, /etc/group and /etc/shadow. */
struct users_etc {
	char *passwd, *group, *shadow;
};

/*
 * Add the tables' accounts to an image's /etc files. `in` holds the image's
 * own texts (read only; a NULL member is an empty file); on success `out`
 * gets new texts (malloc'd, the caller frees them): the image's lines as they
 * were, each ending with a newline, then one passwd and one shadow line per
 * user in table order, a group line for every group that the image does not
 * have (a user's group, then its supplementary ones), and each user added to
 * the member list of its supplementary groups.
 *
 * Ids: every -1 uid and gid gets a value from 1000 up, skipping the ids the
 * image's passwd and group texts and the tables use; a group the image has,
 * or that a table line gives a gid, keeps that gid (the first such line in
 * table order). New supplementary groups get the next free gids after all
 * users' own. Time and memory are linear in the tables and texts.
 *
 * Passwords: cleartext is hashed with SHA-512 crypt and a salt derived from
 * the image's identity: the first 16 hex digits of sha256(contents of
 * `salt_key` without any TR_TARGET_GENERIC_ROOT_PASSWD= line, a NUL byte, the
 * user name), the rule of support/scripts/root-passwd-hash; the cleartext in
 * `u` is wiped. `salt_key` may be NULL when no table has a cleartext password.
 *
 * Returns 0, or -1 after printing "file:line: reason" (a user named twice,
 * no free id left, a hashing failure, out of memory); `out` is then left
 * untouched.
 */
int users_apply(struct users *u, const struct users_etc *in, const char *salt_key,
		struct users_etc *out);

/* Free the entries (not the struct). */
void users_free(struct users *u);

#endif
