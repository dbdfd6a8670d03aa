# The CMake infrastructure: a recipe sets <PKG>_INFRA = cmake (and
# HOST_<PKG>_INFRA = cmake for a host package) and only what is its own:
#
#   <PKG>_CONF_OPTS        more -D options for cmake
#   <PKG>_CONF_ENV         more variables for cmake's configure run
#   <PKG>_SUBDIR           the folder of the top CMakeLists.txt, when not
#                          the top of the source
#   <PKG>_MAKE_OPTS        more make variables for the build and installs
#   <PKG>_INSTALL_STAGING  YES: install into the staging sysroot too
#   <PKG>_INSTALL_TARGET   NO: nothing for the target tree
#
# Target packages use the toolchain file the SDK ships
# ($(CMAKE_TOOLCHAIN_FILE): the wrapper, <tuple>-g++ with C++ support, the
# sysroot, find_* looking in the sysroot only) and pkg-config aimed at the staging sysroot. The build folder
# is $(@D)/obj, outside the source. CMake writes Makefiles (not Ninja): their
# make runs under tinyroot's jobserver.

CMAKE_COMMON_OPTS = -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release \
	-DCMAKE_INSTALL_LIBDIR=lib -DBUILD_TESTING=OFF -DCMAKE_COLOR_MAKEFILE=OFF

define CMAKE_CONFIGURE_CMDS
	rm -rf $(@D)/obj
	$(TARGET_PKG_CONFIG_ENV) $($(PKG)_CONF_ENV) cmake -S $(@D)/src/$($(PKG)_SUBDIR) -B $(@D)/obj \
		$(CMAKE_COMMON_OPTS) -DCMAKE_TOOLCHAIN_FILE=$(CMAKE_TOOLCHAIN_FILE) \
		-DCMAKE_INSTALL_PREFIX=/usr -DBUILD_SHARED_LIBS=$(if $(TOOLCHAIN_SHARED),ON,OFF) \
		-DCMAKE_C_FLAGS="-O2" $(if $(pkg-cxx),-DCMAKE_CXX_FLAGS="-O2") $($(PKG)_CONF_OPTS)
endef

CMAKE_CLEAN_CMDS = $(MAKE) -C $(@D)/obj clean

CMAKE_BUILD_CMDS = $(call pkg-make-build,$(@D)/obj)
CMAKE_INSTALL_STAGING_CMDS = $(call pkg-make-install-staging,$(@D)/obj)
CMAKE_INSTALL_TARGET_CMDS = $(call pkg-make-install-target,$(@D)/obj)

define HOST_CMAKE_CONFIGURE_CMDS
	rm -rf $(@D)/obj
	$(HOST_CONFIGURE_ENV) $($(PKG)_CONF_ENV) cmake -S $(@D)/src/$($(PKG)_SUBDIR) -B $(@D)/obj \
		$(CMAKE_COMMON_OPTS) -DCMAKE_INSTALL_PREFIX=$(HOST_DIR) \
		-DCMAKE_C_COMPILER=$(HOSTCC) $($(PKG)_CONF_OPTS)
endef

HOST_CMAKE_CLEAN_CMDS = $(CMAKE_CLEAN_CMDS)
HOST_CMAKE_BUILD_CMDS = $(CMAKE_BUILD_CMDS)

HOST_CMAKE_INSTALL_CMDS = $(MAKE) -C $(@D)/obj $($(PKG)_MAKE_OPTS) DESTDIR=$(PKG_HOST_DESTDIR) install
