# mtools: FAT filesystem access without mounting; host-mtools copies files
# into the FAT (vfat) boot partition image (mmd, mcopy) and lists it (mdir).
# A host package only: the target needs none of it yet.
MTOOLS_VERSION = 4.0.32
# Debian's orig is its own git archive of 4.0.32 (the "4.0.33-1+really"
# prefix marks a revert to 4.0.32), not GNU's tarball, so it keeps its
# Debian name and comes from Debian's archive (mtools.hash).
MTOOLS_SOURCE = mtools_4.0.33-1+really$(MTOOLS_VERSION).orig.tar.bz2
MTOOLS_SITE = https://deb.debian.org/debian/pool/main/m/mtools
MTOOLS_LICENSE = GPL-3.0-or-later
MTOOLS_LICENSE_FILES = COPYING
MTOOLS_SUPPLIER = Alain Knaff (GNU mtools)
MTOOLS_CPE_ID_VENDOR = gnu

HOST_MTOOLS_INFRA = autotools
# No X and no floppyd (a daemon for remote floppy drives). /etc as the
# configuration folder: the path is compiled into the programs, and an
# output folder's would keep them out of the package cache.
HOST_MTOOLS_CONF_OPTS = --sysconfdir=/etc --without-x --disable-floppyd
# configure links libbsd and GNU libiconv whenever the build machine has
# them; glibc has all it needs (iconv included), so the programs never
# depend on those optional libraries.
HOST_MTOOLS_CONF_ENV = ac_cv_lib_bsd_main=no ac_cv_lib_iconv_iconv=no

# The programs only (mtools and its links: mcopy, mmd, mdir, ...): not the
# info manual (rebuilt with makeinfo when its .texi looks newer) nor the
# shell scripts (lz, uz, tgz, ...) that would land in host/bin.
define HOST_MTOOLS_INSTALL_CMDS
	$(MAKE) -C $(@D)/src DESTDIR=$(PKG_HOST_DESTDIR) install-links
endef
