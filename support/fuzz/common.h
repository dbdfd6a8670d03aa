/* What every fuzz target needs: a private scratch folder, made once per
 * process, and a way to put the input bytes in a file there (the code under
 * test reads files, as it does in a build). */
#ifndef TR_FUZZ_COMMON_H
#define TR_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* The scratch folder ($TMPDIR/tr-fuzz-XXXXXX), created on first use and
 * removed at exit. Aborts when it cannot be made: a fuzz run without it
 * would test nothing. */
const char *fuzz_dir(void);

/* Write `size` bytes to `name` inside fuzz_dir(); returns its path (a
 * static buffer, valid until the next call). Aborts on a write error. */
const char *fuzz_file(const char *name, const uint8_t *data, size_t size);

/* rm -rf of `path` (inside fuzz_dir()). */
void fuzz_remove(const char *path);

#endif
