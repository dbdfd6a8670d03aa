/* The Kconfig macro language (Linux 6.1 preprocess.c semantics): variables
 * set with `:=` (immediate), `=` (recursive) and `+=`, user functions called
 * with $(name,arg,...) and reading $(1)..., the built-ins shell, info,
 * warning-if, error-if, filename, lineno, and environment fallback. */
#ifndef KCONFIG_PREPROCESS_H
#define KCONFIG_PREPROCESS_H

#include "internal.h"

struct macro_var {
	char *name, *value;
	int recursive;
	int expanding;      /* its value is being expanded now: a reference
			     * to it inside is a loop */
	struct macro_var *next;
};

struct macro_ctx {
	struct kconfig *kc;
	struct macro_var *vars;
	const char *file;   /* for $(filename) and messages */
	int line;
	int failed;         /* set by $(error-if) and bad syntax */
};

/* Expand every $(...) in `in`. Returns a malloc'd string (caller frees); on
 * an error sets ctx->failed and kc's error ("file:line: ..."). */
char *macro_expand(struct macro_ctx *ctx, const char *in);

/* Handle `NAME op VALUE` (op one of ":=", "=", "+="). name and value are
 * raw text; name is expanded here. Returns 0 or -1. */
int macro_assign(struct macro_ctx *ctx, const char *name, const char *op,
		 const char *value);

/* Free all variables. */
void macro_free(struct macro_ctx *ctx);

#endif
