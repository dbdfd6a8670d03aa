/* <tuple>-gcc: the toolchain's gcc aimed at tinyroot's musl sysroot.
 *
 * Installed as $(HOST_DIR)/bin/<tuple>-gcc (and -cc); finds the sysroot at
 * ../<tuple>/sysroot from its own location, so the SDK can be moved. The
 * compiler it drives and the architecture's flags are compiled in from the
 * configuration (toolchain/toolchain.mk): TR_TOOLCHAIN_CC is the host's gcc
 * or Debian's cross gcc (aarch64-linux-gnu-gcc, ...), TR_ARCH_CFLAGS
 * space-separated flags every compilation gets. TR_WRAPPER_CC in the
 * environment names another compiler for one run.
 *
 * Like musl's own musl-gcc.specs it replaces the compiler's headers and start
 * files: -nostdinc with the sysroot's and gcc's own include folders, and on a
 * final link crt1.o/crti.o/crtbegin*.o ... -lc libgcc crtend*.o/crtn.o. A link
 * that asks for -nostdlib, -nostartfiles or -r (BusyBox's partial links) gets
 * none of the start files or libraries, as gcc itself would do.
 *
 * Links are static unless TR_DYNAMIC_LOADER is compiled in (the "shared"
 * libraries choices, toolchain/toolchain.mk): then a program is linked
 * dynamically, with musl's loader (/lib/ld-musl-<arch>.so.1) as its
 * interpreter, unless it asks for -static; -shared makes a shared object
 * (crtbeginS.o/crtendS.o, no crt1.o). Programs are not position-independent
 * unless -pie is asked for (Debian's gcc would make PIE by default, which
 * needs the other start files).
 *
 * A package that passes the build machine's own header or library folders
 * (-I/usr/include, -L/usr/lib, ...) would mix host files into a target
 * binary: the wrapper refuses it, as Buildroot's does ("unsafe path"). Every
 * path argument is normalised first (the working folder, //, ., .., links,
 * "=" for the sysroot, -iprefix + -iwithprefix), wherever it is written
 * (-I, -L, -B, -isystem, -idirafter, -iquote, -include, --sysroot and their
 * long spellings; -Wl, -Xlinker, -Wp, -Xpreprocessor; response files; input
 * files such as /usr/lib/.../libz.a): what lands in /usr/include, /usr/lib*,
 * /lib*, /usr/local/{include,lib*} or a Debian cross libc (/usr/<triplet>)
 * outside the sysroot is refused, and so is any sysroot but ours.
 *
 * What gcc and ld search without being asked is kept to the sysroot too:
 * the environment's search variables (CPATH, LIBRARY_PATH, ...) are cleared;
 * --sysroot makes ld's own SEARCH_DIR("=/usr/lib") folders the sysroot's;
 * and a link gets specs that empty gcc's link_libgcc (the -L of each of
 * gcc's library folders, /usr/lib/<triplet> and /usr/lib among them, which
 * -nostdlib keeps), so that a plain -lz finds the sysroot's libz or none.
 *
 * Called as tinyroot-toolchain-gcc it is the toolchain's own gcc with nothing
 * added: the kernel and musl (which bring their own headers and start files)
 * build through it, so that the launcher below serves them too (the search
 * variables are cleared for them as well).
 *
 * TR_WRAPPER_LAUNCHER in the environment names a program the compiler runs
 * under: "ccache" or "distcc" (tinyroot's make sets it from TR_CCACHE and
 * TR_DISTCC_HOSTS, toolchain/launcher.mk; ccache sends its misses to distcc
 * through its own CCACHE_PREFIX). Unset, as in the SDK, the compiler runs
 * alone.
 *
 * Called as <tuple>-g++ or <tuple>-c++ it drives the toolchain's g++
 * (TR_TOOLCHAIN_CXX; TR_WRAPPER_CXX in the environment for one run) the same
 * way, with LLVM's libc++ in place of the compiler's own C++ library (built
 * against glibc): the sysroot's usr/include/c++/v1 comes before the C
 * headers (libc++'s headers wrap musl's with #include_next), and a link
 * gets -lc++ -lc++abi -lunwind (libc++, its ABI library and LLVM's
 * unwinder; package/libcxx) beside -lc, and --eh-frame-hdr. -nostdlib++
 * (gcc 13's and clang's option, which gcc 12 lacks) leaves those three out
 * and keeps the rest: libc++'s own build links that way. -nostdinc++
 * leaves libc++'s headers out (libc++'s build names its own); the wrapper
 * applies both and passes neither on.
 *
 * Questions about the toolchain are answered for the sysroot, as a
 * toolchain built for it would answer them (other build systems'
 * external-toolchain checks ask them): -print-sysroot prints the sysroot,
 * -dumpmachine the tuple (the compiler's own names glibc: x86_64-linux-gnu);
 * -print-file-name=<lib> names the sysroot's file, else gcc's own runtime
 * files (crt*.o, libgcc.a, libgcc_eh.a, its include folders), else the
 * bare name, as gcc answers for a file it does not have (never a file of
 * the build machine's other than gcc's own, nor a C++ library built against
 * glibc); -print-multiarch an empty line (musl has no multiarch names).
 * The questions are answered after the command line's paths are checked,
 * and only a command line with no input file is a question: gcc -v t.o -o t
 * is a link like any other.
 *
 * The files a link gets after the command line's (libraries, crtend.o,
 * crtn.o) follow -x none when the command line set a language with -x: gcc
 * would read them as sources of that language (gcc -x c - -o out).
 *
 * TR_WRAPPER_DEBUG=1 prints the command line. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef TR_TOOLCHAIN_CC
#define TR_TOOLCHAIN_CC "gcc"
#endif
#ifndef TR_TOOLCHAIN_CXX
#define TR_TOOLCHAIN_CXX "g++"
#endif
#ifndef TR_ARCH_CFLAGS
#define TR_ARCH_CFLAGS ""
#endif

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "tinyroot wrapper: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(1);
}

/* Ask the compiler for one of its files (-print-file-name / -print-libgcc-file-name),
 * with the architecture's flags, which may select another multilib. */
static char *gcc_file(const char *cc, const char *query)
{
	char cmd[PATH_MAX * 2];
	snprintf(cmd, sizeof(cmd), "%s %s %s", cc, TR_ARCH_CFLAGS, query);
	FILE *p = popen(cmd, "r");
	if (!p)
		die("cannot run", cmd);
	char buf[PATH_MAX] = "";
	if (!fgets(buf, sizeof(buf), p))
		buf[0] = 0;
	pclose(p);
	buf[strcspn(buf, "\n")] = 0;
	if (!buf[0])
		die("no answer from", cmd);
	char *r = strdup(buf);
	if (!r)
		die("out of memory", NULL);
	return r;
}

/* gcc's own runtime files, which its answer to -print-file-name may name
 * (its start and end files, libgcc, its header folders; gcc's manual,
 * "Options for Linking" and "Developer Options"): nothing in them is built
 * against a C library. */
static int gcc_runtime_file(const char *name)
{
	static const char *const names[] = {
		"crtbegin.o", "crtbeginS.o", "crtbeginT.o", "crtend.o", "crtendS.o", "crtfastmath.o",
		"crtprec32.o", "crtprec64.o", "crtprec80.o", "libgcc.a", "libgcc_eh.a", "include",
		"include-fixed", "plugin",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

static int is_host_path_of(const char *sysroot, const char *path);

/* Prints the answer to -print-file-name=name for the sysroot (its usr/lib,
 * then lib, where the file lies inside the sysroot once its links are
 * followed), then gcc's own runtime files (the answer taken only from
 * gcc's own library folder), else the name alone (gcc's answer for a file
 * it does not have). A name that is not a plain file name (a folder in it,
 * "..", a character a shell would read) is answered with itself. */
static void print_file_name(const char *cc, const char *sysroot, const char *name)
{
	static const char *const dirs[] = { "usr/lib", "lib" };
	char path[PATH_MAX * 2], real[PATH_MAX];
	if (!*name || name[0] == '.' || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					    "0123456789._+-") != strlen(name)) {
		puts(name);
		return;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", sysroot, dirs[i], name);
		if (access(path, F_OK) == 0 && realpath(path, real) && !is_host_path_of(sysroot, real)) {
			puts(path);
			return;
		}
	}
	if (gcc_runtime_file(name)) {
		char *libgcc = gcc_file(cc, "-print-libgcc-file-name");
		*strrchr(libgcc, '/') = 0; /* gcc's own library folder */
		snprintf(path, sizeof(path), "-print-file-name=%s", name);
		char *answer = gcc_file(cc, path);
		size_t n = strlen(libgcc);
		if (!strncmp(answer, libgcc, n) && answer[n] == '/') {
			puts(answer);
			return;
		}
	}
	puts(name);
}

/* A growing list of words (an argument list); every allocation checked. */
struct words {
	char **v;
	size_t n, cap;
};

static void words_add(struct words *w, char *word)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->v = realloc(w->v, w->cap * sizeof(*w->v));
		if (!w->v)
			die("out of memory", NULL);
	}
	w->v[w->n++] = word;
}

/* Reads the words of a response file (@file) as gcc does (libiberty's
 * buildargv: words apart by white space, '...' and "..." quoting, \ escaping
 * one character), expanding @file inside it too, into w. A file that cannot
 * be read is a word of its own, as gcc takes it. */
static void add_arg(struct words *w, char *arg, int depth);

static void add_response_file(struct words *w, char *arg, int depth)
{
	FILE *f = depth < 16 ? fopen(arg + 1, "r") : NULL;
	if (!f) {
		words_add(w, arg);
		return;
	}
	size_t cap = 256, len = 0;
	char *word = NULL;
	int quote = 0, c;
	while ((c = fgetc(f)) != EOF) {
		if (!quote && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')) {
			if (word) {
				word[len] = 0;
				add_arg(w, word, depth + 1);
				word = NULL;
			}
			continue;
		}
		if (!word) {
			word = malloc(cap = 256);
			len = 0;
			if (!word)
				die("out of memory", NULL);
		}
		if (c == '\\') {
			if ((c = fgetc(f)) == EOF)
				break;
		} else if (quote && c == quote) {
			quote = 0;
			continue;
		} else if (!quote && (c == '\'' || c == '"')) {
			quote = c;
			continue;
		}
		if (len + 2 > cap) {
			word = realloc(word, cap *= 2);
			if (!word)
				die("out of memory", NULL);
		}
		word[len++] = (char)c;
	}
	if (word) {
		word[len] = 0;
		add_arg(w, word, depth + 1);
	}
	fclose(f);
}

static void add_arg(struct words *w, char *arg, int depth)
{
	if (arg[0] == '@' && arg[1])
		add_response_file(w, arg, depth);
	else
		words_add(w, arg);
}

/* What the wrapper knows when it checks the command line. */
struct check {
	const char *sysroot;    /* the sysroot, its real path */
	const char *cwd;        /* the working folder relative paths start from */
	const char *gcc_prefix; /* gcc's -iprefix when none is given (its lib folder) */
	const char *iprefix;    /* the last -iprefix seen */
};

/* The absolute, normalised form of path, in out (PATH_MAX): relative to the
 * working folder; "=" or "$SYSROOT" at the start stands for the sysroot, as
 * gcc and ld read them; each symbolic link on the way is resolved
 * (realpath, component by component, so that ".." after a link leaves the
 * link's target as the kernel does); "." and ".." past the part that exists
 * apply by name. Returns 0, or -1 when the result would not fit. */
static int canonical(const struct check *ck, const char *path, char *out)
{
	char abs[PATH_MAX * 2];
	if (path[0] == '=')
		snprintf(abs, sizeof(abs), "%s/%s", ck->sysroot, path + 1);
	else if (!strncmp(path, "$SYSROOT", 8))
		snprintf(abs, sizeof(abs), "%s/%s", ck->sysroot, path + 8);
	else if (path[0] == '/')
		snprintf(abs, sizeof(abs), "%s", path);
	else
		snprintf(abs, sizeof(abs), "%s/%s", ck->cwd, path);
	if (strlen(abs) >= PATH_MAX)
		return -1;
	strcpy(out, "/");
	for (char *save = NULL, *c = strtok_r(abs, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			char *slash = strrchr(out, '/');
			slash[slash == out] = 0;
			continue;
		}
		char next[PATH_MAX * 2];
		snprintf(next, sizeof(next), "%s%s%s", out, strcmp(out, "/") ? "/" : "", c);
		if (strlen(next) >= PATH_MAX)
			return -1;
		if (!realpath(next, out))
			strcpy(out, next);
	}
	return 0;
}

/* Whether path is dir or inside it. */
static int inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return !strncmp(path, dir, n) && (path[n] == 0 || path[n] == '/' || n == 1);
}

/* The build machine's folders no target compilation may use: its headers,
 * its libraries (Debian's multiarch ones are inside these), the folders of
 * Debian's cross libcs (/usr/<triplet>), and the roots they hang from. */
static const char *const host_dirs[] = {
	"/usr/include", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libx32",
	"/usr/local/include", "/usr/local/lib", "/usr/local/lib32", "/usr/local/lib64",
	"/usr/local/libx32", "/lib", "/lib32", "/lib64", "/libx32", "/usr/X11R6",
};

static int is_host_path(const struct check *ck, const char *path)
{
	if (inside(path, ck->sysroot))
		return 0;
	if (!strcmp(path, "/") || !strcmp(path, "/usr") || !strcmp(path, "/usr/local"))
		return 1;
	for (size_t i = 0; i < sizeof(host_dirs) / sizeof(host_dirs[0]); i++)
		if (inside(path, host_dirs[i]))
			return 1;
	/* /usr/aarch64-linux-gnu/..., /usr/x86_64-linux-gnux32/... */
	if (!strncmp(path, "/usr/", 5)) {
		const char *end = strchr(path + 5, '/');
		size_t n = end ? (size_t)(end - path - 5) : strlen(path + 5);
		char first[NAME_MAX + 1];
		snprintf(first, sizeof(first), "%.*s", (int)n, path + 5);
		if (strstr(first, "-linux-"))
			return 1;
	}
	return 0;
}

static int is_host_path_of(const char *sysroot, const char *path)
{
	struct check ck = { .sysroot = sysroot };
	return is_host_path(&ck, path);
}

/* Exits naming the argument (opt, then its value when that is the next
 * word) and why it is refused. */
static void refuse(const char *opt, const char *next, const char *why)
{
	fprintf(stderr, "tinyroot wrapper: unsafe header or library path used in cross-compilation: "
		"'%s%s%s' (%s)\n", opt, next ? " " : "", next ? next : "", why);
	exit(1);
}

/* What an option's value is. */
enum path_kind {
	KIND_DIR,        /* a folder searched for headers, libraries or programs */
	KIND_FILE,       /* a file read: an input, a header, a specs file, a linker script */
	KIND_SYSROOT,    /* a sysroot: only the wrapper's own */
	KIND_IPREFIX,    /* -iprefix: the start of later -iwithprefix folders */
	KIND_WITHPREFIX, /* -iwithprefix, -iwithprefixbefore: a folder after -iprefix */
	KIND_SKIP,       /* a value that is no path of the build (-o out, -rpath /usr/lib) */
};

/* An option that takes a value: joined (-I/x; with sep '=', --sysroot=/x)
 * or as the next word (-I /x, --sysroot /x). */
struct path_opt {
	const char *name;
	char sep;
	enum path_kind kind;
};

/* gcc's own (gcc's manual, "Directory Options", "Link Options", "Overall
 * Options", and the long spellings of gcc.cc's option_map). Longer names
 * before the shorter ones they start with. */
static const struct path_opt compiler_opts[] = {
	{ "-I", 0, KIND_DIR },
	{ "-L", 0, KIND_DIR },
	{ "-B", 0, KIND_DIR },
	{ "-isystem", 0, KIND_DIR },
	{ "-idirafter", 0, KIND_DIR },
	{ "-iquote", 0, KIND_DIR },
	{ "-iprefix", 0, KIND_IPREFIX },
	{ "-iwithprefixbefore", 0, KIND_WITHPREFIX },
	{ "-iwithprefix", 0, KIND_WITHPREFIX },
	{ "-isysroot", 0, KIND_SYSROOT },
	{ "-include", 0, KIND_FILE },
	{ "-imacros", 0, KIND_FILE },
	{ "-T", 0, KIND_FILE },
	{ "-specs", '=', KIND_FILE },
	{ "--specs", '=', KIND_FILE },
	{ "--sysroot", '=', KIND_SYSROOT },
	{ "--include-directory", '=', KIND_DIR },
	{ "--include-directory-after", '=', KIND_DIR },
	{ "--include-prefix", '=', KIND_IPREFIX },
	{ "--include-with-prefix", '=', KIND_WITHPREFIX },
	{ "--include-with-prefix-before", '=', KIND_WITHPREFIX },
	{ "--include-with-prefix-after", '=', KIND_WITHPREFIX },
	{ "--library-directory", '=', KIND_DIR },
	{ "--prefix", '=', KIND_DIR },
	{ "--include", '=', KIND_FILE },
	{ "--imacros", '=', KIND_FILE },
	{ "-o", 0, KIND_SKIP },
	{ "-x", 0, KIND_SKIP },
	{ "-MF", 0, KIND_SKIP },
	{ "-MT", 0, KIND_SKIP },
	{ "-MQ", 0, KIND_SKIP },
	{ "-D", 0, KIND_SKIP },
	{ "-U", 0, KIND_SKIP },
	{ "-A", 0, KIND_SKIP },
	{ "-u", 0, KIND_SKIP },
	{ "-e", 0, KIND_SKIP },
	{ "-z", 0, KIND_SKIP },
	{ "-l", 0, KIND_SKIP },
	{ "--param", '=', KIND_SKIP },
	{ "-aux-info", 0, KIND_SKIP },
	{ "-dumpbase", 0, KIND_SKIP },
	{ "-dumpbase-ext", 0, KIND_SKIP },
	{ "-dumpdir", 0, KIND_SKIP },
	{ "-Xassembler", 0, KIND_SKIP },
};

/* ld's (its manual, "Command-line Options"; ld takes one or two dashes for
 * its long options). The runtime paths (-rpath, the dynamic linker) name
 * folders of the target, not of the build machine. */
static const struct path_opt linker_opts[] = {
	{ "-L", 0, KIND_DIR },
	{ "--library-path", '=', KIND_DIR },
	{ "-Y", 0, KIND_DIR },
	{ "-rpath-link", '=', KIND_DIR },
	{ "--rpath-link", '=', KIND_DIR },
	{ "--sysroot", '=', KIND_SYSROOT },
	{ "-T", 0, KIND_FILE },
	{ "--script", '=', KIND_FILE },
	{ "-dT", 0, KIND_FILE },
	{ "--default-script", '=', KIND_FILE },
	{ "-rpath", '=', KIND_SKIP },
	{ "--rpath", '=', KIND_SKIP },
	{ "-R", 0, KIND_SKIP },
	{ "-dynamic-linker", '=', KIND_SKIP },
	{ "--dynamic-linker", '=', KIND_SKIP },
	{ "-I", 0, KIND_SKIP },
	{ "-o", 0, KIND_SKIP },
	{ "--output", '=', KIND_SKIP },
	{ "-soname", '=', KIND_SKIP },
	{ "--soname", '=', KIND_SKIP },
	{ "-h", 0, KIND_SKIP },
	{ "-e", 0, KIND_SKIP },
	{ "--entry", '=', KIND_SKIP },
	{ "-m", 0, KIND_SKIP },
	{ "-z", 0, KIND_SKIP },
	{ "-u", 0, KIND_SKIP },
	{ "--undefined", '=', KIND_SKIP },
	{ "-y", 0, KIND_SKIP },
	{ "-Map", '=', KIND_SKIP },
	{ "--version-script", '=', KIND_SKIP },
	{ "--defsym", '=', KIND_SKIP },
	{ "--wrap", '=', KIND_SKIP },
	{ "-plugin", '=', KIND_SKIP },
	{ "-plugin-opt", '=', KIND_SKIP },
	{ "--hash-style", '=', KIND_SKIP },
	{ "-a", 0, KIND_SKIP },
	{ "-b", 0, KIND_SKIP },
	{ "-F", 0, KIND_SKIP },
	{ "-f", 0, KIND_SKIP },
	{ "-A", 0, KIND_SKIP },
	{ "-G", 0, KIND_SKIP },
};

/* The option of table that word is, with its value in *value (NULL when
 * it is the next word, which the caller takes). */
static const struct path_opt *match_opt(const struct path_opt *table, size_t n, const char *word,
					const char **value)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(table[i].name);
		if (strncmp(word, table[i].name, len))
			continue;
		const char *rest = word + len;
		if (!*rest) {
			*value = NULL;
			return &table[i];
		}
		if (table[i].sep && *rest != table[i].sep)
			continue;
		*value = table[i].sep ? rest + 1 : rest;
		return &table[i];
	}
	return NULL;
}

/* Refuses (exits) when value, the value of the word opt (with next, when
 * the value is the next word; an input file is its own opt and value),
 * names the build machine's folders or another sysroot. */
static void check_value(struct check *ck, const char *opt, const char *next, const char *value,
			enum path_kind kind)
{
	char path[PATH_MAX], why[PATH_MAX + 64];
	if (kind == KIND_SKIP)
		return;
	if (kind == KIND_IPREFIX) {
		ck->iprefix = value;
		return;
	}
	if (kind == KIND_WITHPREFIX) {
		char joined[PATH_MAX * 2];
		snprintf(joined, sizeof(joined), "%s%s", ck->iprefix ? ck->iprefix : ck->gcc_prefix, value);
		if (strlen(joined) >= PATH_MAX || canonical(ck, joined, path))
			refuse(opt, next, "path too long");
	} else if (canonical(ck, value, path)) {
		refuse(opt, next, "path too long");
	}
	if (kind == KIND_SYSROOT) {
		if (!inside(path, ck->sysroot)) {
			snprintf(why, sizeof(why), "a sysroot other than %s", ck->sysroot);
			refuse(opt, next, why);
		}
		return;
	}
	if (is_host_path(ck, path)) {
		snprintf(why, sizeof(why), "%s is the build machine's", path);
		refuse(opt, next, why);
	}
}

/* Checks a list of words, gcc's (linker 0: with -Wl, -Xlinker, -Wp and
 * -Xpreprocessor gathered into *ld and *cpp in order) or ld's (linker 1). */
static void check_words(struct check *ck, struct words *w, int linker, struct words *ld,
			struct words *cpp)
{
	const struct path_opt *table = linker ? linker_opts : compiler_opts;
	size_t n = linker ? sizeof(linker_opts) / sizeof(linker_opts[0])
			  : sizeof(compiler_opts) / sizeof(compiler_opts[0]);
	for (size_t i = 0; i < w->n; i++) {
		char *a = w->v[i];
		if (!linker && (!strncmp(a, "-Wl,", 4) || !strncmp(a, "-Wp,", 4))) {
			char *copy = strdup(a + 4);
			if (!copy)
				die("out of memory", NULL);
			/* (gcc splits at every comma, keeping empty words) */
			for (char *p = copy, *comma; p; p = comma ? comma + 1 : NULL) {
				comma = strchr(p, ',');
				if (comma)
					*comma = 0;
				words_add(a[2] == 'l' ? ld : cpp, p);
			}
			continue;
		}
		if (!linker && (!strcmp(a, "-Xlinker") || !strcmp(a, "-Xpreprocessor"))) {
			if (i + 1 < w->n)
				words_add(a[2] == 'l' ? ld : cpp, w->v[++i]);
			continue;
		}
		if (a[0] != '-' || !a[1]) {
			check_value(ck, a, NULL, a, KIND_FILE);
			continue;
		}
		const char *value, *next = NULL;
		const struct path_opt *o = match_opt(table, n, a, &value);
		if (!o)
			continue;
		if (!value) {
			if (i + 1 >= w->n)
				continue;
			value = next = w->v[++i];
		}
		check_value(ck, a, next, value, o->kind);
	}
}

/* Environment variables through which gcc, its preprocessor and ld find
 * headers, libraries and programs beside the command line (gcc's manual,
 * "Environment Variables Affecting GCC"; ld's manual, -rpath-link, for
 * LD_RUN_PATH): the build machine's settings must not reach a target
 * compilation. */
static const char *const search_vars[] = {
	"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH",
	"OBJCPLUS_INCLUDE_PATH", "LIBRARY_PATH", "GCC_EXEC_PREFIX", "COMPILER_PATH",
	"LD_RUN_PATH",
};

static void clear_search_vars(void)
{
	for (size_t i = 0; i < sizeof(search_vars) / sizeof(search_vars[0]); i++)
		if (unsetenv(search_vars[i]))
			die("cannot clear", search_vars[i]);
}

/* A link's gcc specs that empty link_libgcc (by default %D, a -L for each
 * of gcc's own library folders, which -nostdlib leaves: the build machine's
 * /usr/lib/<triplet> and /usr/lib among them), as a file in memory, named
 * /proc/self/fd/N: gcc reads it in its own process, which inherits the
 * descriptor, and the SDK needs no file beside the wrapper for it. Writes
 * the option into opt (PATH_MAX). */
static void link_specs(char *opt)
{
	static const char specs[] = "*link_libgcc:\n%{nostdlib:}\n\n";
	int fd = memfd_create("tinyroot-wrapper.specs", 0);
	if (fd < 0)
		die("cannot make the link's specs", strerror(errno));
	if (write(fd, specs, sizeof(specs) - 1) != (ssize_t)(sizeof(specs) - 1))
		die("cannot write the link's specs", strerror(errno));
	snprintf(opt, PATH_MAX, "-specs=/proc/self/fd/%d", fd);
}

/* Appends the words of TR_ARCH_CFLAGS to av at *k (the copy they point into
 * lives until the exec). */
static void add_arch_flags(char **av, size_t *k)
{
	char *flags = strdup(TR_ARCH_CFLAGS);
	if (!flags)
		die("out of memory", NULL);
	for (char *t = strtok(flags, " "); t; t = strtok(NULL, " "))
		av[(*k)++] = t;
}

/* Runs av (av[0] the compiler) under the launcher when one is set: av must
 * have a free slot before av[0]. Returns only on failure. */
static void run_compiler(char **av)
{
	const char *launcher = getenv("TR_WRAPPER_LAUNCHER");
	if (launcher && *launcher) {
		av[-1] = (char *)launcher;
		execvp(launcher, av - 1);
		die("cannot run the compiler launcher", launcher);
	}
	execvp(av[0], av);
	die("cannot run the compiler", av[0]);
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');
	name = name ? name + 1 : argv[0];
	clear_search_vars();
	if (!strcmp(name, "tinyroot-toolchain-gcc")) {
		char **bare = calloc((size_t)argc + 2, sizeof(*bare));
		if (!bare)
			die("out of memory", NULL);
		bare[1] = TR_TOOLCHAIN_CC;
		for (int i = 1; i <= argc; i++)
			bare[i + 1] = argv[i];
		run_compiler(bare + 1);
	}

	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		die("cannot find own location", strerror(errno));
	self[n] = 0;
	/* the tuple comes from the name we were called by: <tuple>-gcc */
	const char *base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	char tuple[128];
	snprintf(tuple, sizeof(tuple), "%s", base);
	char *dash = strrchr(tuple, '-');
	if (!dash)
		die("called by a name without a tuple", base);
	*dash = 0;
	int cxx = !strcmp(dash + 1, "g++") || !strcmp(dash + 1, "c++");
	*strrchr(self, '/') = 0; /* .../host/bin */
	char sysroot[PATH_MAX];
	snprintf(sysroot, sizeof(sysroot), "%s/../%s/sysroot", self, tuple);
	char *real = realpath(sysroot, NULL);
	if (!real)
		die("sysroot not found", sysroot);

	const char *cc = getenv(cxx ? "TR_WRAPPER_CXX" : "TR_WRAPPER_CC");
	if (!cc || !*cc)
		cc = cxx ? TR_TOOLCHAIN_CXX : TR_TOOLCHAIN_CC;
	char *gccinc = gcc_file(cc, "-print-file-name=include");

	/* Every path the command line names, in its normalised form, is
	 * checked, response files (@file) read as gcc reads them. */
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		die("cannot find the working folder", strerror(errno));
	char gcc_prefix[PATH_MAX];
	snprintf(gcc_prefix, sizeof(gcc_prefix), "%s", gccinc);
	gcc_prefix[strlen(gcc_prefix) - (strlen(gcc_prefix) >= 7 ? 7 : 0)] = 0; /* .../include */
	struct check ck = { .sysroot = real, .cwd = cwd, .gcc_prefix = gcc_prefix };
	struct words args = { 0 }, ld = { 0 }, cpp = { 0 };
	for (int i = 1; i < argc; i++)
		add_arg(&args, argv[i], 0);
	check_words(&ck, &args, 0, &ld, &cpp);
	check_words(&ck, &cpp, 0, &ld, &cpp);
	check_words(&ck, &ld, 1, NULL, NULL);

	/* The questions about the toolchain, in the command line as checked
	 * (response files read), in gcc's spellings (one dash or two; the file
	 * name joined with = or as the next word): the answer to the first
	 * (gcc's order may differ; no build asks two at once). */
	for (size_t i = 0; i < args.n; i++) {
		const char *a = args.v[i] + (!strncmp(args.v[i], "--", 2) && args.v[i][2] != '-');
		if (!strcmp(a, "-print-sysroot")) {
			puts(real);
			return 0;
		}
		if (!strcmp(a, "-dumpmachine")) {
			puts(tuple);
			return 0;
		}
		/* (a musl toolchain has no multiarch folder names: gcc's own
		 * answer names glibc's, x86_64-linux-gnu) */
		if (!strcmp(a, "-print-multiarch")) {
			puts("");
			return 0;
		}
		if (!strncmp(a, "-print-file-name=", 17)) {
			print_file_name(cc, real, a + 17);
			return 0;
		}
		if (!strcmp(a, "-print-file-name") && i + 1 < args.n) {
			print_file_name(cc, real, args.v[i + 1]);
			return 0;
		}
	}

#ifdef TR_DYNAMIC_LOADER
	int dynamic = 1;
#else
	int dynamic = 0;
#endif
	int link = 1, startfiles = 1, libs = 1, shared = 0, pie = 0;
	/* cxxlibs: the C++ libraries on a C++ link (not with -nostdlib++);
	 * cxxinc: libc++'s headers (not with -nostdinc++: libc++'s own build
	 * names its freshly made ones); lang: the last -x named a language */
	int cxxlibs = cxx, cxxinc = cxx, lang = 0;
	/* info: a question (-v, --version, -print-*, -dump*), which makes no
	 * link unless the command line has inputs too (gcc -v t.o -o t links,
	 * verbosely: CMake and libtool learn a compiler's link line so) */
	int info = 0, inputs = 0;
	for (size_t i = 0; i < args.n; i++) {
		const char *a = args.v[i];
		const char *value;
		const struct path_opt *o = match_opt(compiler_opts, sizeof(compiler_opts) / sizeof(compiler_opts[0]),
						     a, &value);
		/* an option whose value is the next word: that word is no input */
		int takes_next = (o && !value) || !strcmp(a, "-Xlinker") || !strcmp(a, "-Xpreprocessor");
		if (!takes_next && (a[0] != '-' || !a[1]))
			inputs = 1;
		if (!strncmp(a, "-print-", 7) || !strncmp(a, "--print-", 8) || !strcmp(a, "-v") ||
		    !strcmp(a, "--version") || !strncmp(a, "-dump", 5))
			info = 1;
		if (!strcmp(a, "-nostdlib++"))
			cxxlibs = 0;
		if (!strcmp(a, "-nostdinc++"))
			cxxinc = 0;
		if (!strncmp(a, "-x", 2)) {
			const char *l = a[2] ? a + 2 : i + 1 < args.n ? args.v[i + 1] : "none";
			lang = strcmp(l, "none") != 0;
		}
		if (!strcmp(a, "-c") || !strcmp(a, "-S") || !strcmp(a, "-E") ||
		    !strcmp(a, "-M") || !strcmp(a, "-MM"))
			link = 0;
		if (!strcmp(a, "-nostdlib") || !strcmp(a, "-r") || !strcmp(a, "-Wl,-r") ||
		    !strcmp(a, "-Wl,--relocatable"))
			startfiles = libs = 0;
		if (!strcmp(a, "-nostartfiles"))
			startfiles = 0;
		if (!strcmp(a, "-nodefaultlibs"))
			libs = 0;
		if (!strcmp(a, "-static"))
			dynamic = 0;
		if (!strcmp(a, "-shared"))
			shared = 1;
		if (!strcmp(a, "-pie"))
			pie = 1;
		if (takes_next)
			i++;
	}
	if (argc == 1 || (info && !inputs))
		link = 0;

	char inc[PATH_MAX], lib[PATH_MAX], cxxdir[PATH_MAX];
	snprintf(inc, sizeof(inc), "%s/usr/include", real);
	snprintf(cxxdir, sizeof(cxxdir), "%s/usr/include/c++/v1", real);
	snprintf(lib, sizeof(lib), "%s/usr/lib", real);
	/* the launcher, argv, the fixed options below and at most one arch flag
	 * per two characters */
	size_t cap = (size_t)argc + 41 + strlen(TR_ARCH_CFLAGS) / 2;
	char **launch = calloc(cap, sizeof(*launch));
	if (!launch)
		die("out of memory", NULL);
	char **av = launch + 1;
	size_t k = 0;
	av[k++] = (char *)cc;
	add_arch_flags(av, &k);
	av[k++] = "-nostdinc";
	if (cxxinc) {
		av[k++] = "-isystem";
		av[k++] = cxxdir;
	}
	av[k++] = "-isystem";
	av[k++] = inc;
	av[k++] = "-isystem";
	av[k++] = gccinc;
	/* ld's own search folders (its linker script's SEARCH_DIR("=/usr/lib")
	 * ...) and -I=/x then lie in the sysroot */
	char sysroot_opt[PATH_MAX + 16];
	snprintf(sysroot_opt, sizeof(sysroot_opt), "--sysroot=%s", real);
	av[k++] = sysroot_opt;
	char crt1[PATH_MAX], crti[PATH_MAX], crtn[PATH_MAX], libdir[PATH_MAX + 3];
	char *crtbegin = NULL, *crtend = NULL, *libgcc = NULL, *libgcc_eh = NULL;
	/* which start and end files: a static program, a dynamic one (PIE or
	 * not), a shared object */
	const char *begin_file = "-print-file-name=crtbeginT.o", *end_file = "-print-file-name=crtend.o";
	const char *crt1_name = "crt1.o";
	if (shared || (dynamic && pie)) {
		begin_file = "-print-file-name=crtbeginS.o";
		end_file = "-print-file-name=crtendS.o";
		crt1_name = "Scrt1.o";
	} else if (dynamic) {
		begin_file = "-print-file-name=crtbegin.o";
	}
#ifdef TR_DYNAMIC_LOADER
	char loader_opt[PATH_MAX + 32] = "";
#endif
	char specs_opt[PATH_MAX];
	if (link) {
		if (!dynamic && !shared)
			av[k++] = "-static";
		av[k++] = "-nostdlib";
		link_specs(specs_opt);
		av[k++] = specs_opt;
		snprintf(libdir, sizeof(libdir), "-L%s", lib);
		av[k++] = libdir;
		/* LLVM's unwinder finds a program's unwind tables through its
		 * PT_GNU_EH_FRAME header, which gcc asks ld for only in a
		 * dynamic link (libgcc's unwinder registers a static program's
		 * tables from crtbeginT.o instead) */
		if (cxxlibs)
			av[k++] = "-Wl,--eh-frame-hdr";
#ifdef TR_DYNAMIC_LOADER
		if (dynamic && !shared) {
			if (!pie)
				av[k++] = "-no-pie";
			snprintf(loader_opt, sizeof(loader_opt), "-Wl,-dynamic-linker,%s", TR_DYNAMIC_LOADER);
			av[k++] = loader_opt;
		}
#endif
		if (startfiles) {
			snprintf(crt1, sizeof(crt1), "%s/%s", lib, crt1_name);
			snprintf(crti, sizeof(crti), "%s/crti.o", lib);
			crtbegin = gcc_file(cc, begin_file);
			if (!shared)
				av[k++] = crt1;
			av[k++] = crti;
			av[k++] = crtbegin;
		}
	}
	/* (the two C++ options are the wrapper's to apply: gcc 12 does not
	 * know the first, and warns of the second in a C compilation, where
	 * build systems' flag checks take the warning for a refusal;
	 * -nostdinc already removes every folder it would) */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-nostdlib++") && strcmp(argv[i], "-nostdinc++"))
			av[k++] = argv[i];
	if (link && lang) {
		av[k++] = "-x";
		av[k++] = "none";
	}
	if (link) {
		if (libs) {
			libgcc = gcc_file(cc, "-print-libgcc-file-name");
			libgcc_eh = gcc_file(cc, "-print-file-name=libgcc_eh.a");
			av[k++] = "-Wl,--start-group";
			if (cxxlibs) {
				av[k++] = "-lc++";
				av[k++] = "-lc++abi";
				av[k++] = "-lunwind";
			}
			av[k++] = "-lc";
			av[k++] = libgcc;
			/* (not in a shared object: the archive is not built for it) */
			if (!shared && access(libgcc_eh, F_OK) == 0)
				av[k++] = libgcc_eh;
			av[k++] = "-Wl,--end-group";
		}
		if (startfiles) {
			crtend = gcc_file(cc, end_file);
			snprintf(crtn, sizeof(crtn), "%s/crtn.o", lib);
			av[k++] = crtend;
			av[k++] = crtn;
		}
	}
	av[k] = NULL;
	const char *dbg = getenv("TR_WRAPPER_DEBUG");
	if (dbg && *dbg == '1') {
		for (size_t i = 0; i < k; i++)
			fprintf(stderr, "%s%s", i ? " " : "", av[i]);
		fputc('\n', stderr);
	}
	run_compiler(av);
	return 1;
}
