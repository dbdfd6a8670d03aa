# pugixml: an XML parser library written in C++, built with CMake; a
# package of the C++ toolchain (it links the C++ runtime, package/libcxx).
PUGIXML_VERSION = 1.13
# Debian's orig is the GitHub archive of the tag, not upstream's release
# tarball (which leaves tests/ out): it keeps its Debian name and comes from
# Debian's archive (pugixml.hash)
PUGIXML_SOURCE = pugixml_$(PUGIXML_VERSION).orig.tar.gz
PUGIXML_SITE = https://deb.debian.org/debian/pool/main/p/pugixml
PUGIXML_LICENSE = MIT
PUGIXML_LICENSE_FILES = LICENSE.md
PUGIXML_SUPPLIER = Arseny Kapoulkine (pugixml.org)
PUGIXML_CPE_ID_VENDOR = pugixml_project
PUGIXML_PURL = pkg:github/zeux/pugixml@v$(PUGIXML_VERSION)
PUGIXML_CATEGORY = Libraries
PUGIXML_INFRA = cmake
PUGIXML_DEPENDENCIES = libcxx
PUGIXML_INSTALL_STAGING = YES
