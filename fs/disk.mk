# The disk image (TR_TARGET_DISK, fs/disk.in): a GPT disk a board boots from
# through its firmware and bootloader. The layout (genimage's format) is the
# board's; tinyroot writes the files it places, each reproducibly:
#   boot.vfat   FAT: the kernel image, then the boot files folder (the board's
#               boot/: extlinux/extlinux.conf, ...), host-dosfstools +
#               host-mtools; volume id from the configuration, every time
#               SOURCE_DATE_EPOCH
#   data.ext4   empty ext4 (host-e2fsprogs), mounted at /data by
#               fs/skeleton/etc/init.d/S01data
#   rootfs.*    the root filesystem formats' images (fs/<format>/)
# and the helper writes the GPT around them (support/helper/disk.c), its
# GUIDs fixed in the layout or derived from the configuration.
# Read before the packages are counted: it names host packages.
DISK_DEPENDENCIES = $(if $(TR_TARGET_DISK),host-dosfstools host-mtools host-e2fsprogs)
DISK_KCONFIG_PREFIX = TR_TARGET_DISK
DISK_DIR = $(BUILD_DIR)/disk
DISK_LAYOUT = $(or $(call qstrip,$(TR_TARGET_DISK_LAYOUT)),$(call board-dir,$(BOARD))/genimage.cfg)
DISK_BOOT_DIR = $(or $(call qstrip,$(TR_TARGET_DISK_BOOT_DIR)),$(wildcard $(call board-dir,$(BOARD))/boot))
DISK_BOOT_INPUTS := $(if $(DISK_BOOT_DIR),$(shell find -H $(DISK_BOOT_DIR) ! -type l 2>/dev/null))
DISK_IMAGE = $(if $(TR_TARGET_DISK),$(BINARIES_DIR)/disk.img)
# NAME or NAME:FOLDER, files of images/ the packages installing there made
DISK_BOOT_IMAGES = $(call qstrip,$(TR_TARGET_DISK_BOOT_IMAGES))
# disk-boot-image NAME: NAME as a package of this configuration made it (its
# own images/ folder), or an error: images/ may still hold the file of a
# package since turned off
packages-images = $(wildcard $(foreach p,$(IMAGES_PACKAGES),$(BUILD_DIR)/$(p)/images/$(1)))
disk-boot-image = $(or $(firstword $(call packages-images,$(1))),$(error TR_TARGET_DISK_BOOT_IMAGES: \
	no package of this configuration makes $(1) (its packages' images: $(notdir $(call packages-images,*)))))
# mtools always reads /etc/mtools.conf and ~/.mtoolsrc: these variables are
# applied after them and fix everything they could change in an image; FAT
# stores local times (TZ); folders mmd makes get SOURCE_DATE_EPOCH.
DISK_MTOOLS = env SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) TZ=UTC LC_ALL=C HOME=/nonexistent MTOOLSRC=/dev/null \
	MTOOLS_SKIP_CHECK=1 MTOOLS_LOWER_CASE=0 MTOOLS_NO_VFAT=0 MTOOLS_NAME_NUMERIC_TAIL=1 \
	MTOOLS_FAT_COMPATIBILITY=0 DEFAULT_CODEPAGE=850
# The files the layout places (its `image = "..."` lines): each must be
# one this configuration makes, or the disk would take a stale file of an
# earlier configuration from images/. (:= : read once per make, not at
# every use)
DISK_MADE_IMAGES = boot.vfat data.ext4 $(notdir $(ROOTFS_IMAGES))
DISK_LAYOUT_IMAGES := $(if $(TR_TARGET_DISK),$(shell sed -n \
	's/^[[:space:]]*image[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' $(DISK_LAYOUT) 2>/dev/null))
ifeq ($(AUTOCONF_CURRENT)$(TR_TARGET_DISK),yy)
$(if $(wildcard $(DISK_LAYOUT)),,$(error TR_TARGET_DISK_LAYOUT: $(DISK_LAYOUT): no such file))
$(if $(call qstrip,$(TR_TARGET_DISK_BOOT_DIR)),$(if $(wildcard $(DISK_BOOT_DIR)/.),,\
	$(error TR_TARGET_DISK_BOOT_DIR: $(DISK_BOOT_DIR): no such folder)))
$(foreach i,$(filter-out $(DISK_MADE_IMAGES),$(DISK_LAYOUT_IMAGES)),\
	$(error $(DISK_LAYOUT): image "$(i)" is not made by this configuration (it makes $(DISK_MADE_IMAGES))))
$(if $(shell grep -E '^[[:space:]]*image[[:space:]]+disk\.img[[:space:]]*\{' $(DISK_LAYOUT)),,\
	$(error $(DISK_LAYOUT): the disk is "image disk.img { ... }" (start-qemu.sh and images/ name it so)))
endif

# boot.vfat: the files staged in a folder with one time (links followed: FAT
# has none), then copied in
# one at a time in sorted order (mcopy -s would follow the order the build
# machine's file system lists a folder in), keeping that time (-m).
# mkfs.fat's own fields are fixed (--invariant, before -i, which it would
# reset), but the volume id, derived like the file systems' UUIDs.
$(BINARIES_DIR)/boot.vfat: $(BUILD_DIR)/.stamp_images_packages $(DISK_BOOT_INPUTS) \
		$(BUILD_DIR)/system/.config-slice $(BUILD_DIR)/disk/.config-slice fs/disk.mk support/scripts/derive-uuid \
		$(BUILD_DIR)/host-dosfstools/.stamp_installed $(BUILD_DIR)/host-mtools/.stamp_installed
	@echo ">>> boot.vfat"
	rm -rf $(DISK_DIR)/boot $@.tmp
	mkdir -p $(DISK_DIR)/boot $(BINARIES_DIR)
	cp $(BINARIES_DIR)/$(KERNEL_IMAGE) $(DISK_DIR)/boot/
	$(if $(DISK_BOOT_DIR),cp -RL $(DISK_BOOT_DIR)/. $(DISK_DIR)/boot/)
	$(foreach i,$(DISK_BOOT_IMAGES),mkdir -p $(DISK_DIR)/boot/$(word 2,$(subst :, ,$(i))) && \
		cp $(call disk-boot-image,$(firstword $(subst :, ,$(i)))) $(DISK_DIR)/boot/$(word 2,$(subst :, ,$(i)))/ &&) true
	find $(DISK_DIR)/boot -exec touch -h -d @$(SOURCE_DATE_EPOCH) {} +
	truncate -s $$(($(call disk-size-kib,TR_TARGET_DISK_BOOT_SIZE)))K $@.tmp
	volid=$$($(ROOTFS_UUID) boot | cut -c1-8) && \
		$(HOST_DIR)/sbin/mkfs.fat --invariant -i $$volid -n BOOT $@.tmp > /dev/null
	cd $(DISK_DIR)/boot && find . -mindepth 1 -type d | LC_ALL=C sort | while read -r d; do \
		$(DISK_MTOOLS) $(HOST_DIR)/bin/mmd -i $@.tmp "::$${d#.}" || exit 1; done
	cd $(DISK_DIR)/boot && find . -type f | LC_ALL=C sort | while read -r f; do \
		$(DISK_MTOOLS) $(HOST_DIR)/bin/mcopy -i $@.tmp -m "$$f" "::$${f#.}" || { rm -f $@.tmp; \
		echo "*** $(notdir $@): the boot files ($$(du -s -k --apparent-size . | cut -f1) KiB) do not fit" \
			"TR_TARGET_DISK_BOOT_SIZE=$(call qstrip,$(TR_TARGET_DISK_BOOT_SIZE))?" >&2; exit 1; }; done
	mv $@.tmp $@

# data.ext4: an empty ext4 owned by root (mke2fs would give its root folder
# to the user running it)
$(BINARIES_DIR)/data.ext4: $(BUILD_DIR)/system/.config-slice $(BUILD_DIR)/disk/.config-slice fs/disk.mk \
		support/scripts/derive-uuid $(BUILD_DIR)/host-e2fsprogs/.stamp_installed
	@echo ">>> data.ext4"
	mkdir -p $(BINARIES_DIR)
	rm -f $@.tmp
	uuid=$$($(ROOTFS_UUID) data) && seed=$$($(ROOTFS_UUID) data-hash-seed) && \
	$(MKE2FS) -t ext4 -q -F -m 0 -L data -U $$uuid -E hash_seed=$$seed,root_owner=0:0 \
		$@.tmp $$(($(call disk-size-kib,TR_TARGET_DISK_DATA_SIZE)))K || { rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

# disk-size-kib SYMBOL: the option's size (NK, NM, NG) as a shell
# arithmetic expression in KiB; anything else stops make naming the option
disk-size-kib = $(or $(shell echo '$(call qstrip,$($(1)))' | \
	sed -n -e 's/^\([0-9]\{1,9\}\)K$$/\1/p' -e 's/^\([0-9]\{1,6\}\)M$$/\1*1024/p' -e 's/^\([0-9]\{1,3\}\)G$$/\1*1048576/p'),\
	$(error $(1): '$(call qstrip,$($(1)))' is not a size such as 32M))

$(DISK_IMAGE): $(addprefix $(BINARIES_DIR)/,$(DISK_LAYOUT_IMAGES)) $(DISK_LAYOUT) $(HELPER) \
		$(BUILD_DIR)/system/.config-slice $(BUILD_DIR)/disk/.config-slice
	@echo ">>> disk.img"
	$(HELPER) disk --layout $(DISK_LAYOUT) --inputpath $(BINARIES_DIR) --outputpath $(BINARIES_DIR) \
		--seed $$($(ROOTFS_UUID) disk)

# make disk: the disk image alone (and what it needs)
disk: $(DISK_IMAGE)
.PHONY: disk
