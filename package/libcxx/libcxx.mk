# libcxx: the C++ runtime of the toolchain's C++ support (TR_TOOLCHAIN_CXX):
# LLVM's libc++, libc++abi and libunwind, built against musl by the
# toolchain's own g++ through the wrapper, into the staging sysroot
# (usr/include/c++/v1, usr/lib), and their shared objects into the target
# with shared libraries. Named as OpenEmbedded names the same runtime.
#
# Why this runtime (docs/manual.md, "C++"): GCC's libstdc++ is built inside
# a GCC build (its configure wants the new compiler and a libgcc_s for
# musl), a full cross GCC per architecture; LLVM's runtimes build on their
# own with the compiler there is, and bring their unwinder, so no glibc
# library (libgcc_s) reaches the target.
LIBCXX_VERSION = 14.0.6
# Debian's archive of the whole LLVM tree (its own repack, so it keeps its
# Debian name; libcxx.hash has the .dsc's digest): the runtimes are built
# from runtimes/, with llvm/cmake's modules.
LIBCXX_SOURCE = llvm-toolchain-14_$(LIBCXX_VERSION).orig.tar.xz
LIBCXX_SITE = https://deb.debian.org/debian/pool/main/l/llvm-toolchain-14
LIBCXX_LICENSE = Apache-2.0 WITH LLVM-exception
LIBCXX_LICENSE_FILES = libcxx/LICENSE.TXT libcxxabi/LICENSE.TXT libunwind/LICENSE.TXT
LIBCXX_SUPPLIER = LLVM project (llvm.org), as archived by Debian
LIBCXX_HOMEPAGE = https://libcxx.llvm.org
LIBCXX_CPE_ID_VENDOR = llvm
# NVD files the runtimes' vulnerabilities under the LLVM project's name
LIBCXX_CPE_ID_PRODUCT = llvm
LIBCXX_PURL = pkg:github/llvm/llvm-project@llvmorg-$(LIBCXX_VERSION)
LIBCXX_CATEGORY = Target packages
LIBCXX_KCONFIG_PREFIX = TR_PACKAGE_LIBCXX TR_TOOLCHAIN_CXX
LIBCXX_INFRA = cmake
LIBCXX_DEPENDENCIES = musl linux-headers
LIBCXX_SUBDIR = runtimes
LIBCXX_INSTALL_STAGING = YES

# libc++abi's and libunwind's assertion messages name their source files
# (__FILE__): as paths under llvm-project/, not under this output folder,
# which would reach the SDK and every program linked statically with them
LIBCXX_PREFIX_MAP = -ffile-prefix-map=$(@D)/src=llvm-project

# The libraries choice decides which kinds are built (each is compiled on
# its own). musl (LIBCXX_HAS_MUSL_LIBC), no tests, benchmarks or docs.
# libc++abi unwinds with LLVM's libunwind; a C++ link gets the three
# libraries from the wrapper. No link of the runtime's own build may ask for
# them (CMake's first check links a C++ program; the libraries link each
# other by name): -nostdlib++ on every C++ command, which the wrapper
# provides (gcc 12 does not know it).
LIBCXX_SHARED = $(if $(TR_STATIC_LIBS),OFF,ON)
LIBCXX_STATIC = $(if $(TR_SHARED_LIBS),OFF,ON)
LIBCXX_CONF_OPTS = \
	-DCMAKE_C_FLAGS="-O2 $(LIBCXX_PREFIX_MAP)" -DCMAKE_CXX_FLAGS="-O2 -nostdlib++ $(LIBCXX_PREFIX_MAP)" \
	-DLLVM_ENABLE_RUNTIMES="libunwind;libcxxabi;libcxx" \
	-DLLVM_INCLUDE_TESTS=OFF -DLLVM_INCLUDE_DOCS=OFF \
	-DLIBCXX_HAS_MUSL_LIBC=ON \
	-DLIBCXX_CXX_ABI=libcxxabi \
	-DLIBCXX_INCLUDE_TESTS=OFF -DLIBCXX_INCLUDE_BENCHMARKS=OFF -DLIBCXX_INCLUDE_DOCS=OFF \
	-DLIBCXXABI_INCLUDE_TESTS=OFF -DLIBUNWIND_INCLUDE_TESTS=OFF -DLIBUNWIND_INCLUDE_DOCS=OFF \
	-DLIBCXXABI_USE_LLVM_UNWINDER=ON \
	-DLIBCXX_ENABLE_SHARED=$(LIBCXX_SHARED) -DLIBCXX_ENABLE_STATIC=$(LIBCXX_STATIC) \
	-DLIBCXXABI_ENABLE_SHARED=$(LIBCXX_SHARED) -DLIBCXXABI_ENABLE_STATIC=$(LIBCXX_STATIC) \
	-DLIBUNWIND_ENABLE_SHARED=$(LIBCXX_SHARED) -DLIBUNWIND_ENABLE_STATIC=$(LIBCXX_STATIC)

# With shared libraries the image gets the runtime's shared objects (an
# app team's program built with the SDK needs them too)
define LIBCXX_INSTALL_TARGET_CMDS
	$(if $(TOOLCHAIN_SHARED),mkdir -p $(PKG_TARGET_DIR)/usr/lib && \
		cp -a $(PKG_STAGING_DIR)/usr/lib/libc++.so.* $(PKG_STAGING_DIR)/usr/lib/libc++abi.so.* \
		$(PKG_STAGING_DIR)/usr/lib/libunwind.so.* $(PKG_TARGET_DIR)/usr/lib/)
endef
