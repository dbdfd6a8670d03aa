# linux-headers: the kernel's UAPI headers for the sysroot, from the linux
# package's source tree (extracted once), a package of its own so that musl
# and BusyBox do not wait for the kernel build. headers_install writes to
# its own O= folder, so it runs beside the kernel's build in the same tree.
LINUX_HEADERS_VERSION = $(LINUX_VERSION)
LINUX_HEADERS_SOURCE = $(LINUX_SOURCE)
LINUX_HEADERS_SITE = $(LINUX_SITE)
LINUX_HEADERS_URL = $(LINUX_URL)
LINUX_HEADERS_HASH_FILES = $(LINUX_HASH_FILES)
LINUX_HEADERS_DL_SUBDIR = linux
LINUX_HEADERS_SOURCE_PACKAGE = linux
LINUX_HEADERS_LICENSE = GPL-2.0 WITH Linux-syscall-note
LINUX_HEADERS_LICENSE_FILES = COPYING
LINUX_HEADERS_CATEGORY = Target packages
LINUX_HEADERS_KCONFIG_PREFIX = TR_LINUX_KERNEL_CUSTOM_TARBALL TR_LINUX_KERNEL_LATEST TR_ARCH

define LINUX_HEADERS_INSTALL_STAGING_CMDS
	$(MAKE) -C $(@D)/src ARCH=$(KERNEL_ARCH) CROSS_COMPILE=$(TOOLCHAIN_PREFIX) O=$(@D)/obj \
		INSTALL_HDR_PATH=$(PKG_STAGING_DIR)/usr headers_install
endef
