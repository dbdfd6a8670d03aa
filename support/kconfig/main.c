/* kconfig: the command-line front end of libkconfig, with Linux 6.1 conf's
 * modes, flags and exit codes, plus `set`, `why`, `merge` and `json`. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kconfig.h"

static void usage(FILE *f)
{
	fputs("usage: kconfig [mode] <Kconfig>\n"
	      "  --defconfig=FILE  --savedefconfig=FILE  --olddefconfig  --oldconfig\n"
	      "  --syncconfig  --alldefconfig  --allnoconfig  --allyesconfig\n"
	      "  --allmodconfig  --randconfig  --listnewconfig\n"
	      "       kconfig set <Kconfig> SYM=VALUE...\n"
	      "       kconfig why <Kconfig> SYM...\n"
	      "       kconfig merge <Kconfig> BASE FRAGMENT...\n"
	      "       kconfig json <Kconfig> OUT.json\n"
	      "environment: KCONFIG_CONFIG, KCONFIG_AUTOCONFIG, KCONFIG_AUTOHEADER,\n"
	      "  KCONFIG_ALLCONFIG, KCONFIG_SEED, KCONFIG_PROBABILITY, srctree, CONFIG_\n", f);
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

/* CONFIG_ set, even to "", names the prefix (6.1 conf); unset means CONFIG_ */
static const char *config_prefix(void)
{
	const char *p = getenv("CONFIG_");
	return p ? p : "CONFIG_";
}

static struct kconfig *load(const char *path)
{
	struct kconfig_options o = { 0 };
	char *err = NULL;
	o.prefix = config_prefix();
	o.srctree = getenv("srctree");
	struct kconfig *kc = kconfig_load(path, &o, &err);
	if (!kc) {
		fprintf(stderr, "%s\n", err ? err : "kconfig: cannot parse");
		free(err);
	}
	return kc;
}

static int write_config(struct kconfig *kc)
{
	const char *name = env_or("KCONFIG_CONFIG", ".config");
	if (kconfig_write_config(kc, name)) {
		fprintf(stderr, "%s\n", kconfig_error(kc));
		return 1;
	}
	return 0;
}

/* Parse SYM=VALUE assignments and apply them; prints why one fails. */
static int cmd_set(struct kconfig *kc, int argc, char **argv)
{
	const char *cfg = env_or("KCONFIG_CONFIG", ".config");
	if (access(cfg, F_OK) == 0 && kconfig_read_config(kc, cfg, 1)) {
		fprintf(stderr, "%s\n", kconfig_error(kc));
		return 1;
	}
	kconfig_settle(kc);
	const char *prefix = config_prefix();
	int bad = 0;
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq) {
			fprintf(stderr, "kconfig set: '%s' is not SYM=VALUE\n", argv[i]);
			return 1;
		}
		*eq = 0;
		const char *name = argv[i];
		if (!strncmp(name, prefix, strlen(prefix)))
			name += strlen(prefix);
		struct kconfig_symbol *s = kconfig_find(kc, name);
		if (!s) {
			fprintf(stderr, "kconfig set: unknown symbol %s\n", name);
			return 1;
		}
		if (kconfig_sym_set_value(kc, s, eq + 1)) {
			fprintf(stderr, "kconfig set: %s\n", kconfig_error(kc));
			return 1;
		}
		const char *got = kconfig_sym_str_value(kc, s);
		const char *want = eq + 1;
		if (strcmp(got, want) && !(kconfig_sym_type(s) == KCONFIG_HEX &&
					   !strncmp(got, "0x", 2) && !strcmp(got + 2, want))) {
			fprintf(stderr, "kconfig set: %s=%s cannot be assigned (value stays %s):\n",
				name, want, got);
			kconfig_explain(kc, s, stderr);
			bad = 1;
		}
	}
	if (bad)
		return 1;
	return write_config(kc);
}

static int cmd_merge(struct kconfig *kc, int argc, char **argv)
{
	if (argc < 1) {
		usage(stderr);
		return 1;
	}
	if (kconfig_read_config(kc, argv[0], 1)) {
		fprintf(stderr, "%s\n", kconfig_error(kc));
		return 1;
	}
	for (int i = 1; i < argc; i++)
		if (kconfig_read_config(kc, argv[i], 0)) {
			fprintf(stderr, "%s\n", kconfig_error(kc));
			return 1;
		}
	kconfig_settle(kc);
	kconfig_set_all_new(kc, KCONFIG_FILL_DEFAULT, 0, 0, 0, 0);
	int rc = write_config(kc);
	/* report what the fragments asked for and did not get */
	const char *prefix = config_prefix();
	size_t pl = strlen(prefix);
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		char *line = NULL;
		size_t cap = 0;
		int lineno = 0;
		while (f && getline(&line, &cap, f) != -1) {
			lineno++;
			char *name = line, *val;
			line[strcspn(line, "\r\n")] = 0;
			if (!strncmp(line, "# ", 2) && strstr(line, " is not set")) {
				name = line + 2;
				*strstr(name, " is not set") = 0;
				val = "n";
			} else if ((val = strchr(line, '='))) {
				*val++ = 0;
			} else {
				continue;
			}
			if (strncmp(name, prefix, pl))
				continue;
			struct kconfig_symbol *s = kconfig_find(kc, name + pl);
			if (!s)
				continue;
			const char *got = kconfig_sym_str_value(kc, s);
			char *want = val;
			if (kconfig_sym_type(s) == KCONFIG_STRING && *want == '"') {
				want++;
				want[strlen(want) ? strlen(want) - 1 : 0] = 0;
			}
			if (strcmp(got, want))
				fprintf(stderr, "%s:%d: warning: %s%s=%s requested, got %s\n",
					argv[i], lineno, prefix, name + pl, val, got);
		}
		free(line);
		if (f)
			fclose(f);
	}
	return rc;
}

enum mode { M_NONE, M_DEFCONFIG, M_SAVEDEFCONFIG, M_OLDDEFCONFIG, M_OLDCONFIG, M_OLDASK,
	    M_SYNCCONFIG, M_ALLDEF, M_ALLNO, M_ALLYES, M_ALLMOD, M_RAND, M_LISTNEW };

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "set") || !strcmp(argv[1], "why") ||
			  !strcmp(argv[1], "merge") || !strcmp(argv[1], "json"))) {
		if (argc < 3) {
			usage(stderr);
			return 1;
		}
		struct kconfig *kc = load(argv[2]);
		if (!kc)
			return 1;
		int rc = 0;
		if (!strcmp(argv[1], "set")) {
			rc = cmd_set(kc, argc - 3, argv + 3);
		} else if (!strcmp(argv[1], "merge")) {
			rc = cmd_merge(kc, argc - 3, argv + 3);
		} else {
			const char *cfg = env_or("KCONFIG_CONFIG", ".config");
			if (access(cfg, F_OK) == 0)
				kconfig_read_config(kc, cfg, 1);
			kconfig_settle(kc);
			if (argv[1][0] == 'j') {
				if (argc < 4 || kconfig_write_json(kc, argv[3])) {
					fprintf(stderr, "%s\n", argc < 4 ? "kconfig json: output file missing"
						: kconfig_error(kc));
					rc = 1;
				}
			} else {
				for (int i = 3; i < argc; i++) {
					const char *n = argv[i];
					const char *prefix = config_prefix();
					if (!strncmp(n, prefix, strlen(prefix)))
						n += strlen(prefix);
					struct kconfig_symbol *s = kconfig_find(kc, n);
					if (!s) {
						fprintf(stderr, "kconfig why: unknown symbol %s\n", n);
						rc = 1;
						continue;
					}
					kconfig_explain(kc, s, stdout);
				}
			}
		}
		kconfig_free(kc);
		return rc;
	}

	enum mode mode = M_OLDCONFIG;
	const char *file_arg = NULL, *kconfig = NULL;
	static const struct { const char *flag; enum mode m; } flags[] = {
		{ "--defconfig", M_DEFCONFIG }, { "--savedefconfig", M_SAVEDEFCONFIG },
		{ "--olddefconfig", M_OLDDEFCONFIG }, { "--oldconfig", M_OLDCONFIG },
		{ "--oldaskconfig", M_OLDASK }, { "--syncconfig", M_SYNCCONFIG },
		{ "--alldefconfig", M_ALLDEF }, { "--allnoconfig", M_ALLNO },
		{ "--allyesconfig", M_ALLYES }, { "--allmodconfig", M_ALLMOD },
		{ "--randconfig", M_RAND }, { "--listnewconfig", M_LISTNEW },
	};
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (argv[i][0] != '-') {
			kconfig = argv[i];
			continue;
		}
		/* conf's -s/--silent (Kbuild passes it under make -s): this
		 * front end prints no progress messages to silence */
		if (!strcmp(argv[i], "-s") || !strcmp(argv[i], "--silent"))
			continue;
		size_t k, n = sizeof(flags) / sizeof(*flags);
		for (k = 0; k < n; k++) {
			size_t fl = strlen(flags[k].flag);
			if (!strncmp(argv[i], flags[k].flag, fl) &&
			    (argv[i][fl] == 0 || argv[i][fl] == '=')) {
				mode = flags[k].m;
				if (argv[i][fl] == '=')
					file_arg = argv[i] + fl + 1;
				else if ((mode == M_DEFCONFIG || mode == M_SAVEDEFCONFIG) && i + 1 < argc)
					file_arg = argv[++i];
				break;
			}
		}
		if (k == n) {
			fprintf(stderr, "kconfig: unknown option %s\n", argv[i]);
			usage(stderr);
			return 1;
		}
	}
	if (!kconfig) {
		fprintf(stderr, "kconfig: Kconfig file missing\n");
		usage(stderr);
		return 1;
	}
	if ((mode == M_DEFCONFIG || mode == M_SAVEDEFCONFIG) && !file_arg) {
		fprintf(stderr, "kconfig: %s needs a file\n", mode == M_DEFCONFIG ? "--defconfig" : "--savedefconfig");
		return 1;
	}
	struct kconfig *kc = load(kconfig);
	if (!kc)
		return 1;
	const char *cfg = env_or("KCONFIG_CONFIG", ".config");
	int rc = 0;
	enum kconfig_fill fill = KCONFIG_FILL_DEFAULT;
	switch (mode) {
	case M_DEFCONFIG:
		if (kconfig_read_config(kc, file_arg, 1)) {
			fprintf(stderr, "***\n*** Can't find default configuration \"%s\"!\n***\n", file_arg);
			kconfig_free(kc);
			return 1;
		}
		kconfig_settle(kc);
		break;
	case M_ALLDEF: case M_ALLNO: case M_ALLYES: case M_ALLMOD: case M_RAND: {
		const char *all = getenv("KCONFIG_ALLCONFIG");
		if (all && *all && strcmp(all, "1")) {
			if (kconfig_read_config(kc, all, 1)) {
				fprintf(stderr, "*** Can't read seed configuration \"%s\"!\n", all);
				kconfig_free(kc);
				return 1;
			}
		} else if (all) {
			const char *nm = mode == M_ALLNO ? "allno.config" : mode == M_ALLYES ? "allyes.config" :
					 mode == M_ALLMOD ? "allmod.config" : mode == M_ALLDEF ? "alldef.config" :
					 "allrandom.config";
			if (kconfig_read_config(kc, nm, 1) && kconfig_read_config(kc, "all.config", 1)) {
				fprintf(stderr, "*** KCONFIG_ALLCONFIG set, but no \"%s\" or \"all.config\" file found\n", nm);
				kconfig_free(kc);
				return 1;
			}
		}
		break;
	}
	default:
		if (access(cfg, F_OK) == 0) {
			kconfig_read_config(kc, cfg, 1);
		} else {
			/* no configuration yet: an older tree's defconfig_list names
			 * the one to start from (conf_read_simple) */
			const char *start = kconfig_defconfig_list_file(kc);
			if (start && kconfig_read_config(kc, start, 1) == 0)
				printf("#\n# using defaults found in %s\n#\n", start);
		}
		kconfig_settle(kc);
		break;
	}
	switch (mode) {
	case M_ALLNO: fill = KCONFIG_FILL_NO; break;
	case M_ALLYES: fill = KCONFIG_FILL_YES; break;
	case M_ALLMOD: fill = KCONFIG_FILL_MOD; break;
	case M_RAND: fill = KCONFIG_FILL_RANDOM; break;
	default: break;
	}
	if (mode == M_RAND) {
		/* 6.1 set_randconfig_seed */
		const char *seed_env = getenv("KCONFIG_SEED");
		unsigned seed = 0;
		int seed_set = 0;
		if (seed_env && *seed_env) {
			char *endp;
			seed = (unsigned)strtol(seed_env, &endp, 0);
			seed_set = *endp == 0;
		}
		if (!seed_set) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			seed = (unsigned)((ts.tv_sec + 1) * (ts.tv_nsec / 1000 + 1));
		}
		int pby = 50, pty = 33, ptm = 33;
		const char *pe = getenv("KCONFIG_PROBABILITY");
		if (pe && *pe) {
			int p[3], np = 0;
			char *end;
			while (*pe && np < 3) {
				long v = strtol(pe, &end, 10);
				if (v < 0 || v > 100 || end == pe) {
					fprintf(stderr, "KCONFIG_PROBABILITY: invalid value\n");
					kconfig_free(kc);
					return 1;
				}
				p[np++] = (int)v;
				pe = *end == ':' ? end + 1 : end;
			}
			if (np == 1) { pby = p[0]; ptm = pby / 2; pty = pby - ptm; }
			else if (np == 2) { pty = p[0]; ptm = p[1]; pby = pty + ptm; }
			else if (np == 3) { pby = p[0]; pty = p[1]; ptm = p[2]; }
		}
		printf("KCONFIG_SEED=0x%X\n", seed);
		kconfig_set_all_new(kc, fill, seed, pby, pty, ptm);
	} else if (mode == M_DEFCONFIG || mode == M_ALLDEF || mode == M_ALLNO ||
		   mode == M_ALLYES || mode == M_ALLMOD) {
		kconfig_set_all_new(kc, fill, 0, 0, 0, 0);
	}
	if (mode == M_OLDCONFIG || mode == M_OLDASK)
		kconfig_oldconfig(kc, stdin, stdout, mode == M_OLDASK);
	if (mode == M_LISTNEW) {
		rc = kconfig_list_new(kc, stdout, config_prefix()) ? 1 : 0;
	} else if (mode == M_SAVEDEFCONFIG) {
		if (kconfig_write_defconfig(kc, file_arg)) {
			fprintf(stderr, "n*** Error while saving defconfig to: %s\n\n", file_arg);
			rc = 1;
		}
	} else {
		rc = write_config(kc);
		if (!rc && mode == M_SYNCCONFIG) {
			const char *ac = env_or("KCONFIG_AUTOCONFIG", "include/config/auto.conf");
			const char *hdr = env_or("KCONFIG_AUTOHEADER", "include/generated/autoconf.h");
			char *cmd = NULL;
			if (asprintf(&cmd, "%s.cmd", ac) < 0)
				cmd = NULL;
			if (kconfig_write_autoconf(kc, ac, cmd, hdr)) {
				fprintf(stderr, "\n*** Error during sync of the configuration: %s\n\n", kconfig_error(kc));
				rc = 1;
			}
			free(cmd);
		}
	}
	kconfig_free(kc);
	return rc;
}
