/* Macro expansion for Kconfig files; see preprocess.h. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "preprocess.h"

#define MAX_ARGS 16
#define MAX_DEPTH 64
/* The longest value an expansion may give, in bytes: a variable that
 * doubles itself must stop with an error, not exhaust memory. Linux's own
 * Kconfig macros give a few hundred bytes at most. */
#define MAX_EXPANSION (1u << 20)

struct buf {
	char *s;
	size_t n, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t c = (b->cap ? b->cap * 2 : 64);
		while (c < b->n + n + 1)
			c *= 2;
		char *p = realloc(b->s, c);
		if (!p) {
			fputs("kconfig: out of memory\n", stderr);
			exit(2);
		}
		b->s = p;
		b->cap = c;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

static char *buf_take(struct buf *b)
{
	if (!b->s)
		buf_add(b, "", 0);
	return b->s;
}

static struct macro_var *var_find(struct macro_ctx *ctx, const char *name)
{
	for (struct macro_var *v = ctx->vars; v; v = v->next)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

static char *expand_args(struct macro_ctx *ctx, const char *in, int argc,
			 char **argv, int depth);

static void fail(struct macro_ctx *ctx, const char *fmt, const char *arg)
{
	if (ctx->failed)
		return;
	char *m = NULL;
	if (asprintf(&m, fmt, arg) < 0)
		m = NULL;
	kc_set_error(ctx->kc, "%s:%d: %s", ctx->file, ctx->line, m ? m : "error");
	free(m);
	ctx->failed = 1;
}

static char *run_shell(struct macro_ctx *ctx, const char *cmd)
{
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	if (ctx->kc->no_shell) {
		fail(ctx, "$(shell,%s): running commands is turned off", cmd);
		return buf_take(&b);
	}
	fflush(stdout);
	FILE *p = popen(cmd, "r");
	if (!p) {
		fail(ctx, "cannot run shell command: %s", cmd);
		return buf_take(&b);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&b, chunk, n);
	pclose(p);
	buf_take(&b);
	/* newlines become spaces; trailing ones are dropped (6.1 do_shell) */
	while (b.n && b.s[b.n - 1] == '\n')
		b.s[--b.n] = 0;
	for (size_t i = 0; i < b.n; i++)
		if (b.s[i] == '\n')
			b.s[i] = ' ';
	return b.s;
}

/* Call function or variable `name` with already expanded arguments. */
static char *call(struct macro_ctx *ctx, const char *name, int argc, char **argv,
		  int depth)
{
	struct buf b = {0};
	if (!strcmp(name, "shell") && argc == 1)
		return run_shell(ctx, argv[0]);
	if (!strcmp(name, "info") && argc == 1) {
		printf("%s\n", argv[0]);
		return buf_take(&b);
	}
	if ((!strcmp(name, "warning-if") || !strcmp(name, "error-if")) && argc == 2) {
		if (!strcmp(argv[0], "y")) {
			fprintf(stderr, "%s:%d: %s\n", ctx->file, ctx->line, argv[1]);
			if (name[0] == 'e')
				fail(ctx, "%s", argv[1]);
		}
		return buf_take(&b);
	}
	if (!strcmp(name, "filename") && argc == 0) {
		buf_add(&b, ctx->file, strlen(ctx->file));
		return buf_take(&b);
	}
	if (!strcmp(name, "lineno") && argc == 0) {
		char tmp[32];
		snprintf(tmp, sizeof(tmp), "%d", ctx->line);
		buf_add(&b, tmp, strlen(tmp));
		return buf_take(&b);
	}
	struct macro_var *v = var_find(ctx, name);
	if (v) {
		if (!v->recursive)
			return strdup(v->value);
		/* 6.1 preprocess.c: the language has no conditionals, so a
		 * variable met again while it expands would never end (and
		 * $(X)$(X) doubles the work at each level) */
		if (v->expanding) {
			fail(ctx, "Recursive variable '%s' references itself (eventually)", name);
			return buf_take(&b);
		}
		v->expanding = 1;
		char *res = expand_args(ctx, v->value, argc, argv, depth + 1);
		v->expanding = 0;
		return res;
	}
	if (argc == 0) {
		const char *e = getenv(name);
		if (e) {
			kc_env_dep(ctx->kc, name, e);
			buf_add(&b, e, strlen(e));
		}
		return buf_take(&b);
	}
	fail(ctx, "unknown function '%s'", name);
	return buf_take(&b);
}

/* Expand one $(...) body: split at top-level commas, expand each part. */
static char *expand_ref(struct macro_ctx *ctx, const char *body, size_t len,
			int argc_outer, char **argv_outer, int depth)
{
	char *parts[MAX_ARGS + 1];
	int nparts = 0, nest = 0;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && body[i] == '(')
			nest++;
		else if (i < len && body[i] == ')')
			nest--;
		if (i == len || (body[i] == ',' && nest == 0 && nparts < MAX_ARGS)) {
			char *raw = strndup(body + start, i - start);
			if (!raw) {
				fputs("kconfig: out of memory\n", stderr);
				exit(2);
			}
			parts[nparts++] = expand_args(ctx, raw, argc_outer, argv_outer, depth + 1);
			free(raw);
			start = i + 1;
		}
	}
	char *res;
	/* $(1), $(2)...: arguments of the function being expanded */
	char *end;
	long idx = strtol(parts[0], &end, 10);
	if (nparts == 1 && *parts[0] && !*end && idx >= 1 && argv_outer) {
		res = strdup(idx <= argc_outer ? argv_outer[idx - 1] : "");
	} else {
		res = call(ctx, parts[0], nparts - 1, parts + 1, depth);
	}
	for (int i = 0; i < nparts; i++)
		free(parts[i]);
	if (!res) {
		fputs("kconfig: out of memory\n", stderr);
		exit(2);
	}
	return res;
}

static char *expand_args(struct macro_ctx *ctx, const char *in, int argc,
			 char **argv, int depth)
{
	struct buf b = {0};
	/* after an error the result is thrown away: stop expanding at once */
	if (ctx->failed)
		return buf_take(&b);
	if (depth > MAX_DEPTH) {
		fail(ctx, "%s", "recursive variable reference");
		return buf_take(&b);
	}
	const char *p = in;
	while (*p) {
		const char *d = strstr(p, "$(");
		if (!d) {
			buf_add(&b, p, strlen(p));
			break;
		}
		buf_add(&b, p, (size_t)(d - p));
		const char *q = d + 2;
		int nest = 1;
		while (*q && nest) {
			if (*q == '(')
				nest++;
			else if (*q == ')')
				nest--;
			if (nest)
				q++;
		}
		if (!*q) {
			fail(ctx, "%s", "unterminated reference to a variable or function");
			break;
		}
		char *val = expand_ref(ctx, d + 2, (size_t)(q - d - 2), argc, argv, depth);
		buf_add(&b, val, strlen(val));
		free(val);
		p = q + 1;
		if (b.n > MAX_EXPANSION) {
			fail(ctx, "%s", "expansion longer than 1 MiB (a variable that grows itself?)");
			b.n = 0;
			b.s[0] = 0;
			break;
		}
	}
	return buf_take(&b);
}

char *macro_expand(struct macro_ctx *ctx, const char *in)
{
	return expand_args(ctx, in, 0, NULL, 0);
}

int macro_assign(struct macro_ctx *ctx, const char *rawname, const char *op,
		 const char *value)
{
	char *name = macro_expand(ctx, rawname);
	size_t n = strlen(name);
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		name[--n] = 0;
	if (!*name || strpbrk(name, " \t")) {
		fail(ctx, "invalid variable name '%s'", name);
		free(name);
		return -1;
	}
	struct macro_var *v = var_find(ctx, name);
	if (!v) {
		v = kc_xmalloc(ctx->kc, sizeof(*v));
		v->name = name;
		v->value = strdup("");
		v->recursive = 1;
		v->expanding = 0;
		v->next = ctx->vars;
		ctx->vars = v;
		if (!strcmp(op, "+="))
			op = "=";
	} else {
		free(name);
	}
	char *val;
	int recursive;
	if (!strcmp(op, ":=")) {
		val = macro_expand(ctx, value);
		recursive = 0;
	} else if (!strcmp(op, "=")) {
		val = strdup(value);
		recursive = 1;
	} else { /* += keeps the variable's flavour */
		char *add = v->recursive ? strdup(value) : macro_expand(ctx, value);
		if (asprintf(&val, "%s%s%s", v->value, *v->value ? " " : "", add) < 0)
			val = NULL;
		free(add);
		recursive = v->recursive;
	}
	if (!val) {
		fputs("kconfig: out of memory\n", stderr);
		exit(2);
	}
	if (strlen(val) > MAX_EXPANSION) {
		fail(ctx, "value of '%s' longer than 1 MiB (a variable that grows itself?)", v->name);
		val[0] = 0;
	}
	free(v->value);
	v->value = val;
	v->recursive = recursive;
	return ctx->failed ? -1 : 0;
}

void macro_free(struct macro_ctx *ctx)
{
	struct macro_var *v = ctx->vars, *n;
	for (; v; v = n) {
		n = v->next;
		free(v->name);
		free(v->value);
		free(v);
	}
	ctx->vars = NULL;
}
