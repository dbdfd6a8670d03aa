# dropbear: a small SSH server (and scp, dropbearkey, the dbclient client),
# one multi-call binary (static unless the libraries choice is shared); autotools.
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
# default in OpenSSH's client anyway).
DROPBEAR_CONF_OPTS = --disable-zlib --enable-bundled-libtom \
	--disable-wtmp --disable-lastlog

# configure's hardening stays on: -fstack-protector-strong, and the Spectre
# v2 thunks on x86, always; PIE and -z relro -z now when the program is
# linked dynamically. Its --enable-static means a static program (not
# static libraries, as the infrastructure's options mean it, which come
# first on the line): it follows the toolchain's link mode, so that PIE is
# asked for exactly when the wrapper links dynamically.
DROPBEAR_CONF_OPTS += $(if $(TOOLCHAIN_SHARED),--disable-static,--enable-static)
# configure asks for a PIE with -Wl,-pie, which the compiler wrapper does not
# see (it reads -pie): without it, the wrapper adds -no-pie and the non-PIE
# start files. -pie beside it picks Scrt1.o and crtbeginS.o.
DROPBEAR_CONF_ENV = $(if $(TOOLCHAIN_SHARED),LDFLAGS="-pie")
DROPBEAR_PROGRAMS = dropbear dropbearkey scp $(if $(TR_PACKAGE_DROPBEAR_CLIENT),dbclient)
DROPBEAR_MAKE_OPTS = MULTI=1 PROGRAMS="$(DROPBEAR_PROGRAMS)"

# localoptions.h overrides default_options.h: a session's PATH that has
# BusyBox's sbin folders too.
define DROPBEAR_CONFIGURE_CMDS
	echo '#define DEFAULT_PATH "/usr/sbin:/usr/bin:/sbin:/bin"' > $(@D)/src/localoptions.h
	$(AUTOTOOLS_CONFIGURE_CMDS)
endef

# The listening address goes into the init script (a sed replacement and a
# shell string) as its default: one word of the characters of
# [address:]port (IPv6 in brackets, %scope), else make stops.
DROPBEAR_LISTEN = $(call qstrip,$(TR_PACKAGE_DROPBEAR_LISTEN))
DROPBEAR_LISTEN_CHARS = 0 1 2 3 4 5 6 7 8 9 a b c d e f g h i j k l m n o p q r s t u v w x y z \
	A B C D E F G H I J K L M N O P Q R S T U V W X Y Z . : % [ ] -
dropbear-drop-chars = $(if $(2),$(call dropbear-drop-chars,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,99,$(2))),$(1))
ifneq ($(words $(DROPBEAR_LISTEN))$(strip $(call dropbear-drop-chars,$(DROPBEAR_LISTEN),$(DROPBEAR_LISTEN_CHARS))),$(if $(DROPBEAR_LISTEN),1,0))
$(error TR_PACKAGE_DROPBEAR_LISTEN="$(DROPBEAR_LISTEN)": not an [address:]port (e.g. 22, 0.0.0.0:22, [::1]:2222))
endif

# make install links each program to /usr/bin/dropbearmulti
define DROPBEAR_INSTALL_TARGET_CMDS
	$(AUTOTOOLS_INSTALL_TARGET_CMDS)
	$(if $(TR_PACKAGE_DROPBEAR_CLIENT),ln -sf dbclient $(PKG_TARGET_DIR)/usr/bin/ssh)
	install -d $(PKG_TARGET_DIR)/etc/init.d
	# the host keys' folder, in the image so that a read-only root can
	# have /data's mounted over it (S50dropbear)
	install -d -m 700 $(PKG_TARGET_DIR)/etc/dropbear
	sed 's|@DROPBEAR_LISTEN@|$(DROPBEAR_LISTEN)|' \
		$(DROPBEAR_PKGDIR)/S50dropbear > $(PKG_TARGET_DIR)/etc/init.d/S50dropbear
	chmod 755 $(PKG_TARGET_DIR)/etc/init.d/S50dropbear
endef
