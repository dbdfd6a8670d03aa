# tar: the root filesystem as a pax archive, written by the helper with
# libarchive (owners and device nodes from the tables, without root).
ROOTFS_TAR_IMAGE = rootfs.tar
define ROOTFS_TAR_CMDS
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(HELPER) pack tar --root $(TARGET_DIR) \
		$(PACK_TABLES) --out $@.tmp
endef
