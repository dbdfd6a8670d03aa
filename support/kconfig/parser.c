/* Kconfig parser: reads Kconfig files line by line (with the macro language
 * expanded first, as Linux 6.1's lexer does) into the menu tree. Grammar and
 * attribute meanings follow Linux 6.1 scripts/kconfig/parser.y; `rsource`,
 * `osource`, `orsource` and globs in source paths follow Kconfiglib. */

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "preprocess.h"

void menu_finalize(struct kconfig *kc, struct kconfig_menu *parent);

struct source {
	char *text;          /* whole file */
	char *pos;
	const char *file;    /* interned path as written for messages */
	char *real;          /* its resolved path (realpath), for loop checks */
	int line;            /* line number of the last line read */
	struct source *prev;
};

enum tok_kind { T_WORD, T_STRING, T_OP, T_END };

struct token {
	enum tok_kind kind;
	char *text;
};

#define MAX_TOKENS 256
#define MAX_DEPTH 64

struct block {
	struct kconfig_menu *menu;
	const char *what;       /* "menu", "choice", "if" */
	const char *file;
	int line;
};

struct parser {
	struct kconfig *kc;
	struct macro_ctx mc;
	struct source *src;
	struct kconfig_menu *current_menu;   /* parent of new entries */
	struct kconfig_menu *current_entry;  /* target of attributes */
	struct block blocks[MAX_DEPTH];
	int nblocks;
	struct token tok[MAX_TOKENS];
	int ntok, pos;
	char *linebuf;
	int line;                            /* line the statement starts at */
	int failed;
};

static void perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void perr(struct parser *p, const char *fmt, ...)
{
	if (p->failed)
		return;
	char *m = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&m, fmt, ap) < 0)
		m = NULL;
	va_end(ap);
	kc_set_error(p->kc, "%s:%d: %s", p->src ? p->src->file : "?", p->line,
		     m ? m : "error");
	free(m);
	p->failed = 1;
}

static void pwarn(struct parser *p, const char *msg, const char *arg)
{
	FILE *w = p->kc->warn ? p->kc->warn : stderr;
	fprintf(w, "%s:%d:warning: ", p->src->file, p->line);
	fprintf(w, msg, arg);
	fputc('\n', w);
}

/* ---- files -------------------------------------------------------------- */

/* The whole file, NUL-terminated, its length in *len; NULL with errno set
 * when it cannot be read. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 8192, n = 0;
	char *s = malloc(cap);
	size_t r;
	while (s && (r = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 == cap) {
			char *t = realloc(s, cap *= 2);
			if (!t) {
				free(s);
				s = NULL;
			}
			s = t;
		}
	}
	fclose(f);
	if (!s) {
		fputs("kconfig: out of memory\n", stderr);
		exit(2);
	}
	s[n] = 0;
	*len = n;
	return s;
}

static void add_file(struct kconfig *kc, const char *path)
{
	if (kc->nfiles == kc->cfiles) {
		size_t c = kc->cfiles ? kc->cfiles * 2 : 32;
		char **n = realloc(kc->files, c * sizeof(*n));
		if (!n) {
			fputs("kconfig: out of memory\n", stderr);
			exit(2);
		}
		kc->files = n;
		kc->cfiles = c;
	}
	kc->files[kc->nfiles++] = kc_strdup(kc, path);
}

/* Open a Kconfig file: as given, else under $srctree (6.1 zconf_fopen). */
static int push_file(struct parser *p, const char *path, int optional)
{
	size_t len = 0;
	char *text = read_file(path, &len);
	const char *used = path;
	char *alt = NULL;
	if (!text && path[0] != '/' && p->kc->srctree && *p->kc->srctree) {
		if (asprintf(&alt, "%s/%s", p->kc->srctree, path) < 0)
			alt = NULL;
		if (alt && (text = read_file(alt, &len)))
			used = alt;
	}
	if (!text) {
		int e = errno;
		free(alt);
		if (optional)
			return 0;
		if (p->src)
			perr(p, "can't open file \"%s\": %s", path, strerror(e));
		else
			kc_set_error(p->kc, "%s: can't open file: %s", path, strerror(e));
		p->failed = 1;
		return -1;
	}
	/* lines are C strings: a NUL byte would silently end the file there */
	const char *nul = text ? memchr(text, 0, len) : NULL;
	if (nul) {
		int line = 1;
		for (const char *c = text; c < nul; c++)
			line += *c == '\n';
		if (!p->failed)
			kc_set_error(p->kc, "%s:%d: NUL byte in a Kconfig file", path, line);
		p->failed = 1;
		free(text);
		free(alt);
		return -1;
	}
	/* a loop is the same file by any name (./a, a, a link to a) */
	char *real = realpath(used, NULL);
	for (struct source *s = p->src; s; s = s->prev)
		if (!strcmp(s->file, path) || (real && s->real && !strcmp(s->real, real))) {
			free(text);
			free(alt);
			free(real);
			perr(p, "recursive inclusion of \"%s\"", path);
			return -1;
		}
	add_file(p->kc, used);
	struct source *s = kc_xmalloc(p->kc, sizeof(*s));
	s->text = s->pos = text;
	s->real = real;
	s->file = kc_intern(p->kc, path);
	s->prev = p->src;
	p->src = s;
	free(alt);
	return 0;
}

static void pop_file(struct parser *p)
{
	struct source *s = p->src;
	p->src = s->prev;
	free(s->text);
	free(s->real);
	free(s);
}

/* Next physical line of the current file without its newline, or NULL. */
static char *next_physical(struct parser *p)
{
	struct source *s = p->src;
	if (!*s->pos)
		return NULL;
	char *start = s->pos;
	char *nl = strchr(start, '\n');
	if (nl) {
		*nl = 0;
		s->pos = nl + 1;
	} else {
		s->pos = start + strlen(start);
	}
	size_t n = strlen(start);
	if (n && start[n - 1] == '\r')
		start[n - 1] = 0;
	s->line++;
	return start;
}

/* Next logical line (backslash-newline joined); p->line is its first line. */
static char *next_line(struct parser *p)
{
	char *l = next_physical(p);
	if (!l)
		return NULL;
	p->line = p->src->line;
	size_t n = strlen(l);
	if (!n || l[n - 1] != '\\')
		return l; /* the common case: the line in the file's own buffer */
	/* each piece is appended once to a buffer that doubles: joining costs
	 * the line's length, however many pieces it has */
	size_t cap = 2 * n + 64;
	free(p->linebuf);
	p->linebuf = kc_xmalloc(p->kc, cap);
	memcpy(p->linebuf, l, n + 1);
	while (n && p->linebuf[n - 1] == '\\') {
		p->linebuf[--n] = 0;
		char *more = next_physical(p);
		if (!more)
			break;
		size_t m = strlen(more);
		if (n + m + 1 > cap) {
			while (n + m + 1 > cap)
				cap *= 2;
			char *b = realloc(p->linebuf, cap);
			if (!b) {
				fputs("kconfig: out of memory\n", stderr);
				exit(2);
			}
			p->linebuf = b;
		}
		memcpy(p->linebuf + n, more, m + 1);
		n += m;
	}
	return p->linebuf;
}

static int indent_of(const char *s)
{
	int col = 0;
	for (; *s == ' ' || *s == '\t'; s++)
		col = *s == '\t' ? (col & ~7) + 8 : col + 1;
	return col;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* Help text: the following indented lines; the first non-blank one sets the
 * indentation that is stripped (6.1 lexer.l, HELP state). */
static char *read_help(struct parser *p)
{
	size_t cap = 256, n = 0;
	char *text = kc_xmalloc(p->kc, cap);
	int first = -1;
	size_t pending_blank = 0;
	for (;;) {
		struct source *s = p->src;
		char *save = s->pos;
		int saveline = s->line;
		char *l = next_physical(p);
		if (!l)
			break;
		if (blank(l)) {
			if (first >= 0)
				pending_blank++;
			continue;
		}
		int ind = indent_of(l);
		/* 6.1 lexer: a line at column 0, or less indented than the
		 * first help line, ends the help text */
		if (ind == 0 || (first >= 0 && ind < first)) {
			/* not help: give the line back (restore the newline) */
			size_t len = strlen(l);
			if (s->pos > l + len)
				l[len] = '\n';
			s->pos = save;
			s->line = saveline;
			break;
		}
		if (first < 0)
			first = ind;
		/* strip `first` columns of indentation */
		int col = 0;
		char *c = l;
		while (col < first && (*c == ' ' || *c == '\t')) {
			col = *c == '\t' ? (col & ~7) + 8 : col + 1;
			c++;
		}
		size_t len = strlen(c) + pending_blank + 2 + (size_t)(col > first ? col - first : 0);
		while (n + len + 1 > cap) {
			char *t = realloc(text, cap *= 2);
			if (!t) {
				fputs("kconfig: out of memory\n", stderr);
				exit(2);
			}
			text = t;
		}
		for (; pending_blank; pending_blank--)
			text[n++] = '\n';
		for (int k = first; k < col; k++)
			text[n++] = ' ';
		size_t cl = strlen(c);
		memcpy(text + n, c, cl);
		n += cl;
		text[n++] = '\n';
	}
	text[n] = 0;
	return text;
}

/* ---- tokens ------------------------------------------------------------- */

/* The operator starting at s, or NULL. Two-character ones first. */
static const char *match_op(const char *s)
{
	switch (s[0]) {
	case '&': return s[1] == '&' ? "&&" : NULL;
	case '|': return s[1] == '|' ? "||" : NULL;
	case '!': return s[1] == '=' ? "!=" : "!";
	case '<': return s[1] == '=' ? "<=" : "<";
	case '>': return s[1] == '=' ? ">=" : ">";
	case ':': return s[1] == '=' ? ":=" : NULL;
	case '+': return s[1] == '=' ? "+=" : NULL;
	case '(': return "(";
	case ')': return ")";
	case '=': return "=";
	default: return NULL;
	}
}

/* Characters that end a word: quotes, comments and operator starts. */
static int ends_word(char c)
{
	switch (c) {
	case '"': case '\'': case '#': case '&': case '|': case '!':
	case '=': case '<': case '>': case '(': case ')':
		return 1;
	default:
		return 0;
	}
}

static int tokenize(struct parser *p, char *s)
{
	p->ntok = p->pos = 0;
	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (*s == '#')
			break;
		if (p->ntok >= MAX_TOKENS - 1) {
			perr(p, "line too long");
			return -1;
		}
		struct token *t = &p->tok[p->ntok++];
		if (*s == '"' || *s == '\'') {
			char q = *s++;
			char *out = s;
			t->kind = T_STRING;
			t->text = out;
			while (*s && *s != q) {
				if (*s == '\\' && s[1])
					s++;
				*out++ = *s++;
			}
			if (*s != q) {
				perr(p, "unterminated string");
				return -1;
			}
			s++;
			/* the closing quote's slot (or earlier) holds the terminator */
			*out = 0;
			continue;
		}
		const char *op = match_op(s);
		if (op) {
			t->kind = T_OP;
			t->text = (char *)op;
			s += strlen(op);
			continue;
		}
		t->kind = T_WORD;
		t->text = s;
		while (*s && !isspace((unsigned char)*s) && !ends_word(*s))
			s++;
		if (t->text == s) {
			perr(p, "invalid character '%c'", *s);
			return -1;
		}
		if (*s && (isspace((unsigned char)*s))) {
			*s++ = 0;
		} else if (*s) {
			/* an operator follows directly: split the word off it */
			size_t wl = (size_t)(s - t->text);
			char *w = kc_xmalloc(p->kc, wl + 1);
			memcpy(w, t->text, wl);
			t->text = (char *)kc_intern(p->kc, w);
			free(w);
		}
	}
	p->tok[p->ntok].kind = T_END;
	p->tok[p->ntok].text = "";
	return 0;
}

static struct token *peek(struct parser *p)
{
	return &p->tok[p->pos];
}

static int accept_op(struct parser *p, const char *op)
{
	if (peek(p)->kind == T_OP && !strcmp(peek(p)->text, op)) {
		p->pos++;
		return 1;
	}
	return 0;
}

static int accept_word(struct parser *p, const char *w)
{
	if (peek(p)->kind == T_WORD && !strcmp(peek(p)->text, w)) {
		p->pos++;
		return 1;
	}
	return 0;
}

static int at_end(struct parser *p)
{
	return peek(p)->kind == T_END;
}

static void expect_end(struct parser *p)
{
	if (!at_end(p))
		perr(p, "unexpected '%s' at end of statement", peek(p)->text);
}

/* ---- expressions -------------------------------------------------------- */

static struct kconfig_symbol *parse_symbol(struct parser *p)
{
	struct token *t = peek(p);
	if (t->kind == T_STRING) {
		p->pos++;
		return sym_const(p->kc, t->text);
	}
	if (t->kind == T_WORD) {
		p->pos++;
		if (!strcmp(t->text, "n") || !strcmp(t->text, "m") || !strcmp(t->text, "y"))
			return sym_const(p->kc, t->text);
		return sym_lookup(p->kc, t->text, 1);
	}
	perr(p, "expected a symbol, found '%s'", t->kind == T_END ? "end of line" : t->text);
	return NULL;
}

static struct expr *parse_or(struct parser *p);

static struct expr *parse_primary(struct parser *p)
{
	if (accept_op(p, "!")) {
		struct expr *e = parse_primary(p);
		return e ? expr_new(p->kc, E_NOT, e, NULL) : NULL;
	}
	if (accept_op(p, "(")) {
		struct expr *e = parse_or(p);
		if (!e)
			return NULL;
		if (!accept_op(p, ")")) {
			perr(p, "missing ')'");
			return NULL;
		}
		return e;
	}
	struct kconfig_symbol *a = parse_symbol(p);
	if (!a)
		return NULL;
	static const struct { const char *op; enum expr_op e; } cmp[] = {
		{ "=", E_EQUAL }, { "!=", E_UNEQUAL }, { "<", E_LTH },
		{ "<=", E_LEQ }, { ">", E_GTH }, { ">=", E_GEQ },
	};
	for (size_t i = 0; i < sizeof(cmp) / sizeof(*cmp); i++)
		if (accept_op(p, cmp[i].op)) {
			struct kconfig_symbol *b = parse_symbol(p);
			return b ? expr_cmp(p->kc, cmp[i].e, a, b) : NULL;
		}
	return expr_sym(p->kc, a);
}

static struct expr *parse_and(struct parser *p)
{
	struct expr *e = parse_primary(p);
	while (e && accept_op(p, "&&")) {
		struct expr *r = parse_primary(p);
		e = r ? expr_new(p->kc, E_AND, e, r) : NULL;
	}
	return e;
}

static struct expr *parse_or(struct parser *p)
{
	struct expr *e = parse_and(p);
	while (e && accept_op(p, "||")) {
		struct expr *r = parse_and(p);
		e = r ? expr_new(p->kc, E_OR, e, r) : NULL;
	}
	return e;
}

static struct expr *parse_expr(struct parser *p)
{
	if (at_end(p)) {
		perr(p, "expected an expression");
		return NULL;
	}
	return parse_or(p);
}

/* Optional trailing `if <expr>`; NULL when absent. */
static struct expr *parse_if(struct parser *p, int *ok)
{
	*ok = 1;
	if (!accept_word(p, "if"))
		return NULL;
	struct expr *e = parse_expr(p);
	if (!e)
		*ok = 0;
	return e;
}

/* ---- tree building ------------------------------------------------------ */

static struct kconfig_menu *add_entry(struct parser *p, enum menu_kind kind,
				      struct kconfig_symbol *sym)
{
	struct kconfig_menu *m = kc_xmalloc(p->kc, sizeof(*m));
	m->kind = kind;
	m->sym = sym;
	m->parent = p->current_menu;
	m->file = p->src->file;
	m->line = p->line;
	m->all_next = p->kc->menus_all;
	p->kc->menus_all = m;
	/* append in O(1): big menus have thousands of entries */
	if (p->current_menu->last_child)
		p->current_menu->last_child->next = m;
	else
		p->current_menu->list = m;
	p->current_menu->last_child = m;
	if (sym && !sym->first_node)
		sym->first_node = m;
	p->current_entry = m;
	return m;
}

static struct property *add_prop(struct parser *p, enum prop_type type,
				 struct expr *cond)
{
	struct property *pr = kc_xmalloc(p->kc, sizeof(*pr));
	pr->type = type;
	pr->cond = cond;
	pr->menu = p->current_entry;
	pr->file = p->src->file;
	pr->line = p->line;
	struct kconfig_symbol *s = p->current_entry->sym;
	if (s) {
		struct property **pp = &s->props;
		while (*pp)
			pp = &(*pp)->next;
		*pp = pr;
	} else {
		pr->next = p->kc->props_all;
		p->kc->props_all = pr;
	}
	return pr;
}

static void add_prompt(struct parser *p, const char *text, struct expr *cond)
{
	while (isspace((unsigned char)*text))
		text++;
	/* the `visible if` of every enclosing menu limits the prompt */
	for (struct kconfig_menu *m = p->current_entry->parent; m; m = m->parent)
		if (m->visibility)
			cond = expr_and(p->kc, cond, m->visibility);
	if (p->current_entry->prompt)
		pwarn(p, "prompt redefined%s", "");
	struct property *pr = add_prop(p, P_PROMPT, cond);
	pr->text = kc_intern(p->kc, text);
	p->current_entry->prompt = pr;
}

static void set_type(struct parser *p, enum kconfig_type t)
{
	struct kconfig_symbol *s = p->current_entry->sym;
	if (!s) {
		perr(p, "type given outside a config entry");
		return;
	}
	if (s->type == t)
		return;
	if (s->type == KCONFIG_UNKNOWN) {
		s->type = t;
		return;
	}
	pwarn(p, "ignoring type redefinition of '%s'", s->name ? s->name : "<choice>");
}

static int entry_is(struct parser *p, int symbol_needed)
{
	if (!p->current_entry || p->current_entry->kind == M_ROOT ||
	    p->current_entry->kind == M_IF) {
		perr(p, "attribute '%s' outside an entry", p->tok[0].text);
		return 0;
	}
	if (symbol_needed && !p->current_entry->sym) {
		perr(p, "attribute '%s' is only valid for config and choice entries",
		     p->tok[0].text);
		return 0;
	}
	return 1;
}

static void push_block(struct parser *p, const char *what)
{
	if (p->nblocks == MAX_DEPTH) {
		perr(p, "too deeply nested");
		return;
	}
	p->blocks[p->nblocks++] = (struct block){ p->current_entry, what, p->src->file, p->line };
	p->current_menu = p->current_entry;
}

static void pop_block(struct parser *p, const char *what)
{
	if (!p->nblocks || strcmp(p->blocks[p->nblocks - 1].what, what)) {
		perr(p, "unexpected 'end%s'%s%s", what,
		     p->nblocks ? ", open block is " : "",
		     p->nblocks ? p->blocks[p->nblocks - 1].what : "");
		return;
	}
	p->nblocks--;
	p->current_menu = p->current_menu->parent;
	p->current_entry = NULL;
}

/* Old-style $VAR and ${VAR} in a source path, from the environment (as
 * Kconfiglib and pre-4.18 kernels read them; BusyBox-era trees use them). */
static char *expand_env_path(struct parser *p, const char *in)
{
	size_t cap = strlen(in) + 1, n = 0;
	char *out = kc_xmalloc(p->kc, cap);
	while (*in) {
		if (in[0] == '$' && (in[1] == '{' || isalpha((unsigned char)in[1]) || in[1] == '_')) {
			const char *start = in + 1 + (in[1] == '{');
			const char *end = start;
			while (isalnum((unsigned char)*end) || *end == '_')
				end++;
			if (in[1] == '{' && *end != '}') {
				out[n++] = *in++;
				continue;
			}
			char name[256];
			snprintf(name, sizeof(name), "%.*s", (int)(end - start), start);
			const char *v = getenv(name);
			kc_env_dep(p->kc, name, v ? v : "");
			v = v ? v : "";
			size_t vl = strlen(v);
			char *bigger = realloc(out, cap += vl);
			if (!bigger) {
				fputs("kconfig: out of memory\n", stderr);
				exit(2);
			}
			out = bigger;
			memcpy(out + n, v, vl);
			n += vl;
			in = end + (in[1] == '{');
			continue;
		}
		out[n++] = *in++;
	}
	out[n] = 0;
	return out;
}

static int do_source(struct parser *p, const char *kw, const char *raw_arg)
{
	char *arg = expand_env_path(p, raw_arg);
	int relative = kw[0] == 'r' || (kw[0] == 'o' && kw[1] == 'r');
	int optional = kw[0] == 'o';
	char *path = NULL;
	if (relative) {
		char *d = strdup(p->src->file);
		if (!d || asprintf(&path, "%s/%s", dirname(d), arg) < 0)
			path = NULL;
		free(d);
	} else {
		path = strdup(arg);
	}
	if (!path) {
		fputs("kconfig: out of memory\n", stderr);
		exit(2);
	}
	int rc = 0;
	if (strpbrk(path, "*?[")) {
		glob_t g;
		char *pat = path;
		char *alt = NULL;
		int r = glob(pat, 0, NULL, &g);
		if (r == GLOB_NOMATCH && path[0] != '/' && p->kc->srctree && *p->kc->srctree) {
			globfree(&g);
			if (asprintf(&alt, "%s/%s", p->kc->srctree, path) >= 0)
				r = glob(alt, 0, NULL, &g);
		}
		if (r == GLOB_NOMATCH && !optional) {
			perr(p, "'%s' does not match any file", path);
			rc = -1;
		}
		/* files are parsed in sorted order, each to its end, last first
		 * pushed so the first is read first */
		if (r == 0) {
			for (size_t i = g.gl_pathc; i-- > 0 && rc == 0;)
				rc = push_file(p, g.gl_pathv[i], 0);
		}
		globfree(&g);
		free(alt);
	} else {
		rc = push_file(p, path, optional);
	}
	free(path);
	free(arg);
	return rc;
}

static const char *const kinds[] = { "bool", "tristate", "int", "hex", "string", "boolean" };

static int type_of(const char *w, enum kconfig_type *t)
{
	static const enum kconfig_type ts[] = { KCONFIG_BOOL, KCONFIG_TRISTATE,
		KCONFIG_INT, KCONFIG_HEX, KCONFIG_STRING, KCONFIG_BOOL };
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strcmp(w, kinds[i])) {
			*t = ts[i];
			return 1;
		}
	return 0;
}

/* w is the keyword k (first character checked before the rest) */
static int kw(const char *w, const char *k)
{
	return w[0] == k[0] && !strcmp(w, k);
}

static void statement(struct parser *p)
{
	struct kconfig *kc = p->kc;
	struct token *t0 = &p->tok[0];
	const char *w = t0->text;
	int ok;
	enum kconfig_type ty = KCONFIG_UNKNOWN;
	p->pos = 1;

	if (t0->kind != T_WORD) {
		perr(p, "unexpected '%s'", w);
		return;
	}
	if (kw(w, "config") || kw(w, "menuconfig")) {
		struct token *n = peek(p);
		if (n->kind != T_WORD) {
			perr(p, "expected a symbol name after '%s'", w);
			return;
		}
		p->pos++;
		expect_end(p);
		struct kconfig_symbol *s = sym_lookup(kc, n->text, 1);
		s->flags |= SYM_OPTIONAL;
		struct kconfig_menu *m = add_entry(p, M_SYMBOL, s);
		m->is_menuconfig = w[0] == 'm';
	} else if (kw(w, "choice")) {
		struct kconfig_symbol *s;
		if (peek(p)->kind == T_WORD) {
			s = sym_lookup(kc, peek(p)->text, 1);
			p->pos++;
		} else {
			s = kc_xmalloc(kc, sizeof(*s));
			s->curr_str = "";
			/* unnamed choices are kept in the symbol list for freeing
			 * and iteration, but have no name */
			if (kc->sym_last)
				kc->sym_last->list_next = s;
			else
				kc->sym_first = s;
			kc->sym_last = s;
		}
		expect_end(p);
		s->flags |= SYM_CHOICE | SYM_NO_WRITE;
		add_entry(p, M_CHOICE, s);
		push_block(p, "choice");
	} else if (kw(w, "endchoice") || kw(w, "endmenu") || kw(w, "endif")) {
		expect_end(p);
		pop_block(p, w + 3);
	} else if (kw(w, "menu") || kw(w, "comment") || kw(w, "mainmenu")) {
		struct token *s = peek(p);
		if (s->kind != T_STRING) {
			perr(p, "expected a quoted prompt after '%s'", w);
			return;
		}
		p->pos++;
		expect_end(p);
		if (w[1] == 'a') {
			free(kc->mainmenu);
			kc->mainmenu = kc_strdup(kc, s->text);
			return;
		}
		add_entry(p, w[0] == 'm' ? M_MENU : M_COMMENT, NULL);
		add_prompt(p, s->text, NULL);
		if (w[0] == 'm')
			push_block(p, "menu");
	} else if (kw(w, "if")) {
		struct expr *e = parse_expr(p);
		if (!e)
			return;
		expect_end(p);
		struct kconfig_menu *m = add_entry(p, M_IF, NULL);
		m->dep = e;
		push_block(p, "if");
	} else if (kw(w, "source") || kw(w, "rsource") ||
		   kw(w, "osource") || kw(w, "orsource")) {
		struct token *s = peek(p);
		if (s->kind != T_STRING && s->kind != T_WORD) {
			perr(p, "expected a file name after '%s'", w);
			return;
		}
		p->pos++;
		expect_end(p);
		do_source(p, w, s->text);
	} else if (type_of(w, &ty) || kw(w, "def_bool") || kw(w, "def_tristate")) {
		if (!entry_is(p, 1))
			return;
		if (w[0] == 'd') {
			set_type(p, w[4] == 'b' ? KCONFIG_BOOL : KCONFIG_TRISTATE);
			struct expr *e = parse_expr(p);
			struct expr *c = e ? parse_if(p, &ok) : NULL;
			if (!e || !ok)
				return;
			expect_end(p);
			add_prop(p, P_DEFAULT, c)->expr = e;
			return;
		}
		set_type(p, ty);
		if (peek(p)->kind == T_STRING) {
			const char *text = peek(p)->text;
			p->pos++;
			struct expr *c = parse_if(p, &ok);
			if (!ok)
				return;
			expect_end(p);
			add_prompt(p, text, c);
		} else {
			expect_end(p);
		}
	} else if (kw(w, "prompt")) {
		if (!entry_is(p, 0))
			return;
		if (peek(p)->kind != T_STRING) {
			perr(p, "expected a quoted prompt");
			return;
		}
		const char *text = peek(p)->text;
		p->pos++;
		struct expr *c = parse_if(p, &ok);
		if (!ok)
			return;
		expect_end(p);
		add_prompt(p, text, c);
	} else if (kw(w, "default")) {
		if (!entry_is(p, 1))
			return;
		struct expr *e = parse_expr(p);
		struct expr *c = e ? parse_if(p, &ok) : NULL;
		if (!e || !ok)
			return;
		expect_end(p);
		if ((p->current_entry->sym->flags & SYM_CHOICE) && e->op != E_SYMBOL) {
			perr(p, "a choice default must be a symbol");
			return;
		}
		add_prop(p, P_DEFAULT, c)->expr = e;
	} else if (kw(w, "depends")) {
		if (!accept_word(p, "on")) {
			perr(p, "expected 'on' after 'depends'");
			return;
		}
		if (!entry_is(p, 0))
			return;
		struct expr *e = parse_expr(p);
		if (!e)
			return;
		expect_end(p);
		p->current_entry->dep = expr_and(kc, p->current_entry->dep, e);
	} else if (kw(w, "visible")) {
		if (!accept_word(p, "if")) {
			perr(p, "expected 'if' after 'visible'");
			return;
		}
		if (!entry_is(p, 0))
			return;
		struct expr *e = parse_expr(p);
		if (!e)
			return;
		expect_end(p);
		p->current_entry->visibility = expr_and(kc, p->current_entry->visibility, e);
	} else if (kw(w, "select") || kw(w, "imply")) {
		if (!entry_is(p, 1))
			return;
		struct token *n = peek(p);
		if (n->kind != T_WORD) {
			perr(p, "expected a symbol after '%s'", w);
			return;
		}
		p->pos++;
		/* the target is looked up before the condition, as in 6.1, so
		 * symbols are created in the same order (randconfig depends on it) */
		struct kconfig_symbol *target = sym_lookup(kc, n->text, 1);
		struct expr *c = parse_if(p, &ok);
		if (!ok)
			return;
		expect_end(p);
		struct property *pr = add_prop(p, w[0] == 's' ? P_SELECT : P_IMPLY, c);
		pr->target = target;
	} else if (kw(w, "range")) {
		if (!entry_is(p, 1))
			return;
		struct kconfig_symbol *a = parse_symbol(p);
		struct kconfig_symbol *b = a ? parse_symbol(p) : NULL;
		struct expr *c = b ? parse_if(p, &ok) : NULL;
		if (!b || !ok)
			return;
		expect_end(p);
		struct property *pr = add_prop(p, P_RANGE, c);
		pr->target = a;
		pr->target2 = b;
	} else if (kw(w, "help") || kw(w, "---help---")) {
		expect_end(p);
		if (!entry_is(p, 0))
			return;
		char *h = read_help(p);
		if (p->current_entry->help) {
			pwarn(p, "help text redefined%s", "");
			free(p->current_entry->help);
		}
		p->current_entry->help = h;
	} else if (kw(w, "optional")) {
		expect_end(p);
		if (!entry_is(p, 1))
			return;
		if (!(p->current_entry->sym->flags & SYM_CHOICE)) {
			perr(p, "'optional' is only valid for choices");
			return;
		}
		p->current_entry->sym->flags |= SYM_OPTIONAL;
	} else if (kw(w, "modules")) {
		expect_end(p);
		if (!entry_is(p, 1))
			return;
		if (kc->modules)
			pwarn(p, "'modules' defined twice, keeping %s", kc->modules->name);
		else
			kc->modules = p->current_entry->sym;
	} else if (kw(w, "option")) {
		if (!entry_is(p, 1))
			return;
		struct token *o = peek(p);
		p->pos++;
		if (o->kind != T_WORD) {
			perr(p, "expected an option name");
			return;
		}
		if (!strcmp(o->text, "modules")) {
			if (!kc->modules)
				kc->modules = p->current_entry->sym;
		} else if (!strcmp(o->text, "allnoconfig_y")) {
			p->current_entry->sym->flags |= SYM_ALLNOCONFIG_Y;
		} else if (!strcmp(o->text, "defconfig_list")) {
			/* the files to start from when there is no .config
			 * (kconfig_defconfig_list_file) */
			if (!kc->defconfig_list)
				kc->defconfig_list = p->current_entry->sym;
		} else if (!strcmp(o->text, "env") && accept_op(p, "=") && peek(p)->kind != T_END) {
			/* legacy form: the symbol defaults to the variable's value */
			const char *var = peek(p)->text;
			const char *val = getenv(var);
			p->pos++;
			kc_env_dep(kc, var, val ? val : "");
			if (val)
				add_prop(p, P_DEFAULT, NULL)->expr = expr_sym(kc, sym_const(kc, val));
		} else {
			pwarn(p, "ignoring unknown option \"%s\"", o->text);
			p->pos = p->ntok;
		}
		expect_end(p);
	} else {
		perr(p, "unknown statement \"%s\"", w);
	}
}

/* `NAME op VALUE` with op := = += and NAME possibly built from $(...):
 * recognized on the raw line, as 6.1's lexer does, before expansion. */
static int is_assignment(const char *s)
{
	int nest = 0;
	const char *w = s;
	for (; *s; s++) {
		if (s[0] == '$' && s[1] == '(') {
			nest++;
			s++;
			continue;
		}
		if (nest) {
			if (*s == '(')
				nest++;
			else if (*s == ')')
				nest--;
			continue;
		}
		if (isspace((unsigned char)*s) || *s == '=' || *s == ':' || *s == '+' ||
		    *s == '"' || *s == '\'' || *s == '#')
			break;
	}
	if (s == w)
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	return !strncmp(s, ":=", 2) || !strncmp(s, "+=", 2) || (*s == '=' && s[1] != '=');
}

static void statement_assign(struct parser *p, char *raw)
{
	char *eq = raw;
	int nest = 0;
	for (; *eq; eq++) {
		if (eq[0] == '$' && eq[1] == '(') {
			nest++;
			eq++;
		} else if (nest && *eq == '(') {
			nest++;
		} else if (nest && *eq == ')') {
			nest--;
		} else if (!nest && (isspace((unsigned char)*eq) || strchr(":+=", *eq))) {
			break;
		}
	}
	char *op = eq;
	while (isspace((unsigned char)*op))
		op++;
	const char *opname = !strncmp(op, ":=", 2) ? ":=" : !strncmp(op, "+=", 2) ? "+=" : "=";
	char *val = op + strlen(opname);
	while (isspace((unsigned char)*val))
		val++;
	*eq = 0;
	p->mc.file = p->src->file;
	p->mc.line = p->line;
	if (macro_assign(&p->mc, raw, opname, val))
		p->failed = 1;
}

static void parse_all(struct parser *p)
{
	while (p->src && !p->failed) {
		char *raw = next_line(p);
		if (!raw) {
			pop_file(p);
			continue;
		}
		if (blank(raw))
			continue;
		char *start = raw + strspn(raw, " \t");
		if (*start == '#')
			continue;
		/* assignments keep their raw right-hand side: `=` expands late */
		if (is_assignment(start)) {
			statement_assign(p, start);
			continue;
		}
		p->mc.file = p->src->file;
		p->mc.line = p->line;
		/* most lines have no macro: they are tokenized in place */
		char *expanded = strstr(start, "$(") ? macro_expand(&p->mc, start) : NULL;
		char *line = expanded ? expanded : start;
		if (p->mc.failed) {
			p->failed = 1;
			free(expanded);
			break;
		}
		if (tokenize(p, line) == 0 && p->ntok > 0)
			statement(p);
		/* tokens point into line, which must outlive the statement only */
		free(expanded);
	}
}

int kc_parse(struct kconfig *kc, const char *path)
{
	struct parser p = {0};
	p.kc = kc;
	p.mc.kc = kc;
	p.current_menu = &kc->root;
	p.current_entry = &kc->root;
	kc->root.kind = M_ROOT;
	if (push_file(&p, path, 0)) {
		macro_free(&p.mc);
		return -1;
	}
	parse_all(&p);
	if (!p.failed && p.nblocks) {
		struct block *b = &p.blocks[p.nblocks - 1];
		kc_set_error(kc, "%s:%d: missing 'end%s' for this '%s'", b->file, b->line,
			     b->what, b->what);
		p.failed = 1;
	}
	while (p.src)
		pop_file(&p);
	free(p.linebuf);
	macro_free(&p.mc);
	if (p.failed)
		return -1;
	if (!kc->modules)
		kc->modules = &kc->sym_n;
	menu_finalize(kc, &kc->root);
	return kc_check_deps(kc);
}
