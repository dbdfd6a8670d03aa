# busybox: shell, init and utilities, linked against musl (statically unless
# the libraries choice is shared).
BUSYBOX_VERSION = 1.35.0
BUSYBOX_SOURCE = busybox-$(BUSYBOX_VERSION).tar.bz2
BUSYBOX_SITE = https://busybox.net/downloads
BUSYBOX_LICENSE = GPL-2.0-only
BUSYBOX_LICENSE_FILES = LICENSE
BUSYBOX_SUPPLIER = BusyBox project (busybox.net)
BUSYBOX_CPE_ID_VENDOR = busybox
BUSYBOX_CATEGORY = Target packages
BUSYBOX_DEPENDENCIES = musl linux-headers
# linked dynamically with shared libraries (its configuration file says
# CONFIG_STATIC=y)
BUSYBOX_FRAGMENTS = $(if $(TOOLCHAIN_SHARED),package/busybox/dynamic.fragment) \
	$(call qstrip,$(TR_PACKAGE_BUSYBOX_CONFIG_FRAGMENT_FILES))
BUSYBOX_CONFIG_FILES = $(call qstrip,$(TR_PACKAGE_BUSYBOX_CONFIG)) $(BUSYBOX_FRAGMENTS)

# BusyBox links with $(CC) too (partial links use -nostdlib -Wl,-r), so the
# wrapper must be its CC, not only its compiler; CROSS_COMPILE gives it the
# tuple's ar, strip, ...
# ARCH is given: BusyBox would take it from CROSS_COMPILE's first '-'
# field, which is part of the output folder's path when that has a '-' in it
# (output-tests/...), and then leave out its arch/<arch>/Makefile flags.
BUSYBOX_ARCH = $(patsubst i%86,i386,$(call qstrip,$(TR_ARCH)))
BUSYBOX_MAKE = $(MAKE) -C $(BUILD_DIR)/busybox/src CROSS_COMPILE=$(TARGET_CROSS) ARCH=$(BUSYBOX_ARCH) \
	CC="$(TARGET_CC)" HOSTCC="$(HOSTCC)" KCONFIG_NOTIMESTAMP=1

# The configuration: package/pkg-kconfig.mk, from these. BusyBox's kconfig
# keeps the first of two assignments (fragments replace the file's lines)
# and has neither olddefconfig (oldconfig takes every default) nor
# savedefconfig.
BUSYBOX_KCONFIG_MAKE = $(BUSYBOX_MAKE)
BUSYBOX_KCONFIG_DOTCONFIG = $(BUILD_DIR)/busybox/src/.config
BUSYBOX_KCONFIG_FILE = $(call qstrip,$(TR_PACKAGE_BUSYBOX_CONFIG))
BUSYBOX_KCONFIG_FRAGMENT_FILES = $(BUSYBOX_FRAGMENTS)
BUSYBOX_KCONFIG_OLDDEFCONFIG = yes "" | $(BUSYBOX_MAKE) oldconfig > /dev/null
BUSYBOX_KCONFIG_SAVEDEFCONFIG = NO

BUSYBOX_CONFIGURE_CMDS = $(KCONFIG_CONFIGURE_CMDS)

define BUSYBOX_BUILD_CMDS
	$(BUSYBOX_MAKE)
endef

define BUSYBOX_INSTALL_TARGET_CMDS
	$(BUSYBOX_MAKE) CONFIG_PREFIX=$(PKG_TARGET_DIR) install
	rm -f $(PKG_TARGET_DIR)/linuxrc
endef
