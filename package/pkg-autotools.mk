# The autotools infrastructure: a recipe sets <PKG>_INFRA = autotools (and
# HOST_<PKG>_INFRA = autotools for a host package) and only what is its own:
#
#   <PKG>_CONF_OPTS        more ./configure options
#   <PKG>_CONF_ENV         more variables for ./configure
#   <PKG>_AUTORECONF       YES: run autoreconf first (a patched configure.ac,
#                          a tarball without configure); needs Debian's
#                          autoconf, automake and libtool
#   <PKG>_MAKE_OPTS        more make variables for the build and installs
#   <PKG>_INSTALL_STAGING  YES: install into the staging sysroot too (a
#                          library other packages link against)
#   <PKG>_INSTALL_TARGET   NO: nothing for the target tree
# and may still write any step itself (<PKG>_BUILD_CMDS, ...), which then
# replaces the infrastructure's. The steps use $(PKG), the package whose
# step runs.
#
# Target packages are cross-compiled: --host is tinyroot's tuple, the tools
# are the toolchain's (and CXX, <tuple>-g++, for a package in C++:
# pkg-cxx) ($(TARGET_CROSS)*: the wrapper aims the compiler at
# the staging sysroot), installs go through DESTDIR into the package's
# staging and target trees (package/pkg-generic.mk merges them), and
# pkg-config sees only the staging sysroot. Host packages are built with the
# build machine's compiler for $(HOST_DIR).

# The build machine's tuple: configure then knows it cross-compiles.
HOST_TUPLE := $(shell $(HOSTCC) -dumpmachine)

# pkg-config for target packages: the staging sysroot's .pc files only,
# their paths prefixed with the sysroot; a package that would find the build
# machine's library finds nothing and fails at configure time instead.
# (<tuple>-pkg-config, toolchain/toolchain.mk; the variables too, for a
# build system that runs pkg-config by its plain name)
TARGET_PKG_CONFIG_ENV = PKG_CONFIG="$(TARGET_PKG_CONFIG)" PKG_CONFIG_PATH="" \
	PKG_CONFIG_LIBDIR="$(STAGING_DIR)/usr/lib/pkgconfig:$(STAGING_DIR)/usr/share/pkgconfig" \
	PKG_CONFIG_SYSROOT_DIR="$(STAGING_DIR)"

TARGET_CONFIGURE_ENV = CC="$(TARGET_CC)" CPP="$(TARGET_CROSS)cpp" \
	AR="$(TARGET_CROSS)ar" RANLIB="$(TARGET_CROSS)ranlib" STRIP="$(TARGET_CROSS)strip" \
	LD="$(TARGET_CROSS)ld" NM="$(TARGET_CROSS)nm" OBJDUMP="$(TARGET_CROSS)objdump" \
	READELF="$(TARGET_CROSS)readelf" OBJCOPY="$(TARGET_CROSS)objcopy" \
	CFLAGS="-O2" CXXFLAGS="-O2" LDFLAGS="" $(TARGET_PKG_CONFIG_ENV) \
	$(if $(pkg-cxx),CXX="$(TARGET_CXX)" CXXCPP="$(TARGET_CXX) -E")

HOST_CONFIGURE_ENV = CC="$(HOSTCC)" CFLAGS="-O2" LDFLAGS="" \
	PKG_CONFIG_PATH="$(HOST_DIR)/lib/pkgconfig"

# The libraries choice (Config.in, Build options): archives, shared
# objects, or both.
TARGET_LIBRARY_CONF_OPTS = $(if $(TR_STATIC_LIBS),--disable-shared --enable-static,$(if \
	$(TR_SHARED_LIBS),--enable-shared --disable-static,--enable-shared --enable-static))

# A package's config.sub and config.guess may predate musl or the
# architecture: Debian's current ones (autotools-dev) replace them, as
# Buildroot's do.
define AUTOTOOLS_UPDATE_CONFIG_SCRIPTS
	for f in config.sub config.guess; do \
		find $(@D)/src -name $$f -exec cp /usr/share/misc/$$f {} \; ; done
endef

define AUTOTOOLS_CONFIGURE_CMDS
	$(if $(filter YES,$($(PKG)_AUTORECONF)),cd $(@D)/src && autoreconf -fi)
	$(AUTOTOOLS_UPDATE_CONFIG_SCRIPTS)
	cd $(@D)/src && $(TARGET_CONFIGURE_ENV) $($(PKG)_CONF_ENV) ./configure \
		--host=$(TR_TUPLE) --build=$(HOST_TUPLE) --prefix=/usr --exec-prefix=/usr \
		--sysconfdir=/etc --localstatedir=/var --disable-nls --disable-dependency-tracking \
		$(TARGET_LIBRARY_CONF_OPTS) $($(PKG)_CONF_OPTS)
endef

# autotools' makefiles trust timestamps: after an interrupted build, start over
AUTOTOOLS_CLEAN_CMDS = $(MAKE) -C $(@D)/src clean

AUTOTOOLS_BUILD_CMDS = $(call pkg-make-build,$(@D)/src)
AUTOTOOLS_INSTALL_STAGING_CMDS = $(call pkg-make-install-staging,$(@D)/src)
AUTOTOOLS_INSTALL_TARGET_CMDS = $(call pkg-make-install-target,$(@D)/src)

define HOST_AUTOTOOLS_CONFIGURE_CMDS
	$(if $(filter YES,$($(PKG)_AUTORECONF)),cd $(@D)/src && autoreconf -fi)
	cd $(@D)/src && $(HOST_CONFIGURE_ENV) $($(PKG)_CONF_ENV) ./configure \
		--prefix=$(HOST_DIR) --sysconfdir=$(HOST_DIR)/etc --localstatedir=$(HOST_DIR)/var \
		--disable-nls --disable-dependency-tracking $($(PKG)_CONF_OPTS)
endef

HOST_AUTOTOOLS_CLEAN_CMDS = $(AUTOTOOLS_CLEAN_CMDS)
HOST_AUTOTOOLS_BUILD_CMDS = $(AUTOTOOLS_BUILD_CMDS)

HOST_AUTOTOOLS_INSTALL_CMDS = $(MAKE) -C $(@D)/src $($(PKG)_MAKE_OPTS) DESTDIR=$(PKG_HOST_DESTDIR) install
