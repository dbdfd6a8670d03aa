# squashfs-tools: mksquashfs and unsquashfs; host-squashfs-tools writes the
# squashfs root filesystem image (fs/squashfs). A host package only.
SQUASHFS_TOOLS_VERSION = 4.5.1
SQUASHFS_TOOLS_SOURCE = squashfs-tools-$(SQUASHFS_TOOLS_VERSION).tar.gz
SQUASHFS_TOOLS_SITE = https://github.com/plougher/squashfs-tools/archive/$(SQUASHFS_TOOLS_VERSION)
SQUASHFS_TOOLS_LICENSE = GPL-2.0-or-later
SQUASHFS_TOOLS_LICENSE_FILES = COPYING
SQUASHFS_TOOLS_SUPPLIER = Phillip Lougher (squashfs-tools project)
SQUASHFS_TOOLS_CPE_ID_VENDOR = squashfs-tools_project
SQUASHFS_TOOLS_CPE_ID_PRODUCT = squashfs-tools

# LZ4 from tinyroot's own host-lz4, the only compressor: the image's bytes
# then depend on pinned sources, not on the build machine's zlib or liblzma.
# No extended attributes (the target tree has none to keep).
HOST_SQUASHFS_TOOLS_INFRA = generic
HOST_SQUASHFS_TOOLS_DEPENDENCIES = host-lz4
HOST_SQUASHFS_TOOLS_MAKE_OPTS = GZIP_SUPPORT=0 XZ_SUPPORT=0 LZO_SUPPORT=0 LZMA_XZ_SUPPORT=0 \
	ZSTD_SUPPORT=0 LZ4_SUPPORT=1 COMP_DEFAULT=lz4 XATTR_SUPPORT=0 \
	CC="$(HOSTCC)" EXTRA_CFLAGS="-I$(HOST_DIR)/include" EXTRA_LDFLAGS="-L$(HOST_DIR)/lib"

# its makefile trusts file times: cleaned after an interrupted build or a
# changed key (package/pkg-generic.mk)
HOST_SQUASHFS_TOOLS_CLEAN_CMDS = $(MAKE) -C $(@D)/src/squashfs-tools clean

define HOST_SQUASHFS_TOOLS_BUILD_CMDS
	$(MAKE) -C $(@D)/src/squashfs-tools $(HOST_SQUASHFS_TOOLS_MAKE_OPTS) mksquashfs unsquashfs
endef

define HOST_SQUASHFS_TOOLS_INSTALL_CMDS
	install -D -m 755 $(@D)/src/squashfs-tools/mksquashfs $(PKG_HOST_DESTDIR)$(HOST_DIR)/bin/mksquashfs
	install -D -m 755 $(@D)/src/squashfs-tools/unsquashfs $(PKG_HOST_DESTDIR)$(HOST_DIR)/bin/unsquashfs
endef
