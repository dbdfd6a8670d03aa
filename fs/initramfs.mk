# The root filesystem linked into the kernel image (TR_TARGET_ROOTFS_INITRAMFS).
# package/linux configures CONFIG_INITRAMFS_SOURCE to $(LINUX_DIR)/initramfs.cpio
# and builds the kernel with an empty one; this step packs the target tree
# there (uncompressed: the kernel compresses it as its configuration says)
# and relinks. Kbuild then rebuilds only the initramfs object and the link.
# The cpio is replaced only when its bytes change, so the kernel is relinked
# only when the root filesystem really changed.
$(BUILD_DIR)/.stamp_initramfs: private TR_STEP_LOG = $(LINUX_DIR)/logs/initramfs.log
$(BUILD_DIR)/.stamp_initramfs: $(BUILD_DIR)/.stamp_target $(BUILD_DIR)/linux/.stamp_installed \
		$(DEVICE_TABLES) $(USERS_TABLES) $(HELPER)
	@: step-begin linux $(LINUX_VERSION) Linking the initramfs
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(HELPER) pack cpio --format newc \
		--compress none --root $(TARGET_DIR) \
		$(PACK_TABLES) --out $(LINUX_DIR)/initramfs.cpio.tmp
	$(call replace-if-changed,$(LINUX_DIR)/initramfs.cpio)
	+$(LINUX_MAKE) $(KERNEL_IMAGE)
	$(call LINUX_INSTALL_IMAGE,$(BINARIES_DIR))
	@: step-end linux initramfs
	touch $@
