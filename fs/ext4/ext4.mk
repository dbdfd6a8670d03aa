# ext4: an ext4 image of the staged root filesystem (mke2fs -d, run under
# fakeroot so that it reads the tables' owners and device nodes).
# Reproducible: the UUID and the directory hash seed come from the system
# configuration (support/scripts/derive-uuid), every time from
# SOURCE_DATE_EPOCH (E2FSPROGS_FAKE_TIME, and package/e2fsprogs's patch for
# the inodes); MKE2FS_CONFIG names no file, so mke2fs uses the profile
# built into it rather than the build machine's /etc/mke2fs.conf.
ROOTFS_EXT4_DEPENDENCIES = host-e2fsprogs
ROOTFS_EXT4_IMAGE = rootfs.ext4
ROOTFS_EXT4_STAGED = YES
define ROOTFS_EXT4_CMDS
	: > $@.tmp
	$(ROOTFS_FAKEROOT) env E2FSPROGS_FAKE_TIME=$(SOURCE_DATE_EPOCH) MKE2FS_CONFIG=/nonexistent \
		$(HOST_DIR)/sbin/mke2fs -t ext4 -q -F -m 0 -d $(ROOTFS_STAGE) \
		-L "$(call qstrip,$(TR_TARGET_ROOTFS_EXT4_LABEL))" \
		-U $$($(ROOTFS_UUID) ext4) -E hash_seed=$$($(ROOTFS_UUID) ext4-hash-seed) \
		$@.tmp $(call qstrip,$(TR_TARGET_ROOTFS_EXT4_SIZE)) || \
		{ $(call rootfs-too-big,TR_TARGET_ROOTFS_EXT4_SIZE); }
endef
