# erofs-utils: mkfs.erofs; host-erofs-utils writes the erofs root
# filesystem image (fs/erofs). A host package only.
EROFS_UTILS_VERSION = 1.5
EROFS_UTILS_SOURCE = erofs-utils-$(EROFS_UTILS_VERSION).tar.gz
EROFS_UTILS_SITE = https://git.kernel.org/pub/scm/linux/kernel/git/xiang/erofs-utils.git/snapshot
EROFS_UTILS_LICENSE = GPL-2.0-or-later AND (GPL-2.0-or-later OR Apache-2.0)
EROFS_UTILS_LICENSE_FILES = COPYING LICENSES/GPL-2.0 LICENSES/Apache-2.0
EROFS_UTILS_SUPPLIER = Gao Xiang (erofs-utils project)
EROFS_UTILS_CPE_ID_VENDOR = erofs-utils_project

# The tag's tarball has no configure script. LZ4 (and LZ4HC) from
# tinyroot's host-lz4; no libuuid: the file system's UUID stays zero, the
# same in every build (the root is found by its partition, not by it).
HOST_EROFS_UTILS_INFRA = autotools
HOST_EROFS_UTILS_AUTORECONF = YES
HOST_EROFS_UTILS_DEPENDENCIES = host-lz4
HOST_EROFS_UTILS_CONF_OPTS = --enable-lz4 --disable-lzma --disable-fuse --without-uuid \
	--without-selinux --disable-werror \
	--with-lz4-incdir=$(HOST_DIR)/include --with-lz4-libdir=$(HOST_DIR)/lib
