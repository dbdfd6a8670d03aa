# musl: the C library of the staging sysroot.
MUSL_VERSION = 1.2.3
MUSL_SOURCE = musl-$(MUSL_VERSION).tar.gz
MUSL_SITE = https://musl.libc.org/releases
MUSL_LICENSE = MIT
MUSL_LICENSE_FILES = COPYRIGHT
MUSL_SUPPLIER = musl libc project (musl.libc.org)
MUSL_CPE_ID_VENDOR = musl-libc
MUSL_CATEGORY = Target packages
MUSL_KCONFIG_PREFIX = TR_PACKAGE_MUSL

# musl builds itself with the toolchain's own gcc (it is the C library: no
# sysroot yet; it needs no kernel headers either, so it builds beside
# headers_install), through the wrapper's tinyroot-toolchain-gcc for ccache.
# Its configure looks for $(target)-ar when --target is given:
# name the tuple's tools. No musl-gcc script: the wrapper is the toolchain
# (musl's would name this machine's compiler path in the SDK's sysroot).
# With shared libraries (toolchain/toolchain.mk: TOOLCHAIN_SHARED) it builds
# libc.so, which is also its dynamic loader.
define MUSL_CONFIGURE_CMDS
	cd $(@D)/src && ./configure --prefix=/usr --target=$(TR_TUPLE) \
		$(if $(TOOLCHAIN_SHARED),,--disable-shared) --disable-wrapper \
		CC="$(TOOLCHAIN_CC) $(call qstrip,$(TR_ARCH_CFLAGS))" \
		AR=$(TARGET_CROSS)ar RANLIB=$(TARGET_CROSS)ranlib CFLAGS="-O2"
endef

# musl's Makefile trusts timestamps: after an interrupted build, start over
MUSL_CLEAN_CMDS = $(MAKE) -C $(@D)/src clean

define MUSL_BUILD_CMDS
	$(MAKE) -C $(@D)/src
endef

define MUSL_INSTALL_STAGING_CMDS
	$(MAKE) -C $(@D)/src DESTDIR=$(PKG_STAGING_DIR) install
endef

# The image gets the loader (/lib/ld-musl-<arch>.so.1, a link to
# /usr/lib/libc.so) and libc.so when programs are linked dynamically.
define MUSL_INSTALL_TARGET_SHARED
	mkdir -p $(PKG_TARGET_DIR)/lib $(PKG_TARGET_DIR)/usr/lib
	cp -a $(PKG_STAGING_DIR)$(MUSL_LOADER) $(PKG_TARGET_DIR)/lib/
	cp -a $(PKG_STAGING_DIR)/usr/lib/libc.so $(PKG_TARGET_DIR)/usr/lib/
endef
MUSL_INSTALL_TARGET_CMDS = $(if $(TOOLCHAIN_SHARED),$(MUSL_INSTALL_TARGET_SHARED))
