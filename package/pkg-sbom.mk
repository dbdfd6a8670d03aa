# Software bill of materials and vulnerability check, from the recipes' data:
#   sbom        images/sbom.spdx.json (SPDX 2.3), images/sbom.cdx.json
#               (CycloneDX 1.6): support/scripts/sbom
#   cve-check   images/cve-report.txt, images/cve-vex.cdx.json (CycloneDX
#               VEX), images/vex.csaf.json (CSAF 2.0 VEX) from an OSV feed
#               (TR_CVE_FEED) and the kernel CNA's records, offline:
#               support/scripts/cve-check
# Both need the build: the image files are in the SBOM with their digests,
# the license files are read from the extracted sources.
SBOM_SPDX = $(BINARIES_DIR)/sbom.spdx.json
SBOM_CDX = $(BINARIES_DIR)/sbom.cdx.json
# SPDX 3.0.1 JSON-LD: what BSI TR-03183-2 v2.1 accepts of SPDX
SBOM_SPDX3 = $(BINARIES_DIR)/sbom.spdx3.json
# The tools that built the image, named in the SBOM with the Debian package
# each comes from: the target compiler and linker, the host compiler, make.
SBOM_BUILD_TOOLS = $(TOOLCHAIN_PREFIX)gcc $(TOOLCHAIN_PREFIX)ld $(HOSTCC) make

# The root filesystem as the firmware holds it, read back for the files it
# lists and for which package is in the image: the cpio image, or the one
# linked into the kernel.
SBOM_ROOTFS = $(if $(TR_TARGET_ROOTFS_CPIO),$(ROOTFS_CPIO),$(if \
	$(TR_TARGET_ROOTFS_INITRAMFS),$(LINUX_DIR)/initramfs.cpio))

# Every package installed: its install step's file lists say what is in the image.
# Its license files are read from its patched source, which a package
# unpacked from the package cache does not have yet: extracted here, by a
# make of its own once the build has ended (two makes must not extract one
# package at once).
sbom: world $(PKG_INFO) $(foreach p,$(PACKAGES),$(BUILD_DIR)/$(p)/.stamp_installed)
	+$(MAKE) --no-print-directory -C $(TOPDIR) O=$(O) $(ENV_OVERRIDES) \
		$(foreach p,$(PACKAGES),$(BUILD_DIR)/$(p)/.stamp_patched)
	support/scripts/sbom --info $(PKG_INFO) --images $(BINARIES_DIR) --name $(BOARD) \
		--arch $(call qstrip,$(TR_ARCH)) --kernel-image $(KERNEL_IMAGE) $(foreach t,$(sort $(SBOM_BUILD_TOOLS)),--tool $(t)) \
		$(if $(SBOM_ROOTFS),--rootfs $(SBOM_ROOTFS)) $(if $(TR_SBOM_FILES),,--no-files) \
		--sdk $(notdir $(SDK_TARBALL)) --organization '$(subst ','\'',$(call qstrip,$(TR_SBOM_SUPPLIER)))' \
		--top $(CURDIR) --spdx $(SBOM_SPDX) --cyclonedx $(SBOM_CDX) --spdx3 $(SBOM_SPDX3)

# The feed: the command line's or the environment's TR_CVE_FEED, else the
# configuration's. The kernel CNA's records: TR_CVE_KERNEL_RECORDS, else the
# feed's cvelistV5/ subfolder when there is one; with them, the list of files
# the kernel compiled (package/linux/linux.mk) triages the kernel's CVEs.
CVE_FEED = $(or $(ENV_TR_CVE_FEED),$(call qstrip,$(TR_CVE_FEED)))
CVE_KERNEL_RECORDS = $(or $(call qstrip,$(TR_CVE_KERNEL_RECORDS)),$(wildcard $(CVE_FEED)/cvelistV5))
CVE_CHECK_OPTS = --fail-on $(or $(call qstrip,$(TR_CVE_CHECK_FAIL_ON)),none) \
	$(if $(TR_CVE_CHECK_UNKNOWN_PASSES),--unknown-passes) \
	--csaf-publisher '$(or $(call qstrip,$(TR_CVE_CSAF_PUBLISHER)),tinyroot)' \
	--csaf-namespace '$(or $(call qstrip,$(TR_CVE_CSAF_NAMESPACE)),https://tinyroot.invalid)' \
	$(if $(CVE_KERNEL_RECORDS),--cvelist '$(CVE_KERNEL_RECORDS)' \
		$(if $(filter linux,$(PACKAGES)),--kernel-compiled $(LINUX_COMPILED_SOURCES)))

cve-check: sbom
	@test -n '$(CVE_FEED)' || { echo 'cve-check: no vulnerability feed: set TR_CVE_FEED' \
		'(Build options, or the environment) to a folder of OSV JSON records' >&2; exit 1; }
	support/scripts/cve-check $(SBOM_CDX) '$(CVE_FEED)' --report $(BINARIES_DIR)/cve-report.txt \
		--vex $(BINARIES_DIR)/cve-vex.cdx.json --csaf $(BINARIES_DIR)/vex.csaf.json $(CVE_CHECK_OPTS)

.PHONY: sbom cve-check
