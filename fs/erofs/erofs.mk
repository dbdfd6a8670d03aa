# erofs: a read-only LZ4HC-compressed image of the staged root filesystem
# (mkfs.erofs under fakeroot). Reproducible: mkfs.erofs takes its times
# from SOURCE_DATE_EPOCH, and host-erofs-utils has no UUID generator (zero).
ROOTFS_EROFS_DEPENDENCIES = host-erofs-utils
ROOTFS_EROFS_IMAGE = rootfs.erofs
ROOTFS_EROFS_STAGED = YES
define ROOTFS_EROFS_CMDS
	rm -f $@.tmp
	$(ROOTFS_FAKEROOT) env SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(HOST_DIR)/bin/mkfs.erofs \
		-zlz4hc --quiet $@.tmp $(ROOTFS_STAGE)
endef
