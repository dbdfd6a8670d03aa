# The Meson infrastructure: a recipe sets <PKG>_INFRA = meson (and
# HOST_<PKG>_INFRA = meson for a host package) and only what is its own:
#
#   <PKG>_CONF_OPTS        more options for meson setup (-Dfeature=disabled)
#   <PKG>_CONF_ENV         more variables for meson setup
#   <PKG>_NINJA_OPTS       more arguments for ninja (targets)
#   <PKG>_INSTALL_STAGING  YES: install into the staging sysroot too
#   <PKG>_INSTALL_TARGET   NO: nothing for the target tree
#
# Target packages use a Meson cross file made from the one the SDK ships
# ($(MESON_CROSS_FILE): the wrapper, the binutils, <tuple>-pkg-config, the
# CPU from toolchain/arch/), the libraries of the libraries choice, and no
# subproject downloads.
# The build folder is $(@D)/obj. Ninja 1.11 cannot join make's jobserver:
# support/scripts/jobserver-run gives it the slots the jobserver has free
# when it starts (at least the one the step holds), so that a Meson package
# does not add its own job count on top of tinyroot's.

MESON_NINJA = $(TOPDIR)/support/scripts/jobserver-run $(PARALLEL_JOBS) ninja
# the libraries choice (Config.in, Build options)
MESON_DEFAULT_LIBRARY = $(if $(TR_STATIC_LIBS),static,$(if $(TR_SHARED_LIBS),shared,both))

define MESON_CONFIGURE_CMDS
	rm -rf $(@D)/obj
	$($(PKG)_CONF_ENV) meson setup --cross-file $(MESON_CROSS_FILE) \
		--prefix=/usr --libdir=lib --sysconfdir=/etc --localstatedir=/var \
		--buildtype=release -Ddefault_library=$(MESON_DEFAULT_LIBRARY) -Dwrap_mode=nodownload \
		$($(PKG)_CONF_OPTS) $(@D)/obj $(@D)/src
endef

define MESON_BUILD_CMDS
	$(MESON_NINJA) -C $(@D)/obj $($(PKG)_NINJA_OPTS)
endef

define MESON_INSTALL_STAGING_CMDS
	$(if $(filter YES,$($(PKG)_INSTALL_STAGING)),\
		DESTDIR=$(PKG_STAGING_DIR) meson install -C $(@D)/obj --no-rebuild --quiet)
endef

define MESON_INSTALL_TARGET_CMDS
	$(if $(filter NO,$($(PKG)_INSTALL_TARGET)),,\
		DESTDIR=$(PKG_TARGET_DIR) meson install -C $(@D)/obj --no-rebuild --quiet)
endef

define HOST_MESON_CONFIGURE_CMDS
	rm -rf $(@D)/obj
	$(HOST_CONFIGURE_ENV) $($(PKG)_CONF_ENV) meson setup --prefix=$(HOST_DIR) --libdir=lib \
		--buildtype=release -Dwrap_mode=nodownload $($(PKG)_CONF_OPTS) $(@D)/obj $(@D)/src
endef

HOST_MESON_BUILD_CMDS = $(MESON_BUILD_CMDS)

define HOST_MESON_INSTALL_CMDS
	DESTDIR=$(PKG_HOST_DESTDIR) meson install -C $(@D)/obj --no-rebuild --quiet
endef
