# cpio: the root filesystem as a newc archive, the kernel's initramfs format
# (-initrd), written by the helper with libarchive.
ROOTFS_CPIO_COMPRESS = $(if $(TR_TARGET_ROOTFS_CPIO_NONE),none,$(if $(TR_TARGET_ROOTFS_CPIO_XZ),xz,$(if \
	$(TR_TARGET_ROOTFS_CPIO_ZSTD),zstd,gzip)))
ROOTFS_CPIO_IMAGE = rootfs.cpio$(patsubst .none,,$(patsubst .gzip,.gz,.$(ROOTFS_CPIO_COMPRESS)))
define ROOTFS_CPIO_CMDS
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(HELPER) pack cpio --format newc \
		--compress $(ROOTFS_CPIO_COMPRESS) --root $(TARGET_DIR) $(PACK_TABLES) --out $@.tmp
endef
