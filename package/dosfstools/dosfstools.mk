# dosfstools: mkfs.fat and fsck.fat; host-dosfstools writes the empty FAT
# (vfat) boot partition image that host-mtools then fills (mcopy).
# A host package only: the target needs none of it yet.
DOSFSTOOLS_VERSION = 4.2
DOSFSTOOLS_SOURCE = dosfstools-$(DOSFSTOOLS_VERSION).tar.gz
DOSFSTOOLS_SITE = https://github.com/dosfstools/dosfstools/releases/download/v$(DOSFSTOOLS_VERSION)
DOSFSTOOLS_LICENSE = GPL-3.0-or-later
DOSFSTOOLS_LICENSE_FILES = COPYING
DOSFSTOOLS_SUPPLIER = Andreas Bombe (dosfstools project)
DOSFSTOOLS_CPE_ID_VENDOR = dosfstools_project

HOST_DOSFSTOOLS_INFRA = autotools
# The legacy names too: mkfs.vfat is the one other tools and scripts call.
# Labels are converted to code page 850 by dosfstools' own tables rather
# than by iconv, whose result would depend on the build machine's gconv
# modules and locale.
HOST_DOSFSTOOLS_CONF_OPTS = --enable-compat-symlinks --without-iconv
