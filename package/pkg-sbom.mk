# Software bill of materials and vulnerability check, from the recipes' data:
#   sbom        images/sbom.spdx.json (SPDX 2.3), images/sbom.cdx.json
#               (CycloneDX 1.6): support/scripts/sbom
#   cve-check   images/cve-report.txt, images/cve-vex.cdx.json from an OSV
#               feed (TR_CVE_FEED), offline: support/scripts/cve-check
# Both need the build: the image files are in the SBOM with their digests,
# the license files are read from the extracted sources.
SBOM_SPDX = $(BINARIES_DIR)/sbom.spdx.json
SBOM_CDX = $(BINARIES_DIR)/sbom.cdx.json
# The tools that built the image, named in the SBOM with the Debian package
# each comes from: the target compiler and linker, the host compiler, make.
SBOM_BUILD_TOOLS = $(TOOLCHAIN_PREFIX)gcc $(TOOLCHAIN_PREFIX)ld $(HOSTCC) make

sbom: world $(PKG_INFO) $(foreach p,$(PACKAGES),$(BUILD_DIR)/$(p)/.stamp_patched)
	support/scripts/sbom --info $(PKG_INFO) --images $(BINARIES_DIR) --name $(BOARD) \
		--arch $(call qstrip,$(TR_ARCH)) --kernel-image $(KERNEL_IMAGE) $(foreach t,$(sort $(SBOM_BUILD_TOOLS)),--tool $(t)) \
		--top $(CURDIR) --spdx $(SBOM_SPDX) --cyclonedx $(SBOM_CDX)

# The feed: the command line's or the environment's TR_CVE_FEED, else the
# configuration's.
CVE_FEED = $(or $(ENV_TR_CVE_FEED),$(call qstrip,$(TR_CVE_FEED)))

cve-check: sbom
	@test -n '$(CVE_FEED)' || { echo 'cve-check: no vulnerability feed: set TR_CVE_FEED' \
		'(Build options, or the environment) to a folder of OSV JSON records' >&2; exit 1; }
	support/scripts/cve-check $(SBOM_CDX) '$(CVE_FEED)' --report $(BINARIES_DIR)/cve-report.txt \
		--vex $(BINARIES_DIR)/cve-vex.cdx.json --fail-on $(or $(call qstrip,$(TR_CVE_CHECK_FAIL_ON)),none)

.PHONY: sbom cve-check
