# ext4: an ext4 image of the staged root filesystem (mke2fs -d, run under
# fakeroot so that it reads the tables' owners and device nodes).
# Reproducible: the UUID and the directory hash seed come from the system
# configuration (support/scripts/derive-uuid), every time from
# SOURCE_DATE_EPOCH (E2FSPROGS_FAKE_TIME, and package/e2fsprogs's patch for
# the inodes); MKE2FS_CONFIG names no file, so mke2fs uses the profile
# built into it rather than the build machine's /etc/mke2fs.conf.
ROOTFS_EXT4_DEPENDENCIES = host-e2fsprogs
# mke2fs as every ext4 image of tinyroot runs it (fs/disk.mk's data.ext4 too)
MKE2FS = env E2FSPROGS_FAKE_TIME=$(SOURCE_DATE_EPOCH) MKE2FS_CONFIG=/nonexistent $(HOST_DIR)/sbin/mke2fs
ROOTFS_EXT4_IMAGE = rootfs.ext4
ROOTFS_EXT4_STAGED = YES
# The label in single quotes (the shell reads no $ or ` in it); a quote in
# it is a configuration error.
ROOTFS_EXT4_LABEL = $(call qstrip,$(TR_TARGET_ROOTFS_EXT4_LABEL))
define ROOTFS_EXT4_CMDS
	$(if $(findstring ',$(ROOTFS_EXT4_LABEL)),$(error TR_TARGET_ROOTFS_EXT4_LABEL: no ' in a label))
	: > $@.tmp
	uuid=$$($(ROOTFS_UUID) ext4) && seed=$$($(ROOTFS_UUID) ext4-hash-seed) && \
	$(ROOTFS_FAKEROOT) $(MKE2FS) -t ext4 -q -F -m 0 -d $(ROOTFS_STAGE) -L '$(ROOTFS_EXT4_LABEL)' \
		-U $$uuid -E hash_seed=$$seed $@.tmp $(call qstrip,$(TR_TARGET_ROOTFS_EXT4_SIZE)) 2> $@.err || \
		{ $(call rootfs-fits,TR_TARGET_ROOTFS_EXT4_SIZE,$@.err); }
	rm -f $@.err
endef
