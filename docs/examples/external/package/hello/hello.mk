# hello: a C program from the example external tree, built with the
# toolchain wrapper against the staging sysroot.
HELLO_VERSION = 1.0
HELLO_SITE = $(TR_EXTERNAL_EXAMPLE_PATH)/package/hello/src
HELLO_SITE_METHOD = local
HELLO_LICENSE = MIT
HELLO_SUPPLIER = Example Corp
# our own program: no CPE names it
HELLO_CPE_ID_VALID = NO
HELLO_CATEGORY = Miscellaneous
HELLO_DEPENDENCIES = musl

define HELLO_BUILD_CMDS
	$(TARGET_CC) -Os -Wall -o $(@D)/src/hello $(@D)/src/hello.c
endef

define HELLO_INSTALL_TARGET_CMDS
	install -D -m 755 $(@D)/src/hello $(PKG_TARGET_DIR)/usr/bin/hello
endef
