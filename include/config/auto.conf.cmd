deps_config := \
	fs/Config.in \
	package/busybox/Config.in \
	package/linux-headers/Config.in \
	package/musl/Config.in \
	package/linux/Config.in \
	fs/system.in \
	toolchain/Config.in \
	/work/main/output-tests/Config.in.expanded \

include/config/auto.conf: $(deps_config)


$(deps_config): ;
