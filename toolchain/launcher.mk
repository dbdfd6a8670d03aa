# Compile launchers: ccache and distcc, run by the compiler wrapper
# (toolchain/wrapper) in front of the compiler for every target
# compilation: the kernel and musl through tinyroot-toolchain-gcc, BusyBox
# and the packages through <tuple>-gcc. They are set through the
# environment, which the packages' builds inherit; the SDK's wrapper sees
# none and runs the compiler alone. None of these options is in a package's
# configuration slice: turning them on or off rebuilds nothing, since the
# objects are the same.

ifeq ($(TR_CCACHE),y)
CCACHE_DIR := $(abspath $(or $(ENV_TR_CCACHE_DIR),$(call qstrip,$(TR_CCACHE_DIR)),$(HOME)/.cache/tinyroot-ccache))
# Paths under the output folder are hashed relative to the compiler's
# working folder, so two output folders (two developers' checkouts) share hits.
CCACHE_BASEDIR := $(O)
CCACHE_REMOTE_STORAGE := $(call qstrip,$(TR_CCACHE_REMOTE_STORAGE))
TR_WRAPPER_LAUNCHER := ccache
export CCACHE_DIR CCACHE_BASEDIR CCACHE_REMOTE_STORAGE TR_WRAPPER_LAUNCHER
# Statistics of this build (the change since the last one's end, kept in
# $(O) so that `make clean` does not reset them), printed
# at the end of `make` (Makefile: world).
CCACHE_STATS = CCACHE_DIR=$(CCACHE_DIR) support/scripts/ccache-stats $(O)/.ccache-stats
endif

DISTCC_HOSTS := $(call qstrip,$(TR_DISTCC_HOSTS))
ifneq ($(DISTCC_HOSTS),)
export DISTCC_HOSTS
# ccache compiles its misses through distcc itself (CCACHE_PREFIX), so that
# a hit never leaves this machine.
ifeq ($(TR_CCACHE),y)
CCACHE_PREFIX := distcc
export CCACHE_PREFIX
else
TR_WRAPPER_LAUNCHER := distcc
export TR_WRAPPER_LAUNCHER
endif
# the hosts' total capacity (distcc adds up the /N of each host); the
# host list is given on the command line because GNU make 4.3's $(shell)
# does not see exported variables
ifeq ($(filter-out 0,$(TR_JLEVEL)),)
PARALLEL_JOBS := $(shell DISTCC_HOSTS='$(DISTCC_HOSTS)' distcc -j 2>/dev/null || echo $(PARALLEL_JOBS))
endif
endif

# A launcher the machine lacks is named before anything is built (with the
# current configuration's values: see AUTOCONF_CURRENT).
ifeq ($(AUTOCONF_CURRENT),y)
$(foreach l,$(if $(filter y,$(TR_CCACHE)),ccache) $(if $(DISTCC_HOSTS),distcc),$(if \
	$(shell command -v $(l)),,$(error $(l) is not installed (TR_CCACHE, TR_DISTCC_HOSTS): \
	install it with: sudo apt-get install $(l))))
endif
