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
 * binary: the wrapper refuses it, as Buildroot's does ("unsafe path").
 *
 * Called as tinyroot-toolchain-gcc it is the toolchain's own gcc with nothing
 * added: the kernel and musl (which bring their own headers and start files)
 * build through it, so that the launcher below serves them too.
 *
 * TR_WRAPPER_LAUNCHER in the environment names a program the compiler runs
 * under: "ccache" or "distcc" (tinyroot's make sets it from TR_CCACHE and
 * TR_DISTCC_HOSTS, toolchain/launcher.mk; ccache sends its misses to distcc
 * through its own CCACHE_PREFIX). Unset, as in the SDK, the compiler runs
 * alone.
 *
 * TR_WRAPPER_DEBUG=1 prints the command line. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TR_TOOLCHAIN_CC
#define TR_TOOLCHAIN_CC "gcc"
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

/* The build machine's folders no target compilation may use. */
static const char *const unsafe_dirs[] = {
	"/usr/include", "/usr/local/include", "/usr/lib", "/usr/local/lib", "/lib",
	"/usr/X11R6/include", "/usr/X11R6/lib",
};

static int is_unsafe(const char *path)
{
	for (size_t i = 0; i < sizeof(unsafe_dirs) / sizeof(unsafe_dirs[0]); i++) {
		size_t n = strlen(unsafe_dirs[i]);
		if (!strncmp(path, unsafe_dirs[i], n) && (path[n] == 0 || path[n] == '/'))
			return 1;
	}
	return 0;
}

/* Options that name a header or library folder, joined (-I/x) or apart (-I /x). */
static const char *const path_opts[] = { "-I", "-L", "-isystem", "-idirafter", "-iquote" };

/* The folder argv[i] names (with argv[i+1] for the separate form), or NULL. */
static const char *path_arg(char **argv, int argc, int i)
{
	const char *a = argv[i];
	for (size_t j = 0; j < sizeof(path_opts) / sizeof(path_opts[0]); j++) {
		size_t n = strlen(path_opts[j]);
		if (strncmp(a, path_opts[j], n))
			continue;
		if (a[n])
			return a + n;
		return i + 1 < argc ? argv[i + 1] : NULL;
	}
	if (!strncmp(a, "-Wl,-rpath-link,", 16))
		return a + 16;
	return NULL;
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
	*strrchr(self, '/') = 0; /* .../host/bin */
	char sysroot[PATH_MAX];
	snprintf(sysroot, sizeof(sysroot), "%s/../%s/sysroot", self, tuple);
	char *real = realpath(sysroot, NULL);
	if (!real)
		die("sysroot not found", sysroot);

	const char *cc = getenv("TR_WRAPPER_CC");
	if (!cc || !*cc)
		cc = TR_TOOLCHAIN_CC;

#ifdef TR_DYNAMIC_LOADER
	int dynamic = 1;
#else
	int dynamic = 0;
#endif
	int link = 1, startfiles = 1, libs = 1, shared = 0, pie = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *dir = path_arg(argv, argc, i);
		if (dir && is_unsafe(dir)) {
			fprintf(stderr, "tinyroot wrapper: unsafe header or library path used "
					"in cross-compilation: '%s%s%s'\n", a, dir == argv[i + 1] ? " " : "",
				dir == argv[i + 1] ? dir : "");
			return 1;
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
		if (!strncmp(a, "-print-", 7) || !strcmp(a, "-v") || !strcmp(a, "--version") ||
		    !strcmp(a, "-dumpversion") || !strcmp(a, "-dumpmachine"))
			link = 0;
	}
	if (argc == 1)
		link = 0;

	char inc[PATH_MAX], lib[PATH_MAX];
	snprintf(inc, sizeof(inc), "%s/usr/include", real);
	snprintf(lib, sizeof(lib), "%s/usr/lib", real);
	char *gccinc = gcc_file(cc, "-print-file-name=include");

	/* the launcher, argv, the fixed options below and at most one arch flag
	 * per two characters */
	size_t cap = (size_t)argc + 33 + strlen(TR_ARCH_CFLAGS) / 2;
	char **launch = calloc(cap, sizeof(*launch));
	if (!launch)
		die("out of memory", NULL);
	char **av = launch + 1;
	size_t k = 0;
	av[k++] = (char *)cc;
	add_arch_flags(av, &k);
	av[k++] = "-nostdinc";
	av[k++] = "-isystem";
	av[k++] = inc;
	av[k++] = "-isystem";
	av[k++] = gccinc;
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
	if (link) {
		if (!dynamic && !shared)
			av[k++] = "-static";
		av[k++] = "-nostdlib";
		snprintf(libdir, sizeof(libdir), "-L%s", lib);
		av[k++] = libdir;
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
	for (int i = 1; i < argc; i++)
		av[k++] = argv[i];
	if (link) {
		if (libs) {
			libgcc = gcc_file(cc, "-print-libgcc-file-name");
			libgcc_eh = gcc_file(cc, "-print-file-name=libgcc_eh.a");
			av[k++] = "-Wl,--start-group";
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
