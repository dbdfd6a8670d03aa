# The toolchain: the compiler the configuration chose (toolchain/Config.in:
# the host's gcc, or Debian's cross gcc for the architecture) through our
# wrapper, aimed at the staging sysroot (musl + kernel headers).
# $(HOST_DIR)/<tuple>/sysroot is the staging folder; $(O)/staging points to
# it, as in Buildroot. Every tool a package's build may look for exists in
# $(HOST_DIR)/bin under the tuple's name, so `--host=<tuple>` finds them.
#
# The architecture's description (toolchain/arch/<arch>.in) reaches make as
# the TR_ARCH_* values of the configuration; these are their short names.
TR_TUPLE = $(call qstrip,$(TR_ARCH))-tinyroot-linux-musl
KERNEL_ARCH = $(call qstrip,$(TR_ARCH_KERNEL))
KERNEL_IMAGE_PATH = $(call qstrip,$(TR_ARCH_KERNEL_IMAGE))
KERNEL_IMAGE = $(notdir $(KERNEL_IMAGE_PATH))
# The chosen toolchain's command prefix ("" or aarch64-linux-gnu-): the
# kernel's CROSS_COMPILE, and what the wrapper and the tools below run.
TOOLCHAIN_PREFIX = $(addsuffix -,$(call qstrip,$(TR_TOOLCHAIN_PREFIX)))
TARGET_CROSS = $(HOST_DIR)/bin/$(TR_TUPLE)-
TARGET_CC = $(TARGET_CROSS)gcc
# (gcc-ar, gcc-nm, gcc-ranlib: the binutils with gcc's LTO plugin, which
# builds that use -flto and other build systems' toolchain checks ask for)
TARGET_BINUTILS = ar as ld nm objcopy objdump ranlib readelf strip gcc-ar gcc-nm gcc-ranlib
# C++ support (TR_TOOLCHAIN_CXX): <tuple>-g++ and -c++, the wrapper driving
# the toolchain's g++ with libc++ (package/libcxx). Empty when it is off:
# no <tuple>-g++ is then on the PATH for a package's configure to find.
TARGET_CXX = $(if $(TR_TOOLCHAIN_CXX),$(TARGET_CROSS)g++)
WRAPPER = $(HOST_DIR)/bin/tinyroot-wrapper
# the toolchain's own gcc through the wrapper (no sysroot; the launcher of
# toolchain/launcher.mk applies): the kernel's and musl's CC
TOOLCHAIN_CC = $(HOST_DIR)/bin/tinyroot-toolchain-gcc
TOOLCHAIN_KCONFIG_PREFIX = TR_TOOLCHAIN TR_TOOLCHAIN_CXX TR_STATIC_LIBS TR_SHARED_LIBS TR_SHARED_STATIC_LIBS
TOOLCHAIN_SLICE = $(BUILD_DIR)/toolchain/.config-slice

# Missing toolchain packages are named before anything is downloaded.
TOOLCHAIN_CHECK = $(HOST_DIR)/.toolchain-ok
$(TOOLCHAIN_CHECK): $(TOOLCHAIN_SLICE)
	if ! command -v $(TOOLCHAIN_PREFIX)gcc >/dev/null || ! command -v $(TOOLCHAIN_PREFIX)ld >/dev/null \
		$(if $(TR_TOOLCHAIN_CXX),|| ! command -v $(TOOLCHAIN_PREFIX)g++ >/dev/null); then \
		echo "*** the toolchain for $(call qstrip,$(TR_ARCH)) ($(TOOLCHAIN_PREFIX)gcc$(if $(TR_TOOLCHAIN_CXX), and g++)) is missing; install it with:" >&2; \
		echo "***   sudo apt-get install $(call qstrip,$(TR_ARCH_TOOLCHAIN_PACKAGES))$(if $(TR_TOOLCHAIN_CXX), $(call qstrip,$(TR_ARCH_TOOLCHAIN_CXX_PACKAGES)))" >&2; \
		echo "*** (or run support/scripts/install-host-deps.sh)" >&2; exit 1; fi
	mkdir -p $(@D) && touch $@
# (with a configuration only: `make host-tools` builds the helper without one)
ifneq ($(wildcard $(CONFIG_FILE)),)
$(HELPER): | $(TOOLCHAIN_CHECK)
endif

# The libraries choice (Config.in, Build options): with shared libraries,
# programs are linked dynamically against musl's loader.
TOOLCHAIN_SHARED = $(if $(TR_STATIC_LIBS),,y)
MUSL_LOADER = /lib/ld-musl-$(call qstrip,$(TR_ARCH_MUSL)).so.1

# The compiler, the architecture's flags and the link mode are compiled
# into the wrapper: it runs from the SDK on another machine with no
# configuration beside it.
$(WRAPPER): toolchain/wrapper/wrapper.c $(TOOLCHAIN_SLICE)
	mkdir -p $(@D)
	$(HOSTCC) -std=c11 -O2 -Wall -Wextra -Werror -Wno-format-truncation -D_GNU_SOURCE \
		-DTR_TOOLCHAIN_CC='"$(TOOLCHAIN_PREFIX)gcc"' -DTR_TOOLCHAIN_CXX='"$(TOOLCHAIN_PREFIX)g++"' \
		-DTR_ARCH_CFLAGS='"$(call qstrip,$(TR_ARCH_CFLAGS))"' \
		$(if $(TOOLCHAIN_SHARED),-DTR_DYNAMIC_LOADER='"$(MUSL_LOADER)"') -o $@.tmp $<
	mv $@.tmp $@

# <tuple>-gcc and -cc are the wrapper; -cpp runs it with -E; the binutils
# are two-line scripts that run the toolchain's own (found on PATH, so the
# SDK copies them as they are).
toolchain-tool = printf '\#!/bin/sh\nexec %s "$$@"\n' '$(2)' > $(TARGET_CROSS)$(1).tmp && \
	chmod 755 $(TARGET_CROSS)$(1).tmp && mv $(TARGET_CROSS)$(1).tmp $(TARGET_CROSS)$(1)
# <tuple>-pkg-config is the build machine's pkg-config aimed at the sysroot
# next to it (autoconf's PKG_PROG_PKG_CONFIG looks for it by that name when
# cross-compiling); --static when programs link statically (the libraries
# choice), so that a library's private dependencies come too.
define TOOLCHAIN_PKG_CONFIG
#!/bin/sh
# pkg-config aimed at the sysroot beside this script's folder
sysroot=$$(cd "$$(dirname "$$0")/../$(TR_TUPLE)/sysroot" && pwd)
PKG_CONFIG_SYSROOT_DIR=$$sysroot PKG_CONFIG_PATH= \
PKG_CONFIG_LIBDIR=$$sysroot/usr/lib/pkgconfig:$$sysroot/usr/share/pkgconfig exec pkg-config $(if $(TOOLCHAIN_SHARED),,--static )"$$@"
endef
export TOOLCHAIN_PKG_CONFIG
TARGET_PKG_CONFIG = $(TARGET_CROSS)pkg-config

# The build systems' descriptions of the toolchain (toolchain/sdk/): the
# CMake file finds the toolchain from its own folder (the SDK ships the same
# file); a Meson 1.0 cross file cannot, so this one names $(HOST_DIR).
CMAKE_TOOLCHAIN_FILE = $(HOST_DIR)/share/tinyroot/toolchainfile.cmake
MESON_CROSS_FILE = $(HOST_DIR)/share/tinyroot/cross.meson

$(TARGET_CC): $(WRAPPER) toolchain/sdk/toolchainfile.cmake.in toolchain/sdk/cross.meson.in
	ln -sf tinyroot-wrapper $(TARGET_CROSS)cc
	$(if $(TARGET_CXX),ln -sf tinyroot-wrapper $(TARGET_CROSS)g++ && ln -sf tinyroot-wrapper $(TARGET_CROSS)c++,\
		rm -f $(TARGET_CROSS)g++ $(TARGET_CROSS)c++)
	ln -sf tinyroot-wrapper $(TOOLCHAIN_CC)
	$(call toolchain-tool,cpp,"$$(dirname "$$0")/$(TR_TUPLE)-gcc" -E)
	$(foreach t,$(TARGET_BINUTILS),$(call toolchain-tool,$(t),$(TOOLCHAIN_PREFIX)$(t)) &&) true
	printf '%s\n' "$$TOOLCHAIN_PKG_CONFIG" > $(TARGET_PKG_CONFIG).tmp
	chmod 755 $(TARGET_PKG_CONFIG).tmp && mv $(TARGET_PKG_CONFIG).tmp $(TARGET_PKG_CONFIG)
	mkdir -p $(dir $(CMAKE_TOOLCHAIN_FILE))
	$(SDK_SUBST) toolchain/sdk/toolchainfile.cmake.in > $(CMAKE_TOOLCHAIN_FILE)
	$(SDK_SUBST) -e 's|@SDK_DIR@|$(HOST_DIR)|' toolchain/sdk/cross.meson.in > $(MESON_CROSS_FILE)
	ln -sf tinyroot-wrapper $@

$(STAGING_DIR):
	mkdir -p $(HOST_DIR)/$(TR_TUPLE)/sysroot
	ln -sfn host/$(TR_TUPLE)/sysroot $@

toolchain: $(TARGET_CC) | $(STAGING_DIR)
.PHONY: toolchain
