# lz4: fast compression, the lz4 command and liblz4; built with CMake (its
# build/cmake folder; the top Makefile is upstream's other build system).
LZ4_VERSION = 1.9.4
LZ4_SOURCE = lz4-$(LZ4_VERSION).tar.gz
LZ4_SITE = https://github.com/lz4/lz4/archive/v$(LZ4_VERSION)
LZ4_LICENSE = BSD-2-Clause AND GPL-2.0-or-later
LZ4_LICENSE_FILES = lib/LICENSE programs/COPYING
LZ4_SUPPLIER = LZ4 project (Yann Collet)
LZ4_CPE_ID_VENDOR = lz4_project
LZ4_PURL = pkg:github/lz4/lz4@v$(LZ4_VERSION)
LZ4_CATEGORY = Compressors and decompressors
LZ4_INFRA = cmake
LZ4_DEPENDENCIES = musl
LZ4_SUBDIR = build/cmake
LZ4_INSTALL_STAGING = YES
# no lz4c (the legacy command line)
LZ4_CONF_OPTS = -DLZ4_BUILD_CLI=ON -DLZ4_BUILD_LEGACY_LZ4C=OFF

# host-lz4: the lz4 command for the build machine (it compresses an LZ4
# kernel), linked statically so that it needs no liblz4 of the host's
HOST_LZ4_INFRA = cmake
HOST_LZ4_SUBDIR = build/cmake
HOST_LZ4_CONF_OPTS = -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON \
	-DLZ4_BUILD_CLI=ON -DLZ4_BUILD_LEGACY_LZ4C=OFF
