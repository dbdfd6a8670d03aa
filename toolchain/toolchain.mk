# The toolchain: the host's gcc through our wrapper, aimed at the staging
# sysroot (musl + kernel headers). $(HOST_DIR)/<tuple>/sysroot is the staging
# folder; $(O)/staging points to it, as in Buildroot.
TR_TUPLE = $(call qstrip,$(TR_ARCH))-tinyroot-linux-musl
TR_KERNEL_ARCH = $(if $(TR_ARCH_I386),i386,x86_64)
TR_ARCH_CFLAGS = $(if $(TR_ARCH_I386),-m32)
TARGET_CC = $(HOST_DIR)/bin/$(TR_TUPLE)-gcc
WRAPPER = $(HOST_DIR)/bin/tinyroot-wrapper

$(WRAPPER): toolchain/wrapper/wrapper.c
	mkdir -p $(@D)
	$(HOSTCC) -std=c11 -O2 -Wall -Wextra -Werror -Wno-format-truncation -D_GNU_SOURCE -o $@.tmp $<
	mv $@.tmp $@

$(TARGET_CC): $(WRAPPER)
	ln -sf tinyroot-wrapper $@
	ln -sf tinyroot-wrapper $(HOST_DIR)/bin/$(TR_TUPLE)-cc

$(STAGING_DIR):
	mkdir -p $(HOST_DIR)/$(TR_TUPLE)/sysroot
	ln -sfn host/$(TR_TUPLE)/sysroot $@

toolchain: $(TARGET_CC) | $(STAGING_DIR)
.PHONY: toolchain
