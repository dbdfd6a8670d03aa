# squashfs: a read-only LZ4-compressed image of the staged root filesystem
# (mksquashfs under fakeroot). Reproducible: mksquashfs 4.5 orders entries
# and fragments the same way whatever its threads, and takes its times
# from SOURCE_DATE_EPOCH.
ROOTFS_SQUASHFS_DEPENDENCIES = host-squashfs-tools
ROOTFS_SQUASHFS_IMAGE = rootfs.squashfs
ROOTFS_SQUASHFS_STAGED = YES
define ROOTFS_SQUASHFS_CMDS
	rm -f $@.tmp
	$(ROOTFS_FAKEROOT) env SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(HOST_DIR)/bin/mksquashfs \
		$(ROOTFS_STAGE) $@.tmp -noappend -comp lz4 -Xhc -no-xattrs -no-progress -quiet
endef
