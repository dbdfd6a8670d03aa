# grub2: the GRUB 2 bootloader for a PC's UEFI firmware, as one EFI program
# with its modules built in (images/BOOTX64.EFI or BOOTIA32.EFI), to be
# copied to the EFI system partition's EFI/BOOT/ folder.
GRUB2_VERSION = 2.06
GRUB2_SOURCE = grub-$(GRUB2_VERSION).tar.xz
GRUB2_SITE = https://ftp.gnu.org/gnu/grub
GRUB2_LICENSE = GPL-3.0-or-later
GRUB2_LICENSE_FILES = COPYING
GRUB2_SUPPLIER = GNU GRUB project
GRUB2_HOMEPAGE = https://www.gnu.org/software/grub/
GRUB2_CPE_ID_VENDOR = gnu
GRUB2_CPE_ID_PRODUCT = grub2
GRUB2_CATEGORY = Bootloaders
# its own symbols, as Buildroot names a bootloader's
GRUB2_KCONFIG_VAR = TR_TARGET_GRUB2
GRUB2_KCONFIG_PREFIX = TR_TARGET_GRUB2
GRUB2_DIR = $(BUILD_DIR)/grub2

# GRUB's CPU name and the EFI program's name come from the architecture
# (toolchain/arch/): the firmware starts EFI/BOOT/BOOT<machine>.EFI when no
# boot entry names another program (UEFI 2.10, 3.5.1.1).
GRUB2_CPU = $(call qstrip,$(TR_ARCH_GRUB_EFI_CPU))
GRUB2_EFI_IMAGE = BOOT$(call qstrip,$(TR_ARCH_EFI_NAME)).EFI
GRUB2_MODULES = $(call qstrip,$(TR_TARGET_GRUB2_BUILTIN_MODULES))
# The folder GRUB takes as $prefix, on the partition it was loaded from:
# it reads grub.cfg there (and would look there for modules not built in).
GRUB2_PREFIX = /EFI/BOOT

# One configure builds two things: GRUB itself for the firmware (--target,
# --with-platform; freestanding, with the toolchain's own gcc and binutils,
# as the kernel is) and its tools for the build machine (--host), of which
# only grub-mkimage is used. The tools are not installed, so no prefix
# path reaches a file that lands in images/.
# --disable-werror: GRUB builds with -Werror, and GCC 12 warns about 2.06's
# code (-Wdangling-pointer, -Warray-bounds, ... some 60 warnings).
# The rest turns off what would need a library of the build machine
# (FreeType for fonts and themes, libdevmapper, libzfs, FUSE, liblzma)
# and translations: they serve grub-install on a running system, not an
# EFI program made here, and a test for them would make the build depend
# on what the build machine has installed.
GRUB2_CONF_OPTS = --build=$(HOST_TUPLE) --host=$(HOST_TUPLE) --target=$(GRUB2_CPU) \
	--with-platform=efi --prefix=/usr --disable-werror --disable-nls \
	--disable-grub-mkfont --disable-grub-themes --disable-device-mapper \
	--disable-libzfs --disable-grub-mount --disable-liblzma
GRUB2_CONF_ENV = TARGET_CC="$(TOOLCHAIN_CC)" TARGET_OBJCOPY="$(TOOLCHAIN_PREFIX)objcopy" \
	TARGET_STRIP="$(TOOLCHAIN_PREFIX)strip" TARGET_NM="$(TOOLCHAIN_PREFIX)nm" \
	TARGET_RANLIB="$(TOOLCHAIN_PREFIX)ranlib"

define GRUB2_CONFIGURE_CMDS
	cd $(@D)/src && $(HOST_CONFIGURE_ENV) $(GRUB2_CONF_ENV) ./configure $(GRUB2_CONF_OPTS)
endef

# autotools' makefiles trust timestamps: after an interrupted build, start over
GRUB2_CLEAN_CMDS = $(MAKE) -C $(@D)/src clean

# GRUB's kernel, the modules the EFI program holds and grub-mkimage, with
# the gnulib it links against. grub-core's makefile compiles all of its
# some 265 modules (the build's longest part) when asked for moddep.lst,
# the dependency list grub-mkimage reads: MODULE_FILES, its own variable,
# narrows that to the listed ones, so only they are compiled and the list
# holds only them. Named targets skip automake's generated sources, made
# first (built-sources.mk). A listed module that needs an unlisted one
# stops the build at moddep.lst (genmoddep.awk: "<symbol> in <module> is
# not defined"). GRUB's other tools (grub-install, grub-probe, ...) serve
# a running system that installs GRUB itself, and would lengthen the build.
GRUB2_CORE_MAKE = $(MAKE) -C $(@D)/src/grub-core MODULE_FILES="$(addsuffix .module,$(GRUB2_MODULES))"
define GRUB2_BUILD_CMDS
	$(MAKE) -C $(@D)/src/grub-core/lib/gnulib
	$(MAKE) -C $(@D)/src/grub-core -f Makefile -f $(abspath $(GRUB2_PKGDIR))/built-sources.mk \
		tinyroot-built-sources
	$(GRUB2_CORE_MAKE) kernel.img $(addsuffix .module,$(GRUB2_MODULES))
	$(GRUB2_CORE_MAKE) moddep.lst || { echo "package/grub2: a module of" \
		"TR_TARGET_GRUB2_BUILTIN_MODULES needs one the list lacks (above: the symbol and the module needing it)" >&2; exit 1; }
	$(GRUB2_CORE_MAKE) $(addsuffix .mod,$(GRUB2_MODULES))
	$(MAKE) -C $(@D)/src grub-mkimage
endef

# grub-mkimage writes a fixed PE time stamp (STABLE_EMBEDDING_TIMESTAMP
# in util/mkimage.c), so the program is the same bytes in every build.
define GRUB2_INSTALL_IMAGES_CMDS
	$(if $(GRUB2_MODULES),,$(error package/grub2: TR_TARGET_GRUB2_BUILTIN_MODULES is \
		empty: name the GRUB modules to build in (part_gpt fat normal linux ...)))
	$(@D)/src/grub-mkimage -d $(@D)/src/grub-core -O $(GRUB2_CPU)-efi -p $(GRUB2_PREFIX) \
		-o $(PKG_IMAGES_DIR)/$(GRUB2_EFI_IMAGE) $(GRUB2_MODULES)
	chmod 0644 $(PKG_IMAGES_DIR)/$(GRUB2_EFI_IMAGE)
endef
