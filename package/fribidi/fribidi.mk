# fribidi: the Unicode bidirectional algorithm, libfribidi and the fribidi
# command; built with Meson (upstream also ships autotools). Its tables are
# made at build time by generators built for the build machine (Meson's
# native compiler).
FRIBIDI_VERSION = 1.0.8
FRIBIDI_SOURCE = fribidi-$(FRIBIDI_VERSION).tar.bz2
FRIBIDI_SITE = https://github.com/fribidi/fribidi/releases/download/v$(FRIBIDI_VERSION)
FRIBIDI_LICENSE = LGPL-2.1-or-later
FRIBIDI_LICENSE_FILES = COPYING
FRIBIDI_SUPPLIER = GNU FriBidi project
FRIBIDI_CPE_ID_VENDOR = gnu
FRIBIDI_PURL = pkg:github/fribidi/fribidi@v$(FRIBIDI_VERSION)
FRIBIDI_CATEGORY = Libraries
FRIBIDI_INFRA = meson
FRIBIDI_DEPENDENCIES = musl
FRIBIDI_INSTALL_STAGING = YES
# the documentation needs c2man
FRIBIDI_CONF_OPTS = -Ddocs=false
