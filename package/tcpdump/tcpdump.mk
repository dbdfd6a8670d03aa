# tcpdump: prints and saves network traffic; autotools, linked with
# libpcap, which its configure finds through pkg-config (libpcap.pc in
# the staging sysroot).
TCPDUMP_VERSION = 4.99.3
TCPDUMP_SOURCE = tcpdump-$(TCPDUMP_VERSION).tar.gz
TCPDUMP_SITE = https://www.tcpdump.org/release
TCPDUMP_LICENSE = BSD-3-Clause
TCPDUMP_LICENSE_FILES = LICENSE
TCPDUMP_SUPPLIER = The Tcpdump Group
TCPDUMP_CPE_ID_VENDOR = tcpdump
# in the SMB printer (print-smb.c), left out by --disable-smb below
TCPDUMP_IGNORE_CVES += CVE-2023-1801
TCPDUMP_IGNORE_CVES_REASON_CVE-2023-1801 = the SMB printer is not built (--disable-smb)
TCPDUMP_CATEGORY = Networking applications
TCPDUMP_INFRA = autotools
TCPDUMP_DEPENDENCIES = libpcap
# the libpcap of the sysroot, never a copy beside the source; no OpenSSL
# (no ESP decryption) and no SMB printer, as upstream's defaults for a
# small system
TCPDUMP_CONF_OPTS = --disable-local-libpcap --without-crypto --disable-smb
TCPDUMP_CONF_ENV = td_cv_buggygetaddrinfo=no

# make install also leaves a copy named after the version
define TCPDUMP_INSTALL_TARGET_CMDS
	$(AUTOTOOLS_INSTALL_TARGET_CMDS)
	rm -f $(PKG_TARGET_DIR)/usr/bin/tcpdump.$(TCPDUMP_VERSION)
endef
