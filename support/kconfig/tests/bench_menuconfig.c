/* What menuconfig does before its first screen and on `/`, timed without a
 * terminal: load the tree and a .config, lay out the top menu, and search.
 *   bench_menuconfig KCONFIG_FILE PATTERN
 * Prints milliseconds (CLOCK_MONOTONIC) for each, best of 5. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "../kconfig.h"
#include "../menuconfig/mc.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s KCONFIG_FILE PATTERN\n", argv[0]);
		return 2;
	}
	double best_start = 1e9, best_search = 1e9;
	int found = 0;
	for (int i = 0; i < 5; i++) {
		struct mc mc = { 0 };
		struct kconfig_options opt = { .prefix = getenv("CONFIG_"), .srctree = getenv("srctree") };
		mc.prefix = opt.prefix ? opt.prefix : "CONFIG_";
		const char *cfg = getenv("KCONFIG_CONFIG");
		char *err = NULL;
		double t0 = now_ms();
		mc.kc = kconfig_load(argv[1], &opt, &err);
		if (!mc.kc) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		if (cfg && access(cfg, R_OK) == 0)
			kconfig_read_config(mc.kc, cfg, 1);
		kconfig_settle(mc.kc);
		if (mc_build_rows(&mc, kconfig_menu_root(mc.kc), &mc.rows) < 0)
			return 1;
		double t1 = now_ms();
		struct kconfig_menu **res;
		char msg[128];
		found = mc_search(&mc, argv[2], &res, msg, sizeof(msg));
		double t2 = now_ms();
		if (found < 0)
			return 1;
		free(res);
		free(mc.rows.v);
		kconfig_free(mc.kc);
		if (t1 - t0 < best_start)
			best_start = t1 - t0;
		if (t2 - t1 < best_search)
			best_search = t2 - t1;
	}
	printf("start %.1f ms, search '%s' %.1f ms (%d entries)\n", best_start, argv[2],
	       best_search, found);
	return 0;
}
