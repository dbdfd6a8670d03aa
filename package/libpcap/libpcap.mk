# libpcap: packet capture library (tcpdump's), autotools; installs
# libpcap.pc for the packages that link it. Its grammar is built with the
# host's flex and bison (install-host-deps.sh).
LIBPCAP_VERSION = 1.10.3
LIBPCAP_SOURCE = libpcap-$(LIBPCAP_VERSION).tar.gz
LIBPCAP_SITE = https://www.tcpdump.org/release
LIBPCAP_LICENSE = BSD-3-Clause
LIBPCAP_LICENSE_FILES = LICENSE
LIBPCAP_SUPPLIER = The Tcpdump Group
LIBPCAP_CPE_ID_VENDOR = tcpdump
# both are in rpcapd and the remote capture code (pcap-rpcap.c), not built here
LIBPCAP_IGNORE_CVES += CVE-2023-7256 CVE-2024-8006
LIBPCAP_IGNORE_CVES_REASON_CVE-2023-7256 = remote packet capture (--enable-remote) is not built
LIBPCAP_IGNORE_CVES_REASON_CVE-2024-8006 = remote packet capture (--enable-remote) is not built
LIBPCAP_CATEGORY = Libraries
LIBPCAP_INFRA = autotools
LIBPCAP_DEPENDENCIES = musl linux-headers
LIBPCAP_INSTALL_STAGING = YES
# Linux's packet sockets only: no D-Bus, Bluetooth, RDMA, netmap, DAG,
# DPDK or libnl (the kernel's own headers are enough).
LIBPCAP_CONF_OPTS = --with-pcap=linux --disable-dbus --disable-bluetooth --disable-rdma \
	--disable-netmap --disable-usb --without-dag --without-dpdk --without-libnl \
	--without-septel --without-snf --without-turbocap --disable-yydebug
LIBPCAP_CONF_ENV = ac_cv_header_linux_wireless_h=yes
# capturing needs the kernel's packet sockets (AF_PACKET)
LIBPCAP_LINUX_CONFIG_OPTS = CONFIG_PACKET=y
