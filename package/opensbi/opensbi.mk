# opensbi: OpenSBI, the RISC-V machine-mode firmware, for one of its
# platforms (generic for QEMU's virt machine): fw_jump.bin and
# fw_dynamic.bin in images/, and fw_payload.bin with U-Boot inside when
# TR_TARGET_OPENSBI_UBOOT_PAYLOAD is set.
OPENSBI_VERSION = 1.1
# Debian's archive serves no orig tarball of OpenSBI 1.1. QEMU 7.2 carries
# it as its roms/opensbi submodule, byte for byte the v1.1 tag (commit
# 4489876e), so the source is Debian's repack of QEMU 7.2, under Debian's
# name (the mirror's too: make-source-mirror.sh); its +dfsg removals are
# all outside roms/opensbi.
OPENSBI_QEMU_VERSION = 7.2+dfsg
OPENSBI_SOURCE = qemu_$(OPENSBI_QEMU_VERSION).orig.tar.xz
OPENSBI_SITE = https://deb.debian.org/debian/pool/main/q/qemu
OPENSBI_LICENSE = BSD-2-Clause
OPENSBI_LICENSE_FILES = roms/opensbi/COPYING.BSD
OPENSBI_SUPPLIER = OpenSBI project (riscv-software-src), as carried in QEMU 7.2's source repacked by Debian
OPENSBI_HOMEPAGE = https://github.com/riscv-software-src/opensbi
OPENSBI_CPE_ID_VENDOR = opensbi_project
OPENSBI_CPE_ID_PRODUCT = opensbi
OPENSBI_CATEGORY = Bootloaders
# its own symbols, as Buildroot names a bootloader's
OPENSBI_KCONFIG_VAR = TR_TARGET_OPENSBI
OPENSBI_KCONFIG_PREFIX = TR_TARGET_OPENSBI
# U-Boot's install step leaves u-boot.bin in its own images folder, which
# its cached artifact restores too: the payload is read from there, so that
# it is exactly the U-Boot this build depends on.
OPENSBI_DEPENDENCIES = $(if $(TR_TARGET_OPENSBI_UBOOT_PAYLOAD),uboot)
OPENSBI_DIR = $(BUILD_DIR)/opensbi
OPENSBI_OBJ = $(OPENSBI_DIR)/obj
OPENSBI_PLATFORM = $(call qstrip,$(TR_TARGET_OPENSBI_PLATFORM))
OPENSBI_FIRMWARE = $(OPENSBI_OBJ)/platform/$(OPENSBI_PLATFORM)/firmware

# OpenSBI is freestanding, like U-Boot: the toolchain's own gcc (through
# tinyroot-toolchain-gcc, for ccache and distcc), not the wrapper aimed at
# musl; OpenSBI reads the ISA and ABI from that gcc's -v and -dumpmachine.
# Its objects go to their own folder (O=), the source tree stays as
# extracted. BUILD_INFO=n, OpenSBI's default, said anyway: with it the
# banner would carry the build's date and the compiler's version line.
OPENSBI_MAKE = $(MAKE) -C $(OPENSBI_DIR)/src/roms/opensbi O=$(OPENSBI_OBJ) \
	CROSS_COMPILE=$(TOOLCHAIN_PREFIX) CC=$(TOOLCHAIN_CC) PLATFORM=$(OPENSBI_PLATFORM) BUILD_INFO=n \
	$(if $(TR_TARGET_OPENSBI_UBOOT_PAYLOAD),FW_PAYLOAD_PATH=$(BUILD_DIR)/uboot/images/u-boot.bin)

# OpenSBI's make compares timestamps alone and does not see a new payload
# or platform: every build (after a change of configuration, of U-Boot, or
# an interrupted one) starts from an empty object folder; the whole build
# takes seconds.
define OPENSBI_CONFIGURE_CMDS
	$(if $(OPENSBI_PLATFORM),,$(error package/opensbi: TR_TARGET_OPENSBI_PLATFORM is empty: \
		name one of OpenSBI's platform/ folders, generic for QEMU's virt machine))
	rm -rf $(OPENSBI_OBJ)
endef
OPENSBI_CLEAN_CMDS = rm -rf $(OPENSBI_OBJ)

define OPENSBI_BUILD_CMDS
	$(OPENSBI_MAKE)
endef

# Every firmware the platform builds (generic: fw_dynamic, fw_jump,
# fw_payload), as .bin only: the .elf files carry debug information that
# names the build's folders. Without U-Boot as its payload, fw_payload.bin
# holds OpenSBI's test payload and is left out.
define OPENSBI_INSTALL_IMAGES_CMDS
	for f in $(OPENSBI_FIRMWARE)/fw_*.bin; do \
		case $${f##*/} in fw_payload.bin) $(if $(TR_TARGET_OPENSBI_UBOOT_PAYLOAD),,continue);; esac; \
		install -m 0644 $$f $(PKG_IMAGES_DIR)/ || exit 1; \
	done
endef
