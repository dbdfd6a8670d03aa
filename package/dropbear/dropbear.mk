# dropbear: a small SSH server (and scp, dropbearkey, the dbclient client),
# one static multi-call binary; autotools.
DROPBEAR_VERSION = 2022.83
DROPBEAR_SOURCE = dropbear-$(DROPBEAR_VERSION).tar.bz2
DROPBEAR_SITE = https://matt.ucc.asn.au/dropbear/releases
DROPBEAR_LICENSE = MIT AND BSD-2-Clause AND Unlicense AND WTFPL
DROPBEAR_LICENSE_FILES = LICENSE libtomcrypt/LICENSE libtommath/LICENSE
DROPBEAR_SUPPLIER = Dropbear SSH project (Matt Johnston)
DROPBEAR_CPE_ID_VENDOR = dropbear_ssh_project
DROPBEAR_CPE_ID_PRODUCT = dropbear_ssh
DROPBEAR_CATEGORY = Networking applications
DROPBEAR_INFRA = autotools
DROPBEAR_DEPENDENCIES = musl linux-headers

# The bundled libtomcrypt and libtommath, no zlib (compression is off by
# default in OpenSSH's client anyway). Its configure would add -pie and
# stack-protector flags of its own: the images link statically (the
# toolchain's choice), so none of that.
DROPBEAR_CONF_OPTS = --disable-zlib --enable-bundled-libtom --disable-harden \
	--disable-wtmp --disable-lastlog
DROPBEAR_PROGRAMS = dropbear dropbearkey scp $(if $(TR_PACKAGE_DROPBEAR_CLIENT),dbclient)
DROPBEAR_MAKE_OPTS = MULTI=1 PROGRAMS="$(DROPBEAR_PROGRAMS)"

# localoptions.h overrides default_options.h: a session's PATH that has
# BusyBox's sbin folders too.
define DROPBEAR_CONFIGURE_CMDS
	echo '#define DEFAULT_PATH "/usr/sbin:/usr/bin:/sbin:/bin"' > $(@D)/src/localoptions.h
	$(AUTOTOOLS_CONFIGURE_CMDS)
endef

# make install links each program to /usr/bin/dropbearmulti
define DROPBEAR_INSTALL_TARGET_CMDS
	$(AUTOTOOLS_INSTALL_TARGET_CMDS)
	$(if $(TR_PACKAGE_DROPBEAR_CLIENT),ln -sf dbclient $(PKG_TARGET_DIR)/usr/bin/ssh)
	install -D -m 755 $(DROPBEAR_PKGDIR)/S50dropbear $(PKG_TARGET_DIR)/etc/init.d/S50dropbear
endef
