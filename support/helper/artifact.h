/* A package's output as one archive (the package cache's artifact): its
 * installed trees under the package's build folder, written as a
 * deterministic tar and read back into the same layout. Used by
 * pkgcache.c. */
#ifndef TR_ARTIFACT_H
#define TR_ARTIFACT_H

#include <stddef.h>

/* The marker that stands for the output folder ($(O)) in text files of an
 * artifact, so that an output made in /a/output unpacks into /b/output. */
#define ARTIFACT_O_MARKER "@TINYROOT_OUTPUT_DIR@"

/*
 * Write the folders `parts` (names under `pkg_dir`, NULL-terminated; a
 * missing one is skipped) as an uncompressed POSIX tar at `out` (written
 * to out.tmp, then renamed). Reproducible: the parts in their order, each
 * walked with names sorted by their bytes, a folder before its contents;
 * owner 0:0 without names, modes kept, mtimes clamped to `epoch` (seconds),
 * hard links within the archive kept as links. In regular files without a
 * NUL byte, every occurrence of `o_dir` (the output folder, absolute) is
 * replaced by ARTIFACT_O_MARKER, and in symbolic links' targets too; a
 * file with a NUL byte that contains
 * `o_dir` cannot be relocated: it is written as it is and its path is
 * reported through *not_relocatable (a malloc'd string the caller frees;
 * NULL when every file relocates). Sockets, FIFOs and devices are refused.
 * Returns 0, or -1 after printing "path: reason".
 */
int artifact_write(const char *pkg_dir, const char *const *parts, const char *o_dir,
		   long long epoch, const char *out, char **not_relocatable);

/*
 * Unpack the tar held in memory (`data`, `size` bytes; an artifact already
 * verified by its signature and hash) into `pkg_dir`: into a temporary
 * folder beside the parts first, then each top-level folder of the archive
 * replaces the one of that name in pkg_dir. Entries must be regular files,
 * folders, symbolic links or hard links, with relative paths that stay
 * inside (no "..", no absolute path, no writing through a link: the
 * extractor's rules for untrusted archives), their top-level folder must
 * be one of `parts` and a folder, and a hard link carries no data.
 * ARTIFACT_O_MARKER in regular files and link targets becomes `o_dir`. Returns 0,
 * or -1 after printing "what: reason"; on error pkg_dir's parts are left as
 * they were.
 */
int artifact_unpack(const void *data, size_t size, const char *pkg_dir,
		    const char *const *parts, const char *o_dir, const char *what);

#endif
