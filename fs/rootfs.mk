# The target tree and the root filesystem image.
#
# $(TARGET_DIR) is rebuilt from scratch whenever an input changes: the
# skeleton, every package's own target tree, the generated system files,
# overlays and post-build scripts. That keeps it exact (a removed package
# leaves nothing behind) and costs a second; a no-op make does not touch it.
SYSTEM_KCONFIG_PREFIX = TR_TARGET_GENERIC TR_INIT TR_SYSTEM TR_ROOTFS TR_BOARD
ROOTFS_OVERLAYS = $(call qstrip,$(TR_ROOTFS_OVERLAY))
ROOTFS_POST_BUILD = $(call qstrip,$(TR_ROOTFS_POST_BUILD_SCRIPT))
ROOTFS_POST_IMAGE = $(call qstrip,$(TR_ROOTFS_POST_IMAGE_SCRIPT))
ROOTFS_PRE_BUILD = $(call qstrip,$(TR_ROOTFS_PRE_BUILD_SCRIPT))
ROOTFS_SCRIPT_ARGS = $(call qstrip,$(TR_ROOTFS_POST_SCRIPT_ARGS))
ROOTFS_AUTHORIZED_KEYS = $(call qstrip,$(TR_TARGET_GENERIC_ROOT_AUTHORIZED_KEYS))
# (symbolic links by their folder, which changes with them: make would
# follow a link, and an overlay's /etc/localtime -> /usr/share/... dangles
# here; -H: an overlay given as a link to a folder is that folder)
ROOTFS_INPUTS = $(shell find -H fs/skeleton $(ROOTFS_OVERLAYS) ! -type l 2>/dev/null) \
	$(ROOTFS_PRE_BUILD) $(ROOTFS_POST_BUILD) $(ROOTFS_AUTHORIZED_KEYS) \
	fs/rootfs.mk support/scripts/root-passwd-hash support/scripts/target-finalize

# A missing overlay or script is a configuration error, said before building
# (with the current configuration's values: see AUTOCONF_CURRENT).
ifeq ($(AUTOCONF_CURRENT),y)
$(foreach d,$(ROOTFS_OVERLAYS),$(if $(wildcard $(d)/.),,\
	$(error TR_ROOTFS_OVERLAY: $(d): no such folder)))
$(foreach f,$(ROOTFS_PRE_BUILD) $(ROOTFS_POST_BUILD) $(ROOTFS_POST_IMAGE),$(if $(wildcard $(f)),,\
	$(error custom script $(f): no such file)))
$(if $(ROOTFS_AUTHORIZED_KEYS),$(if $(wildcard $(ROOTFS_AUTHORIZED_KEYS)),,\
	$(error TR_TARGET_GENERIC_ROOT_AUTHORIZED_KEYS: $(ROOTFS_AUTHORIZED_KEYS): no such file)))
endif

# run-scripts KIND, FOLDER, SCRIPTS: each script with the folder and the extra
# arguments; the first that fails stops the build, naming itself and its code.
run-scripts = $(foreach s,$(3),$(SCRIPT_ENV) $(s) $(2) $(ROOTFS_SCRIPT_ARGS) || \
	{ rc=$$?; echo "*** $(1) script $(s) failed (exit $$rc)" >&2; exit $$rc; };)
# The root password is never expanded by make nor put on a command line
# (`$`, quotes, backslashes; recipe lines are logged): the script reads it
# from .config and prints its crypt hash.
ROOTFS_PASSWD_HASH = support/scripts/root-passwd-hash $(CONFIG_FILE) TR_TARGET_GENERIC_ROOT_PASSWD root \
	$(BUILD_DIR)/system/.config-slice

define ROOTFS_NETWORK_SCRIPT
#!/bin/sh
# eth0 and lo, from the tinyroot configuration
case "$$1" in
start)
	ifconfig lo 127.0.0.1 up
$(if $(TR_SYSTEM_NET_STATIC),	ifconfig eth0 $(call qstrip,$(TR_SYSTEM_NET_IPADDR)) netmask $(call qstrip,$(TR_SYSTEM_NET_NETMASK)) up
	route add default gw $(call qstrip,$(TR_SYSTEM_NET_GATEWAY)))
$(if $(TR_SYSTEM_NET_DHCP),	udhcpc -i eth0 -b -S -s /usr/share/udhcpc/default.script)
	;;
stop)
	ifconfig eth0 down 2>/dev/null
	;;
esac
endef
export ROOTFS_NETWORK_SCRIPT

define ROOTFS_INIT_SCRIPT
#!/bin/sh
# plain init: start the system, then a shell on the console forever
/etc/init.d/rcS
while true; do /bin/sh -l; done
endef
export ROOTFS_INIT_SCRIPT

# The list of packages in the tree is an input too: a package removed from
# the configuration changes no other input, but must leave the tree.
ROOTFS_PACKAGE_LIST = $(BUILD_DIR)/.rootfs-packages
$(ROOTFS_PACKAGE_LIST): private TR_STEP_LOG =
$(ROOTFS_PACKAGE_LIST): FORCE | $(BUILD_DIR)/system/logs/.
	$(call write-text,$@,$(call join-lines,$(ROOTFS_PACKAGES)))

$(BUILD_DIR)/.stamp_target: $(foreach p,$(ROOTFS_PACKAGES),$(BUILD_DIR)/$(p)/.stamp_installed) \
		$(BUILD_DIR)/system/.config-slice $(ROOTFS_PACKAGE_LIST) $(ROOTFS_INPUTS)
	@echo ">>> target tree"
	rm -rf $(TARGET_DIR)
	mkdir -p $(TARGET_DIR)
	$(call run-scripts,pre-build,$(TARGET_DIR),$(ROOTFS_PRE_BUILD))
	cp -a fs/skeleton/. $(TARGET_DIR)/
	$(if $(TR_TARGET_GENERIC_GETTY),sed -i 's|^::respawn:-/bin/sh$$|console::respawn:/sbin/getty -L console 0 vt100|' \
		$(TARGET_DIR)/etc/inittab)
	find $(TARGET_DIR) -name .keep -delete
	$(foreach p,$(ROOTFS_PACKAGES),cp -a $(BUILD_DIR)/$(p)/target/. $(TARGET_DIR)/ &&) true
	support/scripts/target-finalize $(TARGET_DIR) $(TARGET_CROSS)strip
	echo "$(call qstrip,$(TR_TARGET_GENERIC_HOSTNAME))" > $(TARGET_DIR)/etc/hostname
	echo "$(call qstrip,$(TR_TARGET_GENERIC_ISSUE))" > $(TARGET_DIR)/etc/issue
	# the password lives in /etc/shadow: BusyBox's own passwd reader (the
	# configuration's USE_BB_PWD_GRP/USE_BB_SHADOW) rejects an empty password
	# field in /etc/passwd, and `id` would then show no user names
	echo 'root:x:0:0:root:/root:/bin/sh' > $(TARGET_DIR)/etc/passwd
	hash=$$($(ROOTFS_PASSWD_HASH)) && printf 'root:%s:%s:0:99999:7:::\n' "$$hash" \
		'$(shell echo $$(($(SOURCE_DATE_EPOCH) / 86400)))' > $(TARGET_DIR)/etc/shadow
	printf '%s\n' "$$ROOTFS_NETWORK_SCRIPT" > $(TARGET_DIR)/etc/init.d/S40network
	chmod 755 $(TARGET_DIR)/etc/init.d/S40network
	# the plain init is also /sbin/init, which the kernel runs from a
	# disk's root (/init only from an initramfs)
	$(if $(TR_INIT_SCRIPT),printf '%s\n' "$$ROOTFS_INIT_SCRIPT" > $(TARGET_DIR)/init; chmod 755 $(TARGET_DIR)/init; \
		ln -sf ../init $(TARGET_DIR)/sbin/init,\
		ln -sf sbin/init $(TARGET_DIR)/init)
	# SSH servers refuse keys in a folder or file others may write
	$(if $(ROOTFS_AUTHORIZED_KEYS),install -d -m 700 $(TARGET_DIR)/root/.ssh && \
		install -m 600 $(ROOTFS_AUTHORIZED_KEYS) $(TARGET_DIR)/root/.ssh/authorized_keys)
	$(foreach d,$(ROOTFS_OVERLAYS),cp -a $(d)/. $(TARGET_DIR)/ &&) true
	# readable by root alone, whatever mode an overlay's copy had
	chmod 600 $(TARGET_DIR)/etc/shadow
	$(call run-scripts,post-build,$(TARGET_DIR),$(ROOTFS_POST_BUILD))
	touch $@

DEVICE_TABLES = $(call qstrip,$(TR_ROOTFS_DEVICE_TABLE))
USERS_TABLES = $(call qstrip,$(TR_ROOTFS_USERS_TABLES))
# users tables' cleartext passwords are hashed with a salt from the image's
# identity, the system slice (support/helper/users.h)
PACK_TABLES = $(foreach t,$(DEVICE_TABLES),--device-table $(t)) \
	$(foreach t,$(USERS_TABLES),--users-table $(t)) \
	$(if $(USERS_TABLES),--salt-key $(BUILD_DIR)/system/.config-slice)

# ---- root filesystem images ------------------------------------------------------
# Each format (fs/<format>/<format>.mk, read by the Makefile with
# ROOTFS_FORMATS) says:
#   ROOTFS_<FORMAT>_IMAGE         its file name in images/
#   ROOTFS_<FORMAT>_CMDS          the commands writing it to $@.tmp
#   ROOTFS_<FORMAT>_DEPENDENCIES  the host packages those run
#   ROOTFS_<FORMAT>_STAGED        YES: the commands read $(ROOTFS_STAGE), a
#                                 copy of the target tree with the tables'
#                                 owners, modes and device nodes, made by the
#                                 helper under fakeroot; the commands run
#                                 their tool through $(ROOTFS_FAKEROOT) to
#                                 see it so (fakeroot's saved state)
# This rule runs them and moves the image into place whole.
ROOTFS_CPIO = $(BINARIES_DIR)/$(ROOTFS_CPIO_IMAGE)
# derive-uuid LABEL: a UUID of the system configuration and LABEL
ROOTFS_UUID = support/scripts/derive-uuid $(BUILD_DIR)/system/.config-slice
# rootfs-fits SIZE_SYMBOL, ERRORS: after a failed run of the tool whose
# messages are in the file ERRORS, those messages, and when the tool ran out
# of room, the error naming both sizes
rootfs-fits = cat $(2) >&2; if grep -q -e 'Could not allocate block' -e 'No space left' $(2); then \
	echo "*** $(notdir $@): the root filesystem ($$(du -s -k --apparent-size $(TARGET_DIR) | cut -f1) KiB \
	of files) does not fit $(1)=$(call qstrip,$($(1)))" >&2; fi; rm -f $@.tmp $(2); exit 1

# A format's options (TR_TARGET_ROOTFS_<FORMAT>*) are its slice of .config,
# $(BUILD_DIR)/rootfs-<format>/.config-slice (package/pkg-generic.mk): a
# change there remakes that image only.
define rootfs-image-rule
ROOTFS_$(2)_KCONFIG_PREFIX = TR_TARGET_ROOTFS_$(2)
$$(BINARIES_DIR)/$$(ROOTFS_$(2)_IMAGE): private ROOTFS_STAGE = $$(BUILD_DIR)/rootfs-$(1)/target
$$(BINARIES_DIR)/$$(ROOTFS_$(2)_IMAGE): private ROOTFS_FAKEROOT = fakeroot -i $$(BUILD_DIR)/rootfs-$(1)/fakeroot.state --
$$(BINARIES_DIR)/$$(ROOTFS_$(2)_IMAGE): $$(BUILD_DIR)/.stamp_target $$(DEVICE_TABLES) $$(USERS_TABLES) $$(HELPER) \
		$$(BUILD_DIR)/system/.config-slice $$(BUILD_DIR)/rootfs-$(1)/.config-slice fs/$(1)/$(1).mk \
		support/scripts/derive-uuid \
		$$(foreach p,$$(ROOTFS_$(2)_DEPENDENCIES),$$(BUILD_DIR)/$$(p)/.stamp_installed)
	@echo ">>> $$(ROOTFS_$(2)_IMAGE)"
	mkdir -p $$(BINARIES_DIR)
	$$(if $$(filter YES,$$(ROOTFS_$(2)_STAGED)),rm -rf $$(ROOTFS_STAGE) $$(BUILD_DIR)/rootfs-$(1)/fakeroot.state && \
		SOURCE_DATE_EPOCH=$$(SOURCE_DATE_EPOCH) fakeroot -s $$(BUILD_DIR)/rootfs-$(1)/fakeroot.state -- \
		$$(HELPER) pack dir --root $$(TARGET_DIR) $$(PACK_TABLES) --out $$(ROOTFS_STAGE))
	$$(ROOTFS_$(2)_CMDS)
	$$(if $$(filter YES,$$(ROOTFS_$(2)_STAGED)),rm -rf $$(ROOTFS_STAGE) $$(BUILD_DIR)/rootfs-$(1)/fakeroot.state)
	mv $$@.tmp $$@
# make rootfs-<format>: that image alone (and what it needs), as Buildroot's
rootfs-$(1): $$(BINARIES_DIR)/$$(ROOTFS_$(2)_IMAGE)
.PHONY: rootfs-$(1)
endef
$(foreach f,$(ROOTFS_ENABLED_FORMATS),$(eval $(call rootfs-image-rule,$(f),$(call UC,$(f)))))

# start-qemu.sh: for a board whose folder has a qemu.args (its QEMU
# machine, console and devices, one or more lines, # comments), the shared
# launcher with those lines in it, after -kernel (and -initrd). With a disk
# image, a board's qemu-disk.args instead: the machine with its firmware,
# which boots disk.img through the bootloader ("$here" is images/); its
# --initramfs boots the same build's kernel and initramfs directly, with
# qemu.args, as the board without a disk does.
BOARD_QEMU_ARGS = $(wildcard $(call board-dir,$(BOARD))/qemu.args)
BOARD_QEMU_DISK_ARGS = $(if $(TR_TARGET_DISK),$(wildcard $(call board-dir,$(BOARD))/qemu-disk.args))
START_QEMU = $(if $(BOARD_QEMU_ARGS),$(BINARIES_DIR)/start-qemu.sh)
START_QEMU_KERNEL = -kernel "$$here/$(KERNEL_IMAGE)"$(if \
	$(TR_TARGET_ROOTFS_INITRAMFS),, -initrd "$$here/$(notdir $(ROOTFS_CPIO))")
# qemu-args-block BOOT,FILE,OUT: the lines of an args file (after BOOT's
# options, if any) as the launcher's continued command lines, in OUT
define qemu-args-block
	{ echo '$(1)' && grep -h -v -e '^#' -e '^[[:space:]]*$$' $(2); } | \
		grep -v '^$$' | sed -e 's/^/\t/' -e 's/$$/ \\/' \
		-e 's/-netdev user,id=[A-Za-z0-9_]*/&$$fwd/' \
		-e 's|@CMDLINE@|$(if $(TR_LINUX_KERNEL_DEBUG),earlyprintk=serial nokaslr)|' > $(3)
endef
$(BINARIES_DIR)/start-qemu.sh: fs/start-qemu.sh.in $(BOARD_QEMU_ARGS) $(BOARD_QEMU_DISK_ARGS) $(CONFIG_FILE)
	mkdir -p $(BINARIES_DIR)
	$(call qemu-args-block,$(if $(BOARD_QEMU_DISK_ARGS),,$(START_QEMU_KERNEL)),$(or \
		$(BOARD_QEMU_DISK_ARGS),$(BOARD_QEMU_ARGS)),$@.args)
	$(call qemu-args-block,$(START_QEMU_KERNEL),$(BOARD_QEMU_ARGS),$@.initramfs-args)
	sed -e 's|@BOARD@|$(BOARD)|' \
		-e 's|@QEMU@|$(call qstrip,$(TR_ARCH_QEMU))|g' \
		-e 's|@QEMU_PACKAGE@|$(call qstrip,$(TR_ARCH_QEMU_PACKAGE))|' \
		-e 's|@BOOTS@|$(if $(BOARD_QEMU_DISK_ARGS),disk.img through the board'"'"'s firmware and bootloader,the kernel image directly)|' \
		-e '/@BOARD_ARGS@/{r $@.args' -e 'd}' \
		-e '/@INITRAMFS_ARGS@/{r $@.initramfs-args' -e 'd}' $< > $@.tmp
	rm -f $@.args $@.initramfs-args
	chmod 755 $@.tmp
	mv $@.tmp $@

# The configuration the images came from, with the root password's crypt
# hash in place of its text: the option takes a hash as it is, so this copy
# rebuilds the same image. It leaves the output folder with the images, so
# the credentials of URLs (download sites, the compiler cache's remote
# storage) are left out (support/scripts/strip-secrets says the rule).
$(BINARIES_DIR)/.config: $(CONFIG_FILE) $(BUILD_DIR)/system/.config-slice support/scripts/root-passwd-hash \
		support/scripts/strip-secrets
	mkdir -p $(BINARIES_DIR)
	set -o pipefail; hash=$$($(ROOTFS_PASSWD_HASH)) && awk -v h="$$hash" \
		'/^TR_TARGET_GENERIC_ROOT_PASSWD=/ { print "TR_TARGET_GENERIC_ROOT_PASSWD=\"" h "\""; next } { print }' \
		$< | support/scripts/strip-secrets > $@.tmp && mv $@.tmp $@

# the packages that install into images/ (the kernel, bootloaders), all
# installed (what the disk's boot partition takes from images/ waits for it)
IMAGES_PACKAGES = $(foreach p,$(PACKAGES),$(if $($(call UC,$(p))_INSTALL_IMAGES_CMDS),$(p)))
$(BUILD_DIR)/.stamp_images_packages: $(foreach p,$(IMAGES_PACKAGES),$(BUILD_DIR)/$(p)/.stamp_installed)
	touch $@
$(BUILD_DIR)/.stamp_post_image: $(ROOTFS_IMAGES) $(DISK_IMAGE) $(BUILD_DIR)/.stamp_images_packages \
		$(if $(TR_TARGET_ROOTFS_INITRAMFS),$(BUILD_DIR)/.stamp_initramfs) \
		$(START_QEMU) $(ROOTFS_POST_IMAGE)
	$(call run-scripts,post-image,$(BINARIES_DIR),$(ROOTFS_POST_IMAGE))
	touch $@

# An image anyone at the console can use as root says so at the end of the
# make that built it; once per image, so a no-op make runs a test of two
# time stamps and nothing else. `world` runs this.
ROOTFS_OPEN_MARK = $(BUILD_DIR)/.open-console-warned
define ROOTFS_OPEN_CONSOLE_WARNING
$(if $(TR_TARGET_GENERIC_GETTY),,if [ ! $(ROOTFS_OPEN_MARK) -nt $(BUILD_DIR)/.stamp_post_image ]; then \
		hash=$$($(ROOTFS_PASSWD_HASH)); \
		[ -n "$$hash" ] || { \
		echo "*** WARNING: root has no password and the console gives a shell without login:" >&2; \
		echo "***   set TR_TARGET_GENERIC_ROOT_PASSWD and TR_TARGET_GENERIC_GETTY (System configuration)" >&2; \
		echo "***   for an image that leaves the lab." >&2; }; \
		touch $(ROOTFS_OPEN_MARK); fi)
endef
