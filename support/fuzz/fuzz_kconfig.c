/* Kconfig text in: parse it, compute every value in one of the fill modes
 * (the input's length picks it, so that Kconfig files serve as seeds as they
 * are), write .config, the minimal defconfig,
 * auto.conf, autoconf.h and the JSON, and read the .config back.
 * $(shell,...) is turned off: the input is untrusted text. */
#include <stdio.h>
#include <stdlib.h>
#include "../kconfig/kconfig.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum kconfig_fill modes[] = { KCONFIG_FILL_DEFAULT, KCONFIG_FILL_NO, KCONFIG_FILL_YES,
				      KCONFIG_FILL_MOD, KCONFIG_FILL_RANDOM };
	enum kconfig_fill mode = modes[size % 5];
	const char *path = fuzz_file("Kconfig", data, size);
	FILE *quiet = fopen("/dev/null", "w");
	struct kconfig_options opt = { .prefix = "CONFIG_", .warn = quiet, .no_shell = 1 };
	char *err = NULL;
	struct kconfig *kc = kconfig_load(path, &opt, &err);
	free(err);
	if (kc) {
		char out[4][4200];
		const char *names[] = { ".config", "defconfig", "auto.conf", "autoconf.h" };
		for (int i = 0; i < 4; i++)
			snprintf(out[i], sizeof(out[i]), "%s/%s", fuzz_dir(), names[i]);
		kconfig_set_all_new(kc, mode, 42, 50, 33, 33);
		kconfig_settle(kc);
		kconfig_write_config(kc, out[0]);
		kconfig_write_defconfig(kc, out[1]);
		kconfig_write_autoconf(kc, out[2], NULL, out[3]);
		char json[4200];
		snprintf(json, sizeof(json), "%s/out.json", fuzz_dir());
		kconfig_write_json(kc, json);
		kconfig_read_config(kc, out[0], 1);
		kconfig_settle(kc);
		kconfig_free(kc);
	}
	fclose(quiet);
	return 0;
}
