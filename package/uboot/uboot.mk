# uboot: the U-Boot bootloader for the board, from one of U-Boot's own board
# defconfigs (qemu_arm64, qemu-riscv64_smode, ...): u-boot.bin, and
# u-boot.elf where the board makes one, in images/.
# Debian's repack of the 2023.01 release, under Debian's file name (the
# mirror's too: make-source-mirror.sh). +dfsg: debian/copyright's
# Files-Excluded removes drivers/dma/MCD_tasks.c, the ColdFire (m68k) FEC
# DMA microcode, shipped as a table without its source; only
# CONFIG_FSLDMAFEC builds it, which no QEMU board sets.
# The patches here: 0001-0011 the security fixes Debian's bookworm package
# carries (2023.01+dfsg-2+deb12u3: CVE-2024-42040, CVE-2024-57254 to
# -57259, CVE-2026-46728), upstream's commits (0011 without its
# documentation and tests), and 0012 our completion of 0004's symbolic
# link bound. The SBOM lists each with the vulnerabilities its "CVE:"
# lines say it fixes.
UBOOT_VERSION = 2023.01+dfsg
UBOOT_SOURCE = u-boot_$(UBOOT_VERSION).orig.tar.xz
UBOOT_SITE = https://deb.debian.org/debian/pool/main/u/u-boot
# Licenses/README: version 2 of the GPL, "most of it" also any later
# version; some 1,600 of its C files are GPL-2.0-only (drivers taken from
# Linux), so the binary as a whole is distributed under version 2 only.
UBOOT_LICENSE = GPL-2.0-only
UBOOT_LICENSE_FILES = Licenses/README Licenses/gpl-2.0.txt
UBOOT_SUPPLIER = U-Boot project (denx.de), as repacked by Debian
UBOOT_HOMEPAGE = https://www.denx.de/wiki/U-Boot
UBOOT_CPE_ID_VENDOR = denx
UBOOT_CPE_ID_PRODUCT = u-boot
# NVD names the release, not Debian's repack
UBOOT_CPE_ID_VERSION = 2023.01
UBOOT_CATEGORY = Bootloaders
# its own symbols, as Buildroot names a bootloader's
UBOOT_KCONFIG_VAR = TR_TARGET_UBOOT
UBOOT_KCONFIG_PREFIX = TR_TARGET_UBOOT
UBOOT_DIR = $(BUILD_DIR)/uboot

UBOOT_BOARD_DEFCONFIG = $(call qstrip,$(TR_TARGET_UBOOT_BOARD_DEFCONFIG))
UBOOT_CUSTOM_CONFIG = $(call qstrip,$(TR_TARGET_UBOOT_CUSTOM_CONFIG_FILE))
# tinyroot.fragment first (host tools that would need libraries tinyroot
# does not ask the build machine for), then the user's
UBOOT_FRAGMENTS = package/uboot/tinyroot.fragment \
	$(call qstrip,$(TR_TARGET_UBOOT_CONFIG_FRAGMENT_FILES))
UBOOT_CONFIG_FILES = $(UBOOT_CUSTOM_CONFIG) $(UBOOT_FRAGMENTS)

# U-Boot is freestanding, like the kernel: the toolchain's own gcc (through
# tinyroot-toolchain-gcc, for ccache and distcc), not the wrapper aimed at
# musl. No ARCH: U-Boot takes it from its configuration. Built in its
# source tree, so that Kbuild names sources relative to it ("." as srctree)
# and no path of the output folder reaches __FILE__ in u-boot.bin (the
# package cache does not store a binary that names the output folder).
# Its version timestamp (U_BOOT_DATE, U_BOOT_TIME) comes from the
# SOURCE_DATE_EPOCH the Makefile exports; it records no user or host name.
UBOOT_MAKE = $(MAKE) -C $(UBOOT_DIR)/src CROSS_COMPILE=$(TOOLCHAIN_PREFIX) CC=$(TOOLCHAIN_CC) \
	HOSTCC="$(HOSTCC)"

# The configuration: package/pkg-kconfig.mk, from these
UBOOT_KCONFIG_MAKE = $(UBOOT_MAKE)
UBOOT_KCONFIG_DOTCONFIG = $(UBOOT_DIR)/src/.config
UBOOT_KCONFIG_FILE = $(UBOOT_CUSTOM_CONFIG)
UBOOT_KCONFIG_FILE_OPTION = set TR_TARGET_UBOOT_CUSTOM_CONFIG_FILE first
UBOOT_KCONFIG_DEFCONFIG = $(UBOOT_BOARD_DEFCONFIG)_defconfig
UBOOT_KCONFIG_FRAGMENT_FILES = $(UBOOT_FRAGMENTS)

define UBOOT_CONFIGURE_CMDS
	$(if $(UBOOT_BOARD_DEFCONFIG)$(UBOOT_CUSTOM_CONFIG),,$(error package/uboot: \
		TR_TARGET_UBOOT_BOARD_DEFCONFIG is empty: name U-Boot's board defconfig \
		(qemu_arm64 for configs/qemu_arm64_defconfig) or set TR_TARGET_UBOOT_CUSTOM_CONFIG_FILE))
	$(KCONFIG_CONFIGURE_CMDS)
endef

define UBOOT_BUILD_CMDS
	$(UBOOT_MAKE)
endef

# u-boot.elf exists only where the configuration asks for it (REMAKE_ELF).
# Mode 0644: objcopy leaves riscv64's u-boot.bin executable, arm64's not.
define UBOOT_INSTALL_IMAGES_CMDS
	install -m 0644 $(UBOOT_DIR)/src/u-boot.bin $(PKG_IMAGES_DIR)/
	if [ -e $(UBOOT_DIR)/src/u-boot.elf ]; then install -m 0644 $(UBOOT_DIR)/src/u-boot.elf $(PKG_IMAGES_DIR)/; fi
endef
