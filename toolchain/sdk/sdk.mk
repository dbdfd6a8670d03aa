# make sdk: the toolchain and the staging sysroot as a tarball for
# application teams, $(BINARIES_DIR)/<tuple>_sdk-tinyroot.tar.gz.
#
# Layout (the compiler wrapper finds ../<tuple>/sysroot from bin/, as in
# $(HOST_DIR)):
#   bin/<tuple>-gcc, -cc (the wrapper; -g++ and -c++ with C++ support), -cpp,
#       -ar, -as, -ld, -nm, -objcopy, -objdump, -ranlib, -strip, -readelf,
#       -gcc-ar, -gcc-nm, -gcc-ranlib (host/bin's scripts running the
#       toolchain's binutils), -pkg-config
#   <tuple>/sysroot/        musl, kernel headers, packages' headers and libraries
#   environment-setup       . it: CC, CXX, CFLAGS, PATH, CROSS_COMPILE, ARCH, PKG_CONFIG_*
#   share/tinyroot/toolchainfile.cmake, cross.meson.in (relocate-sdk.sh
#       writes cross.meson from it)
#   relocate-sdk.sh
# Nothing inside names the build machine's folders; the tarball is written
# by tr-helper (sorted, owners root, times clamped to SOURCE_DATE_EPOCH).
SDK_NAME = $(TR_TUPLE)_sdk-tinyroot
SDK_STAGE = $(BUILD_DIR)/sdk
SDK_DIR = $(SDK_STAGE)/$(SDK_NAME)
SDK_TARBALL = $(BINARIES_DIR)/$(SDK_NAME).tar.gz
# the architecture's names for the build systems (toolchain/arch/<arch>.in)
SDK_SUBST = sed -e 's|@TUPLE@|$(TR_TUPLE)|g' -e 's|@KERNEL_ARCH@|$(KERNEL_ARCH)|g' \
	-e 's|@TOOLCHAIN_CC@|$(TOOLCHAIN_PREFIX)gcc|g' \
	-e 's|@TOOLCHAIN_CXX@|$(TOOLCHAIN_PREFIX)g++|g' \
	-e 's|@TOOLCHAIN_PACKAGES@|$(call qstrip,$(TR_ARCH_TOOLCHAIN_PACKAGES))|g' \
	-e 's|@TOOLCHAIN_CXX_PACKAGES@|$(if $(TR_TOOLCHAIN_CXX),$(call qstrip,$(TR_ARCH_TOOLCHAIN_CXX_PACKAGES)))|g' \
	-e 's|@PROCESSOR@|$(call qstrip,$(TR_ARCH_CMAKE_PROCESSOR))|g' \
	-e 's|@CPU_FAMILY@|$(call qstrip,$(TR_ARCH_MESON_CPU_FAMILY))|g' \
	-e 's|@CPU@|$(call qstrip,$(TR_ARCH_MESON_CPU))|g' \
	-e 's|@ENDIAN@|$(call qstrip,$(TR_ARCH_ENDIAN))|g'

# Only what fills the sysroot: an SDK does not wait for the kernel image.
# (A package of an infrastructure says so with <PKG>_INSTALL_STAGING = YES:
# the infrastructure's install command names the package of the step that
# runs it, so it says nothing outside one.)
SDK_PACKAGES = $(foreach p,$(PACKAGES),$(if $(filter YES,$($(call UC,$(p))_INSTALL_STAGING))$(if \
	$(call pkg-is-host,$(p)),,$($(call UC,$(p))_INSTALL_STAGING_CMDS)),$(p)))
$(SDK_TARBALL): $(foreach p,$(SDK_PACKAGES),$(BUILD_DIR)/$(p)/.stamp_installed) $(TARGET_CC) \
		$(wildcard toolchain/sdk/*) $(HELPER)
	@echo ">>> $(SDK_NAME).tar.gz"
	rm -rf $(SDK_STAGE)
	mkdir -p $(SDK_DIR)/bin $(SDK_DIR)/$(TR_TUPLE) $(SDK_DIR)/share/tinyroot
	cp $(WRAPPER) $(SDK_DIR)/bin/tinyroot-wrapper
	cp -P $(foreach t,gcc cc cpp pkg-config $(TARGET_BINUTILS) $(if $(TARGET_CXX),g++ c++),$(TARGET_CROSS)$(t)) \
		$(SDK_DIR)/bin/
	cp -a $(HOST_DIR)/$(TR_TUPLE)/sysroot $(SDK_DIR)/$(TR_TUPLE)/sysroot
	$(SDK_SUBST) toolchain/sdk/environment-setup.in > $(SDK_DIR)/environment-setup
	$(SDK_SUBST) toolchain/sdk/relocate-sdk.sh > $(SDK_DIR)/relocate-sdk.sh
	chmod 755 $(SDK_DIR)/relocate-sdk.sh
	cp $(CMAKE_TOOLCHAIN_FILE) $(SDK_DIR)/share/tinyroot/toolchainfile.cmake
	$(SDK_SUBST) toolchain/sdk/cross.meson.in > $(SDK_DIR)/share/tinyroot/cross.meson.in
	# no path of this machine may remain in a text file of the SDK
	if grep -rlI -e '$(O)' -e '$(TOPDIR)' $(SDK_DIR); then \
		echo "*** the SDK files above name this machine's folders" >&2; exit 1; fi
	mkdir -p $(BINARIES_DIR)
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(HELPER) pack tar --compress gzip \
		--root $(SDK_STAGE) --out $@

sdk: $(SDK_TARBALL)
.PHONY: sdk
