/* .config text in: read it over a fixed Kconfig tree with every kind of
 * symbol (bool, tristate, int with range, hex, string, choices, selects),
 * settle the values and write the configuration again. */
#include <stdio.h>
#include <stdlib.h>
#include "../kconfig/kconfig.h"
#include "common.h"

static const char tree[] =
	"config MODULES\n\tbool \"modules\"\n\tdefault y\n\tmodules\n"
	"config A\n\tbool \"a\"\n\tselect B\nconfig B\n\ttristate \"b\"\n\tdepends on C\n"
	"config C\n\ttristate \"c\"\n\tdefault m\n"
	"config N\n\tint \"n\"\n\trange 1 100\n\tdefault 5\n"
	"config H\n\thex \"h\"\n\tdefault 0x10\n\trange 0x0 0xff\n"
	"config S\n\tstring \"s\"\n\tdefault \"x\"\n"
	"choice\n\tprompt \"pick\"\nconfig P1\n\tbool \"p1\"\nconfig P2\n\tbool \"p2\"\nendchoice\n"
	"choice\n\tprompt \"tri\"\n\ttristate\nconfig T1\n\ttristate \"t1\"\nconfig T2\n\ttristate \"t2\"\nendchoice\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *kpath = fuzz_file("Kconfig", (const uint8_t *)tree, sizeof(tree) - 1);
	FILE *quiet = fopen("/dev/null", "w");
	struct kconfig_options opt = { .prefix = "CONFIG_", .warn = quiet, .no_shell = 1 };
	struct kconfig *kc = kconfig_load(kpath, &opt, NULL);
	if (!kc)
		abort(); /* the fixed tree is valid */
	const char *cpath = fuzz_file("input.config", data, size);
	kconfig_read_config(kc, cpath, size && data[0] & 1);
	kconfig_settle(kc);
	char out[4200];
	snprintf(out, sizeof(out), "%s/.config", fuzz_dir());
	kconfig_write_config(kc, out);
	kconfig_free(kc);
	fclose(quiet);
	return 0;
}
