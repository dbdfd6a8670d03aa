/* Reading a disk layout in genimage's configuration format: layout.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "layout.h"

#define LAYOUT_FILE_MAX (1 << 20)   /* a layout is a few hundred bytes */
#define TOKEN_MAX 256

enum tok { T_EOF, T_WORD, T_STRING, T_OPEN, T_CLOSE, T_EQUAL, T_ERROR };

struct lexer {
	const char *path;
	const char *p;          /* the next character */
	int line;
	char text[TOKEN_MAX];   /* the last word or string */
	int tok_line;
};

static int error(struct lexer *lx, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s:%d: ", lx->path, lx->tok_line);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return -1;
}

static void skip_blanks(struct lexer *lx)
{
	for (;;) {
		if (*lx->p == '\n') {
			lx->line++;
			lx->p++;
		} else if (isspace((unsigned char)*lx->p) || *lx->p == ';') {
			lx->p++;
		} else if (*lx->p == '#' || (lx->p[0] == '/' && lx->p[1] == '/')) {
			while (*lx->p && *lx->p != '\n')
				lx->p++;
		} else if (lx->p[0] == '/' && lx->p[1] == '*') {
			lx->p += 2;
			while (*lx->p && !(lx->p[0] == '*' && lx->p[1] == '/'))
				lx->line += *lx->p++ == '\n';
			if (*lx->p)
				lx->p += 2;
		} else {
			return;
		}
	}
}

static int is_word_char(int c)
{
	return isalnum(c) || strchr("_-.+/:", c);
}

static enum tok next(struct lexer *lx)
{
	skip_blanks(lx);
	lx->tok_line = lx->line;
	char c = *lx->p;
	if (!c)
		return T_EOF;
	if (c == '{' || c == '}' || c == '=') {
		lx->p++;
		return c == '{' ? T_OPEN : c == '}' ? T_CLOSE : T_EQUAL;
	}
	size_t n = 0;
	if (c == '"') {
		for (lx->p++; *lx->p != '"'; lx->p++) {
			char ch = *lx->p;
			if (!ch || ch == '\n') {
				error(lx, "%s", "a string runs to the end of the line");
				return T_ERROR;
			}
			if (ch == '\\' && lx->p[1])
				ch = *++lx->p;
			if (n + 1 >= sizeof(lx->text)) {
				error(lx, "a string over %s bytes", "255");
				return T_ERROR;
			}
			lx->text[n++] = ch;
		}
		lx->p++;
		lx->text[n] = 0;
		return T_STRING;
	}
	if (!is_word_char((unsigned char)c)) {
		char s[2] = { c, 0 };
		error(lx, "unexpected '%s'", s);
		return T_ERROR;
	}
	while (is_word_char((unsigned char)*lx->p)) {
		if (n + 1 >= sizeof(lx->text)) {
			error(lx, "a word over %s bytes", "255");
			return T_ERROR;
		}
		lx->text[n++] = *lx->p++;
	}
	lx->text[n] = 0;
	return T_WORD;
}

int layout_parse_size(const char *text, uint64_t *bytes)
{
	char *end;
	if (!isdigit((unsigned char)*text))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno)
		return -1;
	unsigned shift = 0;
	if (*end == 'k' || *end == 'K')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	else if (*end)
		return -1;
	if (shift && end[1])
		return -1;
	if (v > (UINT64_MAX >> shift))
		return -1;
	*bytes = (uint64_t)v << shift;
	return 0;
}

int layout_is_guid(const char *t)
{
	static const int dash[] = { 8, 13, 18, 23 };
	if (strlen(t) != 36)
		return 0;
	for (int i = 0, d = 0; i < 36; i++) {
		if (d < 4 && i == dash[d]) {
			if (t[i] != '-')
				return 0;
			d++;
		} else if (!isxdigit((unsigned char)t[i])) {
			return 0;
		}
	}
	return 1;
}

/* genimage's one-letter GPT type shortcuts */
static const char *type_guid(const char *v)
{
	static const struct { const char *k, *guid; } types[] = {
		{ "L", "0fc63daf-8483-4772-8e79-3d69d8477de4" },   /* Linux filesystem */
		{ "S", "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f" },   /* Linux swap */
		{ "H", "933ac7e1-2eb4-4f13-b844-0e14e2aef915" },   /* Linux /home */
		{ "U", "c12a7328-f81f-11d2-ba4b-00a0c93ec93b" },   /* EFI System */
		{ "F", "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7" },   /* FAT (basic data) */
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(v, types[i].k))
			return types[i].guid;
	return layout_is_guid(v) ? v : NULL;
}

static int copy_text(struct lexer *lx, char *dst, size_t size, const char *what)
{
	if (strlen(lx->text) >= size)
		return error(lx, "%s: too long", what);
	strcpy(dst, lx->text);
	return 0;
}

static int bool_value(struct lexer *lx, int *out)
{
	const char *v = lx->text;
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off"))
		*out = 0;
	else
		return error(lx, "'%s' is not true or false", v);
	return 0;
}

/* `= value` after an option's name: the value in lx->text */
static int value(struct lexer *lx, const char *key)
{
	if (next(lx) != T_EQUAL)
		return error(lx, "%s: '=' and a value expected", key);
	enum tok t = next(lx);
	if (t != T_WORD && t != T_STRING)
		return t == T_ERROR ? -1 : error(lx, "%s: a value expected", key);
	return 0;
}

static int partition_option(struct lexer *lx, struct layout_part *p, const char *key)
{
	if (value(lx, key))
		return -1;
	const char *v = lx->text;
	if (!strcmp(key, "image")) {
		if (!*v || strchr(v, '/') || !strcmp(v, ".") || !strcmp(v, ".."))
			return error(lx, "image: '%s' is not a file name of the images folder", v);
		return copy_text(lx, p->image, sizeof(p->image), key);
	}
	if (!strcmp(key, "size") || !strcmp(key, "offset"))
		return layout_parse_size(v, !strcmp(key, "size") ? &p->size : &p->offset) ?
			error(lx, "'%s' is not a size (a number with K, M or G)", v) : 0;
	if (!strcmp(key, "partition-type-uuid")) {
		const char *g = type_guid(v);
		if (!g)
			return error(lx, "partition-type-uuid: '%s' is neither L, S, H, U, F nor a GUID", v);
		snprintf(p->type, sizeof(p->type), "%s", g);
		return 0;
	}
	if (!strcmp(key, "partition-uuid")) {
		if (!layout_is_guid(v))
			return error(lx, "partition-uuid: '%s' is not a GUID", v);
		return copy_text(lx, p->uuid, sizeof(p->uuid), key);
	}
	if (!strcmp(key, "bootable"))
		return bool_value(lx, &p->bootable);
	if (!strcmp(key, "in-partition-table")) {
		int in;
		if (bool_value(lx, &in))
			return -1;
		return in ? 0 : error(lx, "%s", "in-partition-table = false is not supported");
	}
	return error(lx, "unknown partition option '%s'", key);
}

static int hdimage_option(struct lexer *lx, struct layout *l, const char *key)
{
	if (value(lx, key))
		return -1;
	if (!strcmp(key, "partition-table-type")) {
		if (strcmp(lx->text, "gpt"))
			return error(lx, "partition-table-type '%s': only gpt is written", lx->text);
		return 0;
	}
	if (!strcmp(key, "gpt")) {
		int gpt;
		if (bool_value(lx, &gpt))
			return -1;
		return gpt ? 0 : error(lx, "%s", "gpt = false: only gpt is written");
	}
	if (!strcmp(key, "disk-uuid")) {
		if (!layout_is_guid(lx->text))
			return error(lx, "disk-uuid: '%s' is not a GUID", lx->text);
		return copy_text(lx, l->disk_uuid, sizeof(l->disk_uuid), key);
	}
	return error(lx, "unknown hdimage option '%s'", key);
}

/* The options of a section up to its '}': each `key = value`, given to fn. */
typedef int (*option_fn)(struct lexer *lx, void *ctx, const char *key);

static int section(struct lexer *lx, option_fn fn, void *ctx, const char *what)
{
	if (next(lx) != T_OPEN)
		return error(lx, "%s: '{' expected", what);
	for (;;) {
		enum tok t = next(lx);
		if (t == T_CLOSE)
			return 0;
		if (t == T_EOF)
			return error(lx, "%s: the file ends before its '}'", what);
		if (t != T_WORD)
			return t == T_ERROR ? -1 : error(lx, "%s: an option or '}' expected", what);
		char key[TOKEN_MAX];
		snprintf(key, sizeof(key), "%s", lx->text);
		if (fn(lx, ctx, key))
			return -1;
	}
}

static int part_fn(struct lexer *lx, void *ctx, const char *key)
{
	return partition_option(lx, ctx, key);
}

static int hd_fn(struct lexer *lx, void *ctx, const char *key)
{
	return hdimage_option(lx, ctx, key);
}

static int image_fn(struct lexer *lx, void *ctx, const char *key)
{
	struct layout *l = ctx;
	if (!strcmp(key, "hdimage"))
		return section(lx, hd_fn, l, "hdimage");
	if (!strcmp(key, "size")) {
		if (value(lx, key))
			return -1;
		return layout_parse_size(lx->text, &l->size) ?
			error(lx, "'%s' is not a size (a number with K, M or G)", lx->text) : 0;
	}
	if (strcmp(key, "partition"))
		return error(lx, "'%s': only hdimage, partition and size are read in an image", key);
	enum tok t = next(lx);
	if (t != T_WORD && t != T_STRING)
		return t == T_ERROR ? -1 : error(lx, "%s", "partition: a name expected");
	if (l->nparts == LAYOUT_PARTS_MAX)
		return error(lx, "more than %s partitions", "128");
	struct layout_part *p = &l->parts[l->nparts];
	p->line = lx->tok_line;
	if (copy_text(lx, p->name, sizeof(p->name), "partition name"))
		return -1;
	for (size_t i = 0; i < l->nparts; i++)
		if (!strcmp(l->parts[i].name, p->name))
			return error(lx, "partition '%s' given twice", p->name);
	if (section(lx, part_fn, p, "partition"))
		return -1;
	if (!p->type[0])
		snprintf(p->type, sizeof(p->type), "%s", type_guid("L"));
	if (!p->image[0] && !p->size)
		return error(lx, "partition '%s': neither an image nor a size", p->name);
	l->nparts++;
	return 0;
}

int layout_read(const char *path, struct layout *out)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	char *text = malloc(LAYOUT_FILE_MAX + 1);
	if (!text) {
		fclose(f);
		fprintf(stderr, "%s: out of memory\n", path);
		return -1;
	}
	size_t n = fread(text, 1, LAYOUT_FILE_MAX + 1, f);
	int bad = ferror(f);
	fclose(f);
	if (bad || n > LAYOUT_FILE_MAX || memchr(text, 0, n)) {
		fprintf(stderr, "%s: %s\n", path, bad ? "cannot be read" :
			n > LAYOUT_FILE_MAX ? "over 1 MiB: not a layout" : "holds a NUL byte");
		free(text);
		return -1;
	}
	text[n] = 0;
	struct lexer lx = { .path = path, .p = text, .line = 1, .tok_line = 1 };
	int rc = 0;
	for (enum tok t; !rc && (t = next(&lx)) != T_EOF;) {
		if (t != T_WORD || strcmp(lx.text, "image")) {
			rc = t == T_ERROR ? -1 : error(&lx, "%s", "'image <name> { ... }' expected");
			break;
		}
		if (out->image[0]) {
			rc = error(&lx, "%s", "a second image: a layout describes one disk");
			break;
		}
		t = next(&lx);
		if (t != T_WORD && t != T_STRING) {
			rc = t == T_ERROR ? -1 : error(&lx, "%s", "image: a file name expected");
			break;
		}
		if (strchr(lx.text, '/') || !strcmp(lx.text, "..") || !strcmp(lx.text, ".")) {
			rc = error(&lx, "image '%s': a file name of the images folder", lx.text);
			break;
		}
		rc = copy_text(&lx, out->image, sizeof(out->image), "image name");
		if (!rc)
			rc = section(&lx, image_fn, out, "image");
	}
	if (!rc && !out->image[0])
		rc = error(&lx, "%s", "no image");
	if (!rc && !out->nparts)
		rc = error(&lx, "image %s: no partition", out->image);
	free(text);
	return rc;
}
