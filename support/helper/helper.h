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

/* rm -rf of a tree we created ourselves (temporary folders). */
void remove_tree(const char *path);

#endif
