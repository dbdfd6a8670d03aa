# linux: the kernel image for the board (the architecture's: bzImage, Image).
ifeq ($(TR_LINUX_KERNEL_CUSTOM_TARBALL),y)
LINUX_VERSION = custom
LINUX_SOURCE = $(notdir $(LINUX_URL))
LINUX_URL = $(call qstrip,$(TR_LINUX_KERNEL_CUSTOM_TARBALL_LOCATION))
# a custom tarball's hash lives with the user's patches, as in Buildroot
LINUX_HASH_FILES = $(GLOBAL_PATCH_DIR)/linux/linux.hash
# what the SBOM and the CVE check call it: the tarball's own version
# (`make kernelversion`), known once it is extracted
LINUX_SBOM_VERSION = $(or $(shell test -f $(LINUX_DIR)/src/Makefile && \
	$(MAKE) -s --no-print-directory -C $(LINUX_DIR)/src kernelversion 2>/dev/null),custom)
else
LINUX_VERSION = 6.1.183
LINUX_SOURCE = linux-$(LINUX_VERSION).tar.xz
LINUX_SITE = https://cdn.kernel.org/pub/linux/kernel/v6.x
endif
LINUX_LICENSE = GPL-2.0-only
LINUX_LICENSE_FILES = COPYING
LINUX_SUPPLIER = Linux kernel project (kernel.org)
# the project's page, for the SBOM's creator: a custom tarball's URL (a
# mirror, Debian's repack) does not name the project
LINUX_HOMEPAGE = https://www.kernel.org/
LINUX_CPE_ID_VENDOR = linux
LINUX_CPE_ID_PRODUCT = linux_kernel
# NVD names the kernel an operating system: cpe:2.3:o:linux:linux_kernel
LINUX_CPE_ID_PART = o
# the kernel's own menu (Config.in sources it), its own symbol
LINUX_KCONFIG_VAR = TR_LINUX_KERNEL
LINUX_KCONFIG_PREFIX = TR_LINUX_KERNEL TR_BOARD TR_TARGET_ROOTFS_INITRAMFS
LINUX_DIR = $(BUILD_DIR)/linux
# the lz4 that compresses an LZ4 kernel is tinyroot's own (TR_LINUX_KERNEL_LZ4)
LINUX_DEPENDENCIES = $(if $(TR_LINUX_KERNEL_LZ4),host-lz4)
# Kbuild's output folder (O=) is a child of the source tree, so that Kbuild
# names every source and header folder relative to it (srctree "..") rather
# than by absolute path: the compiler's command line is then the same in
# every output folder, and ccache's base_dir (toolchain/launcher.mk) has no
# path to rewrite, which would change __FILE__ in the image.
LINUX_OBJ = $(LINUX_DIR)/src/obj
# tinyconfig and allnoconfig start from nothing: package/linux/tinyroot.fragment
# adds what every tinyroot image needs, then the board's fragments its devices
LINUX_USER_FRAGMENTS = $(if $(TR_LINUX_KERNEL_USE_TINYCONFIG)$(TR_LINUX_KERNEL_USE_ALLNOCONFIG),\
		package/linux/tinyroot.fragment) \
	$(if $(TR_LINUX_KERNEL_LZ4),package/linux/lz4.fragment) \
	$(call qstrip,$(TR_LINUX_KERNEL_CONFIG_FRAGMENT_FILES)) \
	$(if $(TR_LINUX_KERNEL_DEBUG),package/linux/debug.fragment)
LINUX_CONFIG_FILES = $(LINUX_USER_FRAGMENTS) $(call qstrip,$(TR_LINUX_KERNEL_CUSTOM_CONFIG_FILE)) \
	$(LINUX_PACKAGES_FRAGMENT)
# plus the one written at configure time (not an input of the step)
LINUX_FRAGMENTS = $(LINUX_USER_FRAGMENTS) $(LINUX_PACKAGES_FRAGMENT) \
	$(if $(TR_TARGET_ROOTFS_INITRAMFS),$(LINUX_DIR)/initramfs.fragment)

# The kernel options the enabled packages need (<PKG>_LINUX_CONFIG_OPTS:
# libpcap's CONFIG_PACKET=y), as a fragment after the user's: an input of
# the configure step, rewritten only when the list changes.
LINUX_PACKAGES_FRAGMENT = $(LINUX_DIR)/packages.fragment
$(LINUX_PACKAGES_FRAGMENT): private TR_STEP_LOG =
$(LINUX_PACKAGES_FRAGMENT): FORCE | $(LINUX_DIR)/logs/.
	$(Q)$(call write-text,$@,$(call join-lines,$(sort $(foreach p,$(PACKAGES),$($(call UC,$(p))_LINUX_CONFIG_OPTS)))))

# Pass ARCH on every make: without it tinyconfig gives a 32-bit kernel.
# The kernel is freestanding: it uses the toolchain's own gcc (through the
# wrapper's tinyroot-toolchain-gcc, for ccache and distcc), not the wrapper
# aimed at musl. Fixed build metadata makes two builds give the same image
# (the build number too: Kbuild counts each relink, "#2" after a rebuild).
# The job count is the jobserver's (no -j: see PARALLEL_JOBS).
LINUX_MAKE = $(MAKE) -C $(LINUX_DIR)/src O=$(LINUX_OBJ) ARCH=$(KERNEL_ARCH) \
	CROSS_COMPILE=$(TOOLCHAIN_PREFIX) CC=$(TOOLCHAIN_CC) \
	KBUILD_BUILD_TIMESTAMP="$(TR_BUILD_DATE)" KBUILD_BUILD_USER=tinyroot \
	KBUILD_BUILD_HOST=tinyroot KBUILD_BUILD_VERSION=1 \
	$(if $(TR_LINUX_KERNEL_LZ4),LZ4=$(HOST_DIR)/bin/lz4)

LINUX_BASE_CONFIG = $(if $(TR_LINUX_KERNEL_USE_ALLNOCONFIG),allnoconfig,$(if \
	$(TR_LINUX_KERNEL_USE_DEFCONFIG),defconfig,tinyconfig))

# The initramfs linked into the kernel (fs/initramfs.mk) is an uncompressed
# cpio at $(LINUX_DIR)/initramfs.cpio. The kernel first builds beside
# BusyBox with an empty one, then fs/initramfs.mk relinks it with the root
# filesystem, as Buildroot does: the kernel need not wait for the packages.
define LINUX_INITRAMFS_PREPARE
	printf '%s\n' 'CONFIG_BLK_DEV_INITRD=y' \
		'CONFIG_INITRAMFS_SOURCE="$(LINUX_DIR)/initramfs.cpio"' > $(LINUX_DIR)/initramfs.fragment
	[ -e $(LINUX_DIR)/initramfs.cpio ] || : > $(LINUX_DIR)/initramfs.cpio
endef

# The configuration: package/pkg-kconfig.mk, from these
LINUX_KCONFIG_MAKE = $(LINUX_MAKE)
LINUX_KCONFIG_DOTCONFIG = $(LINUX_OBJ)/.config
LINUX_KCONFIG_FILE = $(if $(TR_LINUX_KERNEL_USE_CUSTOM_CONFIG),$(call qstrip,$(TR_LINUX_KERNEL_CUSTOM_CONFIG_FILE)))
LINUX_KCONFIG_FILE_OPTION = set TR_LINUX_KERNEL_USE_CUSTOM_CONFIG and its file first
LINUX_KCONFIG_DEFCONFIG = $(LINUX_BASE_CONFIG)
LINUX_KCONFIG_FRAGMENT_FILES = $(LINUX_FRAGMENTS)

define LINUX_CONFIGURE_CMDS
	mkdir -p $(LINUX_OBJ)
	$(if $(TR_TARGET_ROOTFS_INITRAMFS),$(LINUX_INITRAMFS_PREPARE))
	$(KCONFIG_CONFIGURE_CMDS)
endef

# The files the kernel compiled (each object's source and the headers it
# included, from Kbuild's .o.cmd files): make cve-check marks a kernel CVE
# none of whose files is in this list not affected (code_not_present).
LINUX_COMPILED_SOURCES = $(LINUX_DIR)/meta/compiled-sources.txt

define LINUX_BUILD_CMDS
	$(LINUX_MAKE) $(KERNEL_IMAGE)
	mkdir -p $(PKG_META_DIR)
	$(TOPDIR)/support/scripts/cve_kernel.py compiled-sources $(LINUX_OBJ) $(LINUX_DIR)/src $(LINUX_COMPILED_SOURCES)
endef

# With the initramfs linked in, fs/initramfs.mk installs the final image.
# The package cache cannot hold that image (it is relinked after the
# package's install step), so such a kernel is always built.
define LINUX_INSTALL_IMAGES_CMDS
	$(if $(TR_TARGET_ROOTFS_INITRAMFS),,$(call LINUX_INSTALL_IMAGE,$(PKG_IMAGES_DIR)))
endef
LINUX_PKG_CACHE = $(if $(TR_TARGET_ROOTFS_INITRAMFS),NO)
# LINUX_INSTALL_IMAGE DIR: the image into DIR, whole or not at all
define LINUX_INSTALL_IMAGE
	cp $(LINUX_OBJ)/$(KERNEL_IMAGE_PATH) $(1)/.$(KERNEL_IMAGE).tmp
	mv $(1)/.$(KERNEL_IMAGE).tmp $(1)/$(KERNEL_IMAGE)
endef
