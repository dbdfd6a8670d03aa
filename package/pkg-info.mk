# Insight targets: what the configuration builds, from the recipes' data.
#   show-info          JSON of every enabled package
#   legal-info         $(O)/legal-info: manifest, license texts, sources
#   graph-depends      $(O)/graphs/graph-depends.{dot,svg,png}
#   graph-build        $(O)/graphs/graph-build.{svg,png,txt} from build-time.log
#   <pkg>-show-depends, <pkg>-show-rdepends
# Make hands the data to support/scripts/pkg-info as one line per fact:
# <pkg> TAB <field> TAB <value>; the script does the formatting.
PKG_INFO = $(BUILD_DIR)/pkg-info.tsv
pkg-kind = $(if $(call pkg-is-host,$(1)),host,$(if $(filter linux,$(1)),kernel,$(if $(filter musl linux-headers,$(1)),toolchain,target)))
# The CPE 2.3 name of a package (Buildroot's variables): "none" when the
# recipe says it has none (_CPE_ID_VALID = NO), empty when it says nothing.
# The part is "a" (application) unless the recipe says otherwise (_CPE_ID_PART:
# "o" for the kernel, as NVD names it).
pkg-cpe = $(if $(filter NO,$($(call UC,$(1))_CPE_ID_VALID)),none,$(if $($(call UC,$(1))_CPE_ID_VENDOR),$(subst 	$(space),,cpe:2.3:$(or $($(call UC,$(1))_CPE_ID_PART),a):$($(call UC,$(1))_CPE_ID_VENDOR):$(or $($(call UC,$(1))_CPE_ID_PRODUCT),$(call 	pkg-base,$(1))):$(or $($(call UC,$(1))_CPE_ID_VERSION),$(call pkg-sbom-version,$(1))):*:*:*:*:*:*:*)))
# The version an SBOM states: _VERSION, unless that is not one (a custom
# kernel tarball's "custom"), when the recipe gives _SBOM_VERSION.
pkg-sbom-version = $(or $($(call UC,$(1))_SBOM_VERSION),$($(call UC,$(1))_VERSION))
# `install` is what the recipe declares (show-info); the SBOM reads what the
# install step really installed (target_files, staging_files: lists written
# by package/pkg-generic.mk). A vulnerability the recipe ignores and no patch
# fixes ("CVE:" lines) states its reason: <PKG>_IGNORE_CVES_REASON_<id>.
define pkg-info-lines
$(1)	version	$($(call UC,$(1))_VERSION)
$(1)	kind	$(call pkg-kind,$(1))
$(1)	license	$($(call UC,$(1))_LICENSE)
$(1)	license_files	$($(call UC,$(1))_LICENSE_FILES)
$(1)	source	$($(call UC,$(1))_SOURCE)
$(1)	url	$(if $(call pkg-local-dir,$(1)),file://$(abspath $(call pkg-local-dir,$(1))),$(call url-without-userinfo,$(call pkg-url,$(1))))
$(1)	dl_dir	$(DL_DIR)/$(call pkg-dl-subdir,$(1))
$(1)	src_dir	$(BUILD_DIR)/$(1)/src
$(1)	hash_files	$(abspath $(call pkg-hash-files,$(1)) $(wildcard $(call pkg-dir,$(1))/$(1).hash))
$(1)	dependencies	$($(call UC,$(1))_DEPENDENCIES)
$(1)	sbom_version	$(call pkg-sbom-version,$(1))
$(1)	category	$($(call UC,$(1))_CATEGORY)
$(1)	supplier	$($(call UC,$(1))_SUPPLIER)
$(1)	homepage	$($(call UC,$(1))_HOMEPAGE)
$(1)	cpe	$(call pkg-cpe,$(1))
$(1)	purl	$($(call UC,$(1))_PURL)
$(1)	patches	$(abspath $(call pkg-patches,$(1)))
$(1)	ignore_cves	$($(call UC,$(1))_IGNORE_CVES)
$(1)	source_package	$(call pkg-source-package,$(1))
$(1)	install	$(if $($(call UC,$(1))_INSTALL_STAGING_CMDS),staging) $(if $($(call UC,$(1))_INSTALL_TARGET_CMDS),target) $(if $($(call UC,$(1))_INSTALL_IMAGES_CMDS),images)
$(1)	license_concluded	$($(call UC,$(1))_LICENSE_CONCLUDED)
$(1)	target_files	$(BUILD_DIR)/$(1)/target-files.txt
$(1)	staging_files	$(BUILD_DIR)/$(1)/staging-files.txt
$(1)	kconfig	$(if $($(call UC,$(1))_KCONFIG_DOTCONFIG),$(BUILD_DIR)/$(1)/meta/kconfig.config)
$(foreach c,$($(call UC,$(1))_IGNORE_CVES),$(1)	ignore_cve_reason:$(c)	$($(call UC,$(1))_IGNORE_CVES_REASON_$(c))$(newline))
endef
PKG_INFO_TEXT = $(foreach p,$(PACKAGES),$(call pkg-info-lines,$(p))$(newline))

$(PKG_INFO): private TR_STEP_LOG =
$(PKG_INFO): FORCE | $(BUILD_DIR)/system/logs/.
	$(call write-text,$@,$(PKG_INFO_TEXT))

PKG_INFO_RUN = support/scripts/pkg-info --info $(PKG_INFO)

show-info: $(PKG_INFO)
	$(PKG_INFO_RUN) show-info

# Needs the sources extracted for the license texts.
legal-info: $(PKG_INFO) $(foreach p,$(PACKAGES),$(BUILD_DIR)/$(p)/.stamp_patched)
	$(PKG_INFO_RUN) legal-info --out $(O)/legal-info
	@echo "legal-info written to $(O)/legal-info"

graph-depends: $(PKG_INFO)
	$(PKG_INFO_RUN) graph-depends --out $(O)/graphs
	@echo "written $(O)/graphs/graph-depends.{dot,svg,png}"

graph-build: $(PKG_INFO)
	$(PKG_INFO_RUN) graph-build --log $(BUILD_DIR)/build-time.log --out $(O)/graphs
	@echo "written $(O)/graphs/graph-build.{svg,png,txt}"

%-show-depends: $(PKG_INFO)
	$(PKG_INFO_RUN) show-depends $*

%-show-rdepends: $(PKG_INFO)
	$(PKG_INFO_RUN) show-rdepends $*

.PHONY: show-info legal-info graph-depends graph-build
