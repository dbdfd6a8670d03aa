# tinyroot top-level Makefile.
#
#   make <board>_defconfig     configuration from board/<board>/defconfig
#   make                       kernel, root filesystem and launch script
#   make help                  everything else
#
# Reads top to bottom: paths, host tools, configuration targets, then (with
# a .config) the configuration as make variables, the packages and images.

TOPDIR := $(CURDIR)
O ?= $(TOPDIR)/output
override O := $(abspath $(O))
# Command-line variables (O=, V=) would reach every package's own make through
# MAKEFLAGS; BusyBox and Linux read O= themselves. Recursive calls of this
# Makefile pass O explicitly.
MAKEOVERRIDES :=
CONFIG_FILE := $(O)/.config
BUILD_DIR := $(O)/build
HOST_DIR := $(O)/host
STAGING_DIR := $(O)/staging
TARGET_DIR := $(O)/target
BINARIES_DIR := $(O)/images
AUTOCONF := $(BUILD_DIR)/tinyroot-config/auto.conf
HOSTCC ?= gcc
SHELL := /bin/bash

# The environment's TR_DL_DIR wins over the configuration's (auto.conf sets
# the same name), as BR2_DL_DIR does in Buildroot.
ENV_TR_DL_DIR := $(TR_DL_DIR)
ENV_TR_CCACHE_DIR := $(TR_CCACHE_DIR)
ENV_TR_CVE_FEED := $(TR_CVE_FEED)
ENV_TR_PKG_CACHE_DIR := $(TR_PKG_CACHE_DIR)
ENV_TR_PKG_CACHE_SIGNING_KEY := $(TR_PKG_CACHE_SIGNING_KEY)
# A make run by this one gets them on its command line: GNU make passes a
# variable of the environment on with the value the makefiles gave it
# (auto.conf's), not the environment's.
ENV_OVERRIDES = $(foreach v,TR_DL_DIR TR_CCACHE_DIR TR_CVE_FEED TR_PKG_CACHE_DIR TR_PKG_CACHE_SIGNING_KEY,$(if \
	$(ENV_$(v)),$(v)='$(ENV_$(v))'))

empty :=
space := $(empty) $(empty)
qstrip = $(strip $(subst ",,$(1)))
tab := $(empty)	$(empty)
define newline


endef

# Reproducible builds: a fixed date unless the caller gives one.
SOURCE_DATE_EPOCH ?= 1704067200
export SOURCE_DATE_EPOCH
TR_BUILD_DATE := $(shell LC_ALL=C date -u -d @$(SOURCE_DATE_EPOCH))

# External trees (BR2_EXTERNAL-style): TR_EXTERNAL=/a:/b on the command line
# is remembered in $(O)/.tr-external for later runs. support/scripts/tr-external
# checks the trees and writes what make and Kconfig read from them.
TR_EXTERNAL_FILE := $(O)/.tr-external
ifneq ($(origin TR_EXTERNAL),command line)
ifneq ($(wildcard $(TR_EXTERNAL_FILE)),)
TR_EXTERNAL := $(strip $(file < $(TR_EXTERNAL_FILE)))
endif
endif
TR_EXTERNAL_OUT := $(O)/.tr-external.d
# Checked when trees are named or given (even as none) on the command line,
# or nothing was written yet; without external trees a no-op make runs no
# script for this. A make run by this one (a package's build) does not check
# them again: it would rewrite the files other such makes are reading.
ifneq ($(filter 0,$(MAKELEVEL)),)
ifneq ($(TR_EXTERNAL)$(filter command,$(origin TR_EXTERNAL))$(if \
	$(wildcard $(TR_EXTERNAL_OUT)/tr-external.mk),,missing),)
TR_EXTERNAL_CHECK := $(shell out=$$(support/scripts/tr-external $(TR_EXTERNAL_OUT) \
	$(subst :, ,$(TR_EXTERNAL)) 2>&1) || echo "$${out:-support/scripts/tr-external failed}")
ifneq ($(TR_EXTERNAL_CHECK),)
$(error $(TR_EXTERNAL_CHECK))
endif
endif
endif
# remembered only once checked: a rejected tree does not stick to $(O)
ifeq ($(origin TR_EXTERNAL),command line)
$(shell mkdir -p $(O) && printf '%s\n' '$(TR_EXTERNAL)' > $(TR_EXTERNAL_FILE).tmp && \
	mv -f $(TR_EXTERNAL_FILE).tmp $(TR_EXTERNAL_FILE))
endif
include $(TR_EXTERNAL_OUT)/tr-external.mk
$(foreach n,$(TR_EXTERNAL_NAMES),$(eval export TR_EXTERNAL_$(n)_PATH))

# Board profiles: board/<name>/ here and in each external tree
BOARD_DIRS := $(wildcard board/*/defconfig $(addsuffix /board/*/defconfig,$(TR_EXTERNAL_DIRS)))
BOARDS := $(sort $(foreach f,$(BOARD_DIRS),$(notdir $(patsubst %/,%,$(dir $(f))))))
board-dir = $(patsubst %/defconfig,%,$(firstword $(filter %/board/$(1)/defconfig board/$(1)/defconfig,$(BOARD_DIRS))))
# A board's folder may also hold variants of its profile, <variant>_defconfig:
# board/qemu_aarch64_virt/disk_defconfig is `make qemu_aarch64_virt_disk_defconfig`.
DEFCONFIG_FILES := $(foreach d,$(BOARD_DIRS),$(d) $(wildcard $(dir $(d))*_defconfig))
# defconfig-name FILE: board/B/defconfig -> B, board/B/V_defconfig -> B_V
defconfig-name = $(notdir $(patsubst %/,%,$(dir $(1))))$(patsubst %_defconfig,_%,$(filter-out defconfig,$(notdir $(1))))
DEFCONFIGS := $(sort $(foreach f,$(DEFCONFIG_FILES),$(call defconfig-name,$(f))))
defconfig-file = $(firstword $(foreach f,$(DEFCONFIG_FILES),$(if $(filter $(1),$(call defconfig-name,$(f))),$(f))))

all: world
.PHONY: all world

# Quiet unless V=1: each step prints one ">>>" line and logs the rest. (Only
# this make: the packages' own makes keep their usual output in the logs.)
ifeq ($(V),)
.SILENT:
endif

# ---- host tools --------------------------------------------------------------
KCONFIG := $(HOST_DIR)/bin/kconfig
HELPER := $(HOST_DIR)/bin/tr-helper
KCONFIG_SRCS := $(wildcard support/kconfig/*.[ch] support/kconfig/Makefile)
HELPER_SRCS := $(wildcard support/helper/*.[ch] support/helper/Makefile)

$(KCONFIG): $(KCONFIG_SRCS)
	@mkdir -p $(@D)
	@$(MAKE) --no-print-directory -s -C support/kconfig O=$(HOST_DIR)/build/kconfig
	@cp $(HOST_DIR)/build/kconfig/kconfig $@.tmp && mv $@.tmp $@

# Missing host packages are reported once, up front, with their names.
HOST_DEPS_OK := $(HOST_DIR)/.host-deps-ok
$(HOST_DEPS_OK): support/scripts/check-host-deps
	support/scripts/check-host-deps
	mkdir -p $(@D) && touch $@

# the ncurses front end; built only when `make menuconfig` asks for it
MENUCONFIG := $(HOST_DIR)/bin/menuconfig
$(MENUCONFIG): $(KCONFIG_SRCS) $(wildcard support/kconfig/menuconfig/*.[ch]) | $(HOST_DEPS_OK)
	@mkdir -p $(@D)
	@$(MAKE) --no-print-directory -s -C support/kconfig O=$(HOST_DIR)/build/kconfig menuconfig
	@cp $(HOST_DIR)/build/kconfig/menuconfig/menuconfig $@.tmp && mv $@.tmp $@

$(HELPER): $(HELPER_SRCS) | $(HOST_DEPS_OK)
	@mkdir -p $(@D)
	@$(MAKE) --no-print-directory -s -C support/helper O=$(HOST_DIR)/build/helper
	@cp $(HOST_DIR)/build/helper/tr-helper $@.tmp && mv $@.tmp $@

host-tools: $(KCONFIG) $(HELPER)
.PHONY: host-tools

# ---- configuration -------------------------------------------------------------
# Symbols are named TR_* in the Kconfig files themselves, as BR2_* in
# Buildroot, so the prefix is empty.
# TR_EXTERNAL_KCONFIG is also a make variable: auto.conf.cmd (written by
# syncconfig, as Linux's) makes auto.conf out of date for good when the
# environment variables its Kconfig read differ from make's own.
TR_EXTERNAL_KCONFIG := $(TR_EXTERNAL_OUT)
KCONFIG_ENV := KCONFIG_CONFIG=$(CONFIG_FILE) CONFIG_= srctree=$(TOPDIR) \
	TR_EXTERNAL_KCONFIG=$(TR_EXTERNAL_KCONFIG)
KCONFIG_RUN = cd $(TOPDIR) && $(KCONFIG_ENV) $(KCONFIG)

%_defconfig: $(KCONFIG) FORCE
	@if [ -z "$(call defconfig-file,$*)" ]; then \
		echo "*** unknown defconfig '$@'; known: $(addsuffix _defconfig,$(DEFCONFIGS))" >&2; \
		exit 1; fi
	@mkdir -p $(O)
	@$(KCONFIG_RUN) --defconfig=$(call defconfig-file,$*) Config.in

olddefconfig alldefconfig allnoconfig allyesconfig: $(KCONFIG) FORCE
	@mkdir -p $(O)
	@$(KCONFIG_RUN) --$@ Config.in

savedefconfig: $(KCONFIG) FORCE
	@$(KCONFIG_RUN) --savedefconfig=$(or $(DEFCONFIG),$(O)/defconfig) Config.in
	@echo "saved to $(or $(DEFCONFIG),$(O)/defconfig)"

menuconfig: $(MENUCONFIG) FORCE
	@mkdir -p $(O)
	@cd $(TOPDIR) && $(KCONFIG_ENV) $(MENUCONFIG) Config.in

list-defconfigs:
	@$(foreach b,$(DEFCONFIGS),echo "  $(b)_defconfig";)

FORCE:
.PHONY: FORCE savedefconfig olddefconfig alldefconfig allnoconfig allyesconfig menuconfig list-defconfigs

# The configuration as make variables: auto.conf, regenerated (syncconfig)
# when .config or any Kconfig file it came from changes. syncconfig leaves an
# unchanged auto.conf as it was: it is touched, or every later make would
# run syncconfig again.
$(AUTOCONF): SHELL = /bin/bash
$(AUTOCONF): TR_STEP_LOG =
$(AUTOCONF): $(CONFIG_FILE) $(KCONFIG)
	@mkdir -p $(@D)
	@cd $(TOPDIR) && $(KCONFIG_ENV) KCONFIG_AUTOCONFIG=$@ \
		KCONFIG_AUTOHEADER=$(@D)/autoconf.h $(KCONFIG) --syncconfig Config.in
	@touch $@

CONFIG_GOALS := %_defconfig olddefconfig alldefconfig allnoconfig allyesconfig \
	savedefconfig menuconfig list-defconfigs help clean distclean host-tools check check-fast fuzz \
	check-package
ifneq ($(filter-out $(CONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
ifeq ($(wildcard $(CONFIG_FILE)),)
$(error no configuration in $(O): run 'make <board>_defconfig' first ($(addsuffix _defconfig,$(DEFCONFIGS))))
endif
include $(AUTOCONF)
-include $(AUTOCONF).cmd
# When .config is newer, make regenerates auto.conf and starts over: until
# then its values are the previous configuration's, and checks made while
# reading the makefiles (a missing overlay, say) wait for the new ones.
AUTOCONF_CURRENT := $(if $(MAKE_RESTARTS),y,$(shell [ $(AUTOCONF) -nt $(CONFIG_FILE) ] && echo y))
endif

# ---- build -----------------------------------------------------------------------
DL_DIR := $(abspath $(or $(ENV_TR_DL_DIR),$(call qstrip,$(TR_DL_DIR)),dl))
GLOBAL_PATCH_DIR := $(if $(call qstrip,$(TR_GLOBAL_PATCH_DIR)),$(abspath $(call qstrip,$(TR_GLOBAL_PATCH_DIR))))
PARALLEL_JOBS := $(if $(filter-out 0,$(TR_JLEVEL)),$(TR_JLEVEL),$(shell echo $$(( $$(nproc) + 1 ))))
include toolchain/launcher.mk
# Plain `make` runs PARALLEL_JOBS jobs in all: independent packages side by
# side, and each package's own make (or Ninja) taking its jobs from this
# make's jobserver (the `+` steps of package/pkg-generic.mk), never a -jN of
# its own. A -jN on the command line wins over this one (GNU make) and means
# the same total. Configuration and cleaning goals stay serial. A make run
# by this one (a package's build, package/pkg-cache.mk) takes its jobs from
# the caller's jobserver.
ifeq ($(filter $(CONFIG_GOALS) %config clean distclean,$(MAKECMDGOALS))$(filter-out 0,$(MAKELEVEL)),)
MAKEFLAGS += -j$(PARALLEL_JOBS)
endif
# Host packages install their tools in $(HOST_DIR)/bin: found first by
# every package's configure and build
export PATH := $(HOST_DIR)/bin:$(PATH)
SCRIPT_ENV = TR_CONFIG=$(CONFIG_FILE) HOST_DIR=$(HOST_DIR) STAGING_DIR=$(STAGING_DIR) \
	BUILD_DIR=$(BUILD_DIR) BINARIES_DIR=$(BINARIES_DIR) TARGET_DIR=$(TARGET_DIR) \
	$(foreach n,$(TR_EXTERNAL_NAMES),TR_EXTERNAL_$(n)_PATH=$(TR_EXTERNAL_$(n)_PATH))

include package/pkg-generic.mk
BOARD := $(firstword $(foreach b,$(BOARDS),$(if $(TR_BOARD_$(call UC,$(b))),$(b))))
include toolchain/toolchain.mk
include package/pkg-cache.mk
include package/pkg-autotools.mk
include package/pkg-cmake.mk
include package/pkg-meson.mk
include package/pkg-kconfig.mk
# the root filesystem formats, one folder each (fs/rootfs.mk says what a
# format's file holds): read before the packages are counted, as the
# enabled ones need host packages
ROOTFS_FORMATS := $(patsubst fs/%/,%,$(sort $(dir $(wildcard fs/*/*.mk))))
include $(foreach f,$(ROOTFS_FORMATS),fs/$(f)/$(f).mk)
ROOTFS_ENABLED_FORMATS := $(foreach f,$(ROOTFS_FORMATS),$(if $(TR_TARGET_ROOTFS_$(call UC,$(f))),$(f)))
ROOTFS_IMAGES = $(foreach f,$(ROOTFS_ENABLED_FORMATS),$(BINARIES_DIR)/$(ROOTFS_$(call UC,$(f))_IMAGE))
# the disk image, which places those images (and needs host packages too)
include fs/disk.mk
include package/pkg-register.mk
include $(wildcard $(addsuffix /external.mk,$(TR_EXTERNAL_DIRS)))
# the packages whose files go into the target tree (the kernel's go to images/)
ROOTFS_PACKAGES = $(foreach p,$(PACKAGES),$(if $(call pkg-installs-target,$(p)),$(p)))
# <PKG>_OVERRIDE_SRCDIR = /path/to/working/copy, one per line, as Buildroot's
-include $(O)/local.mk
$(foreach p,$(PACKAGES),$(eval $(call pkg-defaults,$(p))))
$(foreach p,$(PACKAGES),$(eval $(call pkg-rules,$(p))))
# every package is configured with the toolchain in place, made before
# the packages' builds start (package/pkg-cache.mk: each runs in a make of
# its own, and two would write the toolchain's files at once)
$(foreach p,$(PACKAGES),$(BUILD_DIR)/$(p)/.stamp_configured $(BUILD_DIR)/$(p)/.key-inputs.checked): \
	| $(TARGET_CC) $(STAGING_DIR)

include fs/rootfs.mk
include fs/initramfs.mk
include toolchain/sdk/sdk.mk
include package/pkg-info.mk
include package/pkg-sbom.mk

# make printvars VARS="BUSYBOX_VERSION PACKAGES": values as make sees them
printvars:
	$(foreach v,$(VARS),echo '$(v)=$(subst ','\'',$($(v)))';)
.PHONY: printvars

world: $(BUILD_DIR)/.stamp_post_image $(BINARIES_DIR)/.config
	$(ROOTFS_OPEN_CONSOLE_WARNING)
	$(CCACHE_STATS)
	$(PKG_CACHE_SUMMARY)
source: $(foreach p,$(PACKAGES),$(BUILD_DIR)/$(p)/.stamp_downloaded)
.PHONY: source

# ---- housekeeping -------------------------------------------------------------
clean:
	rm -rf $(BUILD_DIR) $(HOST_DIR) $(STAGING_DIR) $(TARGET_DIR) $(BINARIES_DIR)

distclean:
	rm -rf $(O)

check:
	support/testing/run-tests

check-fast:
	support/testing/run-tests --fast

# the recipe lint, on every recipe here and in the external trees
check-package:
	support/scripts/check-package $(foreach f,$(INTREE_PKG_MKS) $(EXT_PKG_MKS),$(dir $(f)))

# libFuzzer targets (support/fuzz/): each runs TR_FUZZ_SECONDS (default 600)
fuzz:
	support/fuzz/run-fuzzers $(O)/fuzz $(or $(TR_FUZZ_SECONDS),600)

help:
	@echo 'Cleaning:'
	@echo '  clean                  - delete all files created by build'
	@echo '  distclean              - delete all non-source files (including .config)'
	@echo
	@echo 'Build:'
	@echo '  all                    - make world'
	@echo '  source                 - download all sources needed for the build'
	@echo '  sdk                    - relocatable toolchain + sysroot tarball for applications'
	@echo '  rootfs-<format>        - one enabled root filesystem image ($(ROOTFS_FORMATS))'
	@echo '  disk                   - the disk image alone (TR_TARGET_DISK)'
	@echo
	@echo 'Configuration:'
	@echo '  menuconfig             - interactive configuration (ncurses)'
	@echo '  olddefconfig           - update .config, new symbols at their defaults'
	@echo '  alldefconfig, allnoconfig, allyesconfig - configurations from defaults / n / y'
	@echo '  savedefconfig          - save a minimal defconfig to $$(O)/defconfig or DEFCONFIG'
	@echo '  list-defconfigs        - list the board defconfigs'
	@$(foreach b,$(DEFCONFIGS),echo '  $(b)_defconfig';)
	@echo
	@echo 'Package-specific:'
	@echo '  <pkg>                  - build and install a package and its dependencies'
	@echo '  <pkg>-source|-extract|-patch|-configure|-build|-rebuild|-reconfigure|-dirclean'
	@echo '  <pkg>-show-depends     - the packages <pkg> depends on'
	@echo '  <pkg>-show-key         - the inputs of its package cache key, and the key'
	@echo '  <pkg>-show-rdepends    - the packages that depend on <pkg>'
	@echo '  linux-menuconfig, linux-savedefconfig, linux-update-config'
	@echo '  busybox-menuconfig, busybox-update-config'
	@echo
	@echo 'Documentation:'
	@echo '  (the manual: docs/manual.md; the Kconfig engine: docs/kconfig.md)'
	@echo '  show-info              - JSON of every enabled package'
	@echo '  legal-info             - $$(O)/legal-info: manifest, license texts, sources'
	@echo '  graph-depends          - $$(O)/graphs/graph-depends.{dot,svg,png}'
	@echo '  graph-build            - $$(O)/graphs/graph-build.{svg,png,txt} (after a build)'
	@echo '  sbom                   - images/sbom.spdx.json (SPDX 2.3), images/sbom.cdx.json (CycloneDX 1.6)'
	@echo '  cve-check              - images/cve-report.txt and cve-vex.cdx.json from TR_CVE_FEED (OSV)'
	@echo
	@echo 'Miscellaneous:'
	@echo '  printvars VARS="..."   - values of make variables'
	@echo '  check                  - the whole test suite (builds every board)'
	@echo '  check-fast             - unit and component tests only'
	@echo '  check-package          - lint every package recipe (order, hashes, license files)'
	@echo '  fuzz                   - run each fuzz target TR_FUZZ_SECONDS (600) under ASan+UBSan'
	@echo '  make O=dir             - put all output files in dir (default: output/)'
	@echo '  make TR_EXTERNAL=a:b   - use external trees (remembered in $$(O))'
	@echo '  make V=1               - show every command'
.PHONY: clean distclean check check-fast check-package fuzz help
