# The kconfig add-on, for packages configured by a Kconfig of their own (Linux,
# BusyBox), written once. The recipe sets:
#
#   <PKG>_KCONFIG_MAKE            its make command (ARCH=, O=, ...), through
#                                 which every configuration target runs
#   <PKG>_KCONFIG_DOTCONFIG       where that make keeps .config
#   <PKG>_KCONFIG_FILE            the configuration file to start from, or
#                                 empty: then
#   <PKG>_KCONFIG_DEFCONFIG       the package's own target that makes one
#                                 (tinyconfig, defconfig, ...)
#   <PKG>_KCONFIG_FRAGMENT_FILES  fragments applied over it, in order: a
#                                 later assignment of a symbol wins
#   <PKG>_KCONFIG_OLDDEFCONFIG    the command that gives new symbols their
#                                 defaults (default: make olddefconfig)
#   <PKG>_KCONFIG_SAVEDEFCONFIG   NO when its Kconfig has no savedefconfig
#   <PKG>_KCONFIG_FILE_OPTION     what the user sets to name a file (said
#                                 when -update-config has none to write)
#
# and runs $(KCONFIG_CONFIGURE_CMDS) in its configure step. Each fragment's
# assignments replace the file's own (support/scripts/apply-fragments: some
# Kconfig copies keep the first of two assignments), and after olddefconfig
# every assignment a fragment asked for and did not get is reported with the
# fragment's file and line (support/scripts/check-fragments), as
# merge_config.sh warns.
#
# Targets of every such package (package/pkg-generic.mk calls kconfig-rules):
#   <pkg>-menuconfig       the package's menuconfig; the next make rebuilds
#                          the package with it, never from the package cache
#                          (until the configure step runs again: save it with
#                          one of these)
#   <pkg>-update-config    the full .config over <PKG>_KCONFIG_FILE
#   <pkg>-savedefconfig    a minimal defconfig beside .config
#   <pkg>-update-defconfig that minimal defconfig over <PKG>_KCONFIG_FILE

define KCONFIG_CONFIGURE_CMDS
	$(if $($(PKG)_KCONFIG_FILE),cp $($(PKG)_KCONFIG_FILE) $($(PKG)_KCONFIG_DOTCONFIG),\
		$($(PKG)_KCONFIG_MAKE) $($(PKG)_KCONFIG_DEFCONFIG))
	$(if $(strip $($(PKG)_KCONFIG_FRAGMENT_FILES)),$(TOPDIR)/support/scripts/apply-fragments \
		$($(PKG)_KCONFIG_DOTCONFIG) $($(PKG)_KCONFIG_DOTCONFIG) $($(PKG)_KCONFIG_FRAGMENT_FILES))
	$(or $($(PKG)_KCONFIG_OLDDEFCONFIG),$($(PKG)_KCONFIG_MAKE) olddefconfig)
	$(TOPDIR)/support/scripts/check-fragments $($(PKG)_KCONFIG_DOTCONFIG) $($(PKG)_KCONFIG_FRAGMENT_FILES)
endef

# kconfig-rules PKG: the targets above, for a package that sets _KCONFIG_MAKE
# (the commands name the package's folders, not $(@D): they are not steps)
define kconfig-rules
$(1)-menuconfig: $(BUILD_DIR)/$(1)/.stamp_configured
	$$($(2)_KCONFIG_MAKE) menuconfig
	touch $(BUILD_DIR)/$(1)/.pkg-cache-skip
	rm -f $(BUILD_DIR)/$(1)/.stamp_built $(BUILD_DIR)/$(1)/.stamp_packaged $(BUILD_DIR)/$(1)/.stamp_installed
$(1)-update-config: $(BUILD_DIR)/$(1)/.stamp_configured
	$$(if $$($(2)_KCONFIG_FILE),,$$(error $(1)-update-config: no configuration file to save to \
		($(2)_KCONFIG_FILE is empty: $$($(2)_KCONFIG_FILE_OPTION))))
	cp $$($(2)_KCONFIG_DOTCONFIG) $$($(2)_KCONFIG_FILE)
$(1)-savedefconfig: $(BUILD_DIR)/$(1)/.stamp_configured
	$$(if $$(filter NO,$$($(2)_KCONFIG_SAVEDEFCONFIG)),$$(error $(1)-savedefconfig: its Kconfig has no savedefconfig))
	$$($(2)_KCONFIG_MAKE) savedefconfig
	@echo "written to $$(dir $$($(2)_KCONFIG_DOTCONFIG))defconfig"
$(1)-update-defconfig: $(1)-savedefconfig
	$$(if $$($(2)_KCONFIG_FILE),,$$(error $(1)-update-defconfig: no configuration file to save to \
		($(2)_KCONFIG_FILE is empty: $$($(2)_KCONFIG_FILE_OPTION))))
	cp $$(dir $$($(2)_KCONFIG_DOTCONFIG))defconfig $$($(2)_KCONFIG_FILE)
.PHONY: $(1)-menuconfig $(1)-update-config $(1)-savedefconfig $(1)-update-defconfig
endef
