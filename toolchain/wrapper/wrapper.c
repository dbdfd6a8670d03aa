/* <tuple>-gcc: the host's gcc aimed at tinyroot's musl sysroot.
 *
 * Installed as $(HOST_DIR)/bin/<tuple>-gcc (and -cc); finds the sysroot at
 * ../<tuple>/sysroot from its own location, so the SDK can be moved. The
 * tuple prefix gives the architecture: i686-* adds -m32.
 *
 * Like musl's own musl-gcc.specs it replaces the host's headers and start
 * files: -nostdinc with the sysroot's and gcc's own include folders, and on a
 * final link crt1.o/crti.o/crtbeginT.o ... -lc libgcc crtend.o/crtn.o. Links
 * are static (the images carry no dynamic loader). A link that asks for
 * -nostdlib, -nostartfiles or -r (BusyBox's partial links) gets none of the
 * start files or libraries, as gcc itself would do.
 *
 * TR_WRAPPER_CC names the host compiler (default gcc); TR_WRAPPER_DEBUG=1
 * prints the command line. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "tinyroot wrapper: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	exit(1);
}

/* Ask the host gcc for one of its files (-print-file-name / -print-libgcc-file-name). */
static char *gcc_file(const char *cc, const char *m32, const char *query)
{
	char cmd[PATH_MAX * 2];
	snprintf(cmd, sizeof(cmd), "%s %s %s", cc, m32, query);
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

int main(int argc, char **argv)
{
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
		cc = "gcc";
	const char *m32 = !strncmp(tuple, "i686", 4) || !strncmp(tuple, "i386", 4) ? "-m32" : "";

	int link = 1, startfiles = 1, libs = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
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
		if (!strncmp(a, "-print-", 7) || !strcmp(a, "-v") || !strcmp(a, "--version") ||
		    !strcmp(a, "-dumpversion") || !strcmp(a, "-dumpmachine"))
			link = 0;
	}
	if (argc == 1)
		link = 0;

	char inc[PATH_MAX], lib[PATH_MAX];
	snprintf(inc, sizeof(inc), "%s/usr/include", real);
	snprintf(lib, sizeof(lib), "%s/usr/lib", real);
	char *gccinc = gcc_file(cc, m32, "-print-file-name=include");

	size_t cap = (size_t)argc + 32;
	char **av = calloc(cap, sizeof(*av));
	if (!av)
		die("out of memory", NULL);
	size_t k = 0;
	av[k++] = (char *)cc;
	if (*m32)
		av[k++] = (char *)m32;
	av[k++] = "-nostdinc";
	av[k++] = "-isystem";
	av[k++] = inc;
	av[k++] = "-isystem";
	av[k++] = gccinc;
	char crt1[PATH_MAX], crti[PATH_MAX], crtn[PATH_MAX], libdir[PATH_MAX + 3];
	char *crtbegin = NULL, *crtend = NULL, *libgcc = NULL, *libgcc_eh = NULL;
	if (link) {
		av[k++] = "-static";
		av[k++] = "-nostdlib";
		snprintf(libdir, sizeof(libdir), "-L%s", lib);
		av[k++] = libdir;
		if (startfiles) {
			snprintf(crt1, sizeof(crt1), "%s/crt1.o", lib);
			snprintf(crti, sizeof(crti), "%s/crti.o", lib);
			crtbegin = gcc_file(cc, m32, "-print-file-name=crtbeginT.o");
			av[k++] = crt1;
			av[k++] = crti;
			av[k++] = crtbegin;
		}
	}
	for (int i = 1; i < argc; i++)
		av[k++] = argv[i];
	if (link) {
		if (libs) {
			libgcc = gcc_file(cc, m32, "-print-libgcc-file-name");
			libgcc_eh = gcc_file(cc, m32, "-print-file-name=libgcc_eh.a");
			av[k++] = "-Wl,--start-group";
			av[k++] = "-lc";
			av[k++] = libgcc;
			if (access(libgcc_eh, F_OK) == 0)
				av[k++] = libgcc_eh;
			av[k++] = "-Wl,--end-group";
		}
		if (startfiles) {
			crtend = gcc_file(cc, m32, "-print-file-name=crtend.o");
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
	execvp(cc, av);
	die("cannot run the host compiler", cc);
	return 1;
}
