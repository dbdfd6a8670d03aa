/* Subcommands of tr-helper, the host helper for sources and images. Each
 * takes argv with argv[0] being the subcommand name, prints its own errors
 * and returns the process exit code (0 success, 1 failure, 2 usage/input). */
#ifndef TR_HELPER_H
#define TR_HELPER_H

int cmd_download(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_pack(int argc, char **argv);

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

/* rm -rf of a tree we created ourselves (temporary folders). */
void remove_tree(const char *path);

#endif
