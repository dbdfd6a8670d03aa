/* Subcommands of tr-helper, the host helper for sources and images. Each
 * takes argv with argv[0] being the subcommand name, prints its own errors
 * and returns the process exit code (0 success, 1 failure, 2 usage/input). */
#ifndef TR_HELPER_H
#define TR_HELPER_H

int cmd_download(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_pkgcache(int argc, char **argv);
int cmd_disk(int argc, char **argv);

/* mkdir -p; prints an error and returns -1 on failure. */
int mkdir_p(const char *path);

/* The longest line a table may hold, in bytes with its newline. */
#define TABLE_LINE_MAX 4096

/*
 * Call fn for every line of the text table `path` that is neither blank nor
 * a `#` comment, with leading blanks skipped and the line number (from 1).
 * Lines are read whole (getline): a line of more than TABLE_LINE_MAX bytes
 * or one holding a NUL byte is an error. Stops at the first non-zero return
 * of fn and returns it; returns -1 after printing "path: reason" when the
 * file cannot be opened or read, or "path:line: reason" for a bad line.
 * Used by the .hash, device table and users table readers.
 */
typedef int (*table_line_fn)(void *ctx, char *line, const char *path, int lineno);
int for_each_table_line(const char *path, table_line_fn fn, void *ctx);

/* Whether the archive entry path p stays inside its root: not absolute,
 * no ".." component. Returns 1 when it does, 0 otherwise. (The rule of
 * `extract` and of the package cache's artifacts.) */
int safe_relative(const char *p);

/* rm -rf of a tree we created ourselves (temporary folders). */
void remove_tree(const char *path);

/*
 * Copy `url` into out (size bytes) without its userinfo: the part of the
 * authority up to its last '@' ("http://user:token@host/x" gives
 * "http://host/x"; RFC 3986 section 3.2: the authority runs from "//" to
 * the next '/', '?' or '#'). A string without "scheme://" is copied as it
 * is. This is tinyroot's one rule for credentials in URLs: whatever the
 * helper prints or records carries the URL through this function.
 * Returns 0, or -1 when the result does not fit in out (then out holds
 * an empty string, never a truncated URL).
 */
int url_without_userinfo(const char *url, char *out, size_t size);

/*
 * Check that the open file `fd`, reached as `path`, is a regular file with
 * one link that belongs to the effective user: a hard link planted in a
 * shared folder (another name for someone's file) or a file of another
 * user must never be written through. Returns 0 when it is; otherwise
 * prints "path: reason; remove it" and returns -1.
 */
int check_own_file(int fd, const char *path);

#endif
