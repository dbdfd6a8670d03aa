# e2fsprogs: the ext2/3/4 tools; host-e2fsprogs writes the ext4 root
# filesystem image (mke2fs -d, fs/ext4) and reads it back (debugfs, e2fsck).
# A host package only: the target needs none of it yet.
E2FSPROGS_VERSION = 1.47.0
E2FSPROGS_SOURCE = e2fsprogs-$(E2FSPROGS_VERSION).tar.gz
E2FSPROGS_SITE = https://www.kernel.org/pub/linux/kernel/people/tytso/e2fsprogs/v$(E2FSPROGS_VERSION)
E2FSPROGS_LICENSE = GPL-2.0-only AND LGPL-2.0-only AND BSD-3-Clause AND MIT
E2FSPROGS_LICENSE_FILES = NOTICE lib/uuid/COPYING
E2FSPROGS_SUPPLIER = Theodore Ts'o (e2fsprogs project)
E2FSPROGS_CPE_ID_VENDOR = e2fsprogs_project

HOST_E2FSPROGS_INFRA = autotools
# Its own uuid and blkid libraries, not the build machine's. /etc as the
# configuration folder: a prefix path compiled into the programs would tie
# them to one output folder (and keep them out of the package cache);
# fs/ext4 points MKE2FS_CONFIG at no file, so mke2fs uses the profile
# built into it, the same on every machine.
HOST_E2FSPROGS_CONF_OPTS = --sysconfdir=/etc --enable-libuuid --enable-libblkid \
	--disable-fuse2fs --disable-e2initrd-helper --disable-testio-debug --disable-tdb \
	--disable-imager --disable-defrag --with-crond-dir=no --with-systemd-unit-dir=no \
	--with-udev-rules-dir=no
