# Package registration: every folder package/<pkg>/ with a <pkg>.mk, here and
# in each external tree, is a package; nothing else lists them.
#
#   PACKAGES        what this configuration builds: every package whose
#                   Kconfig symbol is y (<PKG>_KCONFIG_VAR, default
#                   TR_PACKAGE_<PKG>), and the host packages (host-<pkg>)
#                   those depend on
#   packages.in     the "Target packages" menu, generated into
#                   $(TR_EXTERNAL_OUT) (Config.in sources it): each package's
#                   Config.in in the menu its recipe names (<PKG>_CATEGORY),
#                   and the Kconfig selects derived from the recipes
#
# A dependency is stated once, in the recipe's <PKG>_DEPENDENCIES: the menu
# gets a `select` for each target package listed there, so Kconfig cannot
# enable a package without what it builds on. A dependency added under a
# condition ($(if $(TR_PACKAGE_FOO_TLS),libtls)) is left out of the menu,
# which does not depend on the configuration: the package's Config.in
# selects it with that condition, and make stops with the recipe's name
# when it does not. (check-package refuses _DEPENDENCIES set inside an
# ifeq block: its value would depend on the configuration.)

# ---- the recipes ---------------------------------------------------------------
# An external recipe replaces an in-tree one of the same name only when its
# tree's external.desc says `override: <pkg>`.
pkg-name = $(notdir $(patsubst %/,%,$(dir $(1))))
# recipes-in DIR: DIR/package/<pkg>/<pkg>.mk for each folder that has one
recipes-in = $(foreach f,$(sort $(wildcard $(1)package/*/*.mk)),$(if \
	$(filter $(call pkg-name,$(f)).mk,$(notdir $(f))),$(f)))
INTREE_PKG_MKS := $(filter-out $(foreach p,$(TR_EXTERNAL_OVERRIDES),package/$(p)/$(p).mk),\
	$(call recipes-in,))
EXT_PKG_MKS := $(foreach t,$(TR_EXTERNAL_DIRS),$(call recipes-in,$(t)/))
EXT_PACKAGES := $(foreach f,$(EXT_PKG_MKS),$(call pkg-name,$(f)))
$(foreach p,$(filter $(EXT_PACKAGES),$(foreach f,$(INTREE_PKG_MKS),$(call pkg-name,$(f)))),\
	$(error TR_EXTERNAL: package $(p) exists in tinyroot and in an external tree; \
	add 'override: $(p)' to that tree's external.desc to replace tinyroot's))
$(foreach f,$(INTREE_PKG_MKS) $(EXT_PKG_MKS),\
	$(eval $(call UC,$(call pkg-name,$(f)))_PKGDIR := $(patsubst %/,%,$(dir $(f)))))
include $(INTREE_PKG_MKS) $(EXT_PKG_MKS)

# Every recipe is a target package; one that sets HOST_<PKG>_INFRA also
# gives a host package, host-<pkg> (package/pkg-generic.mk: host packages).
RECIPES := $(foreach f,$(INTREE_PKG_MKS) $(EXT_PKG_MKS),$(call pkg-name,$(f)))
HOST_RECIPES := $(foreach p,$(RECIPES),$(if $(HOST_$(call UC,$(p))_INFRA),host-$(p)))
KNOWN_PACKAGES := $(RECIPES) $(HOST_RECIPES)

pkg-kconfig-var = $(or $($(call UC,$(1))_KCONFIG_VAR),TR_PACKAGE_$(call UC,$(1)))
pkg-enabled = $(filter y,$($(call pkg-kconfig-var,$(1))))

# the packages $(1) names in their _DEPENDENCIES, and theirs, and so on
pkg-direct-deps = $(sort $(foreach p,$(1),$($(call UC,$(p))_DEPENDENCIES)))
pkg-closure = $(if $(filter-out $(1),$(call pkg-direct-deps,$(1))),\
	$(call pkg-closure,$(sort $(1) $(call pkg-direct-deps,$(1)))),$(call uniq,$(1)))
# uniq LIST: LIST without repeated words, in its order (a host package two
# image formats name)
uniq = $(if $(1),$(firstword $(1)) $(call uniq,$(filter-out $(firstword $(1)),$(1))))

ENABLED_TARGET_PACKAGES := $(foreach p,$(RECIPES),$(if $(call pkg-enabled,$(p)),$(p)))
# Host packages come with the packages that need them (or their own symbol,
# TR_PACKAGE_HOST_<PKG>, for a tool the user wants in host/bin).
# The enabled root filesystem formats name theirs too (ROOTFS_<FORMAT>_DEPENDENCIES),
# and the disk image (DISK_DEPENDENCIES, fs/disk.mk).
PACKAGES := $(call pkg-closure,$(ENABLED_TARGET_PACKAGES) \
	$(foreach p,$(HOST_RECIPES),$(if $(call pkg-enabled,$(p)),$(p))) \
	$(foreach f,$(ROOTFS_ENABLED_FORMATS),$(ROOTFS_$(call UC,$(f))_DEPENDENCIES)) $(DISK_DEPENDENCIES))

# A dependency with no recipe, or one Kconfig left disabled, stops make
# before anything is built (with the current configuration: AUTOCONF_CURRENT).
pkg-recipe-file = $(call pkg-dir,$(1))/$(patsubst host-%,%,$(1)).mk
ifeq ($(AUTOCONF_CURRENT),y)
$(foreach p,$(PACKAGES),$(foreach d,$($(call UC,$(p))_DEPENDENCIES),\
	$(if $(filter $(d),$(KNOWN_PACKAGES)),,$(error $(call pkg-recipe-file,$(p)): \
		$(call UC,$(p))_DEPENDENCIES names '$(d)', which has no recipe (package/$(patsubst host-%,%,$(d))/$(patsubst \
		host-%,%,$(d)).mk here or in an external tree)))))
$(foreach p,$(PACKAGES),$(foreach d,$(filter $(RECIPES),$($(call UC,$(p))_DEPENDENCIES)),\
	$(if $(call pkg-enabled,$(d)),,$(error $(call pkg-recipe-file,$(p)): $(p) depends on $(d) \
		($(call UC,$(p))_DEPENDENCIES) but $(call pkg-kconfig-var,$(d)) is not set: \
		add 'select $(call pkg-kconfig-var,$(d))' (with its condition) to $(call pkg-dir,$(p))/Config.in))))
endif

# ---- the Target packages and Bootloaders menus ------------------------------------
# <PKG>_CATEGORY is the menu a package is listed in: Buildroot's categories
# ("Libraries", "Networking applications", ...), or "Target packages" for
# the top of the menu, or "Bootloaders", a top-level menu of its own as in
# Buildroot. A recipe without one has its Config.in sourced by the menu it
# belongs to (the kernel's, the toolchain's).
pkg-category = $($(call UC,$(1))_CATEGORY)
PKG_CATEGORIES := $(sort $(foreach p,$(RECIPES),$(if $(call pkg-category,$(p)),\
	$(subst $(space),~,$(call pkg-category,$(p))))))
pkg-in-category = $(foreach p,$(RECIPES),$(if $(filter $(1),$(subst $(space),~,$(call pkg-category,$(p)))),$(p)))
pkg-menu-source = source "$(call pkg-dir,$(1))/Config.in"$(newline)
# selects for the target packages a recipe depends on unconditionally: the
# words of its _DEPENDENCIES as written (make's $(value)), leaving out what
# make would compute ($(if ...) parts), so that the menu is the same
# whatever the configuration
pkg-static-deps = $(filter $(RECIPES),$(foreach w,$(value $(call UC,$(1))_DEPENDENCIES),$(if \
	$(findstring $$,$(w)),,$(w))))
pkg-menu-selects = $(if $(call pkg-static-deps,$(1)),\
	config $(call pkg-kconfig-var,$(1))$(newline)$(foreach d,$(call pkg-static-deps,$(1)),\
	$(tab)select $(call pkg-kconfig-var,$(d))$(newline)))

define PACKAGES_KCONFIG_TEXT
# Generated by make from the package recipes (package/pkg-register.mk)
menu "Target packages"
$(foreach p,$(call pkg-in-category,Target~packages),$(call pkg-menu-source,$(p)))
$(foreach c,$(filter-out Target~packages Bootloaders,$(PKG_CATEGORIES)),menu "$(subst ~, ,$(c))"
$(foreach p,$(call pkg-in-category,$(c)),$(call pkg-menu-source,$(p)))endmenu
)
endmenu
$(if $(call pkg-in-category,Bootloaders),menu "Bootloaders"
$(foreach p,$(call pkg-in-category,Bootloaders),$(call pkg-menu-source,$(p)))endmenu
)

# Dependencies from the recipes' _DEPENDENCIES
$(foreach p,$(RECIPES),$(call pkg-menu-selects,$(p)))
# end of the generated menu
endef

# Rewritten only when it changes: the configuration (auto.conf) is
# regenerated when a Kconfig file it read is newer. (The text ends with a
# line of its own, without a newline: reading the file back drops the
# newline that writing it adds, so an unchanged menu compares equal.)
PACKAGES_KCONFIG := $(TR_EXTERNAL_OUT)/packages.in
# (foreach joins with spaces: the lines lose them, Kconfig needs none)
kconfig-tidy = $(subst $(newline)$(space),$(newline),$(subst $(newline)$(space),$(newline),$(subst \
	$(newline)$(space),$(newline),$(1))))
PACKAGES_KCONFIG_TIDY := $(call kconfig-tidy,$(PACKAGES_KCONFIG_TEXT))
ifneq ($(file < $(PACKAGES_KCONFIG)),$(PACKAGES_KCONFIG_TIDY))
$(shell mkdir -p $(TR_EXTERNAL_OUT))
$(file > $(PACKAGES_KCONFIG).tmp,$(PACKAGES_KCONFIG_TIDY))
$(shell mv -f $(PACKAGES_KCONFIG).tmp $(PACKAGES_KCONFIG))
endif
