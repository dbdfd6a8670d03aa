# The generic package machinery, written once. A package recipe
# (package/<pkg>/<pkg>.mk) sets data (<PKG>_VERSION, _SOURCE, _SITE,
# _DEPENDENCIES, ...) and the commands that are its own
# (<PKG>_CONFIGURE_CMDS, _BUILD_CMDS, _INSTALL_STAGING_CMDS,
# _INSTALL_TARGET_CMDS, _INSTALL_IMAGES_CMDS). Everything else is here.
#
# Steps, each ending in a stamp file in $(BUILD_DIR)/<pkg>/ written only after
# the step succeeded:
#   .stamp_downloaded  tr-helper download into $(DL_DIR)/<subdir>/ (verified)
#   .stamp_extracted   tr-helper extract into <pkg>/src
#   .stamp_patched     package and global patches, in order
#   .stamp_configured  after the dependencies' staging installs
#   .stamp_built
#   .stamp_installed   staging + target + images installs
# A step re-runs when its inputs change: the source's identity
# (<pkg>/.source-id: version, file, URL) and hash files for the download, the
# patches (<pkg>/.patch-id and their contents) for the extraction, the recipe
# and config files and the package's slice of .config (<pkg>/.config-slice)
# for the configure step, and the stamps it follows.

# Uppercase with '-' as '_': busybox -> BUSYBOX, linux-headers -> LINUX_HEADERS
UC = $(subst -,_,$(subst a,A,$(subst b,B,$(subst c,C,$(subst d,D,$(subst e,E,$(subst f,F,$(subst g,G,$(subst h,H,$(subst i,I,$(subst j,J,$(subst k,K,$(subst l,L,$(subst m,M,$(subst n,N,$(subst o,O,$(subst p,P,$(subst q,Q,$(subst r,R,$(subst s,S,$(subst t,T,$(subst u,U,$(subst v,V,$(subst w,W,$(subst x,X,$(subst y,Y,$(subst z,Z,$(1))))))))))))))))))))))))))))

# Per-step directories, valid inside a step's recipe ($(@D) = build/<pkg>)
PKG = $(call UC,$(notdir $(@D)))
# Non-empty inside a step of a package written in C++: one that names the
# C++ runtime among its dependencies (package/libcxx; check-package asks
# such a package to depend on the toolchain's C++ support too). The
# infrastructures give it the C++ compiler (autotools' CXX, CMake's C++
# flags); a package in C is given none.
pkg-cxx = $(filter libcxx,$($(PKG)_DEPENDENCIES))
PKG_STAGING_DIR = $(@D)/staging
PKG_TARGET_DIR = $(@D)/target

# Defaults a recipe may override. <PKG>_PKGDIR is the recipe's folder (set
# by package/pkg-register.mk: package/<pkg> or an external tree's). A host
# package, host-<pkg>, lives in <pkg>'s folder and shares its download.
pkg-base = $(patsubst host-%,%,$(1))
pkg-is-host = $(filter host-%,$(1))
pkg-dir = $(or $($(call UC,$(1))_PKGDIR),$($(call UC,$(call pkg-base,$(1)))_PKGDIR),package/$(call pkg-base,$(1)))
pkg-dl-subdir = $(or $($(call UC,$(1))_DL_SUBDIR),$(call pkg-base,$(1)))
pkg-hash-files = $(or $($(call UC,$(1))_HASH_FILES),$(call pkg-dir,$(1))/$(call pkg-base,$(1)).hash)
pkg-url = $(or $($(call UC,$(1))_URL),$($(call UC,$(1))_SITE)/$($(call UC,$(1))_SOURCE))
# A URL without the user:password@ of its authority (RFC 3986 3.2: from
# "://" to the next "/"), for what is written down (.source-id, the SBOM):
# a custom tarball's URL may carry credentials.
url-authority = $(firstword $(subst /, ,$(word 2,$(subst ://, ,$(1)))))
url-without-userinfo = $(if $(and $(findstring ://,$(1)),$(findstring @,$(call \
	url-authority,$(1)))),$(firstword $(subst ://, ,$(1)))://$(lastword $(subst @, ,$(call \
	url-authority,$(1))))$(patsubst $(call url-authority,$(1))%,%,$(word 2,$(subst ://, ,$(1)))),$(1))
pkg-kconfig-prefix = $(or $($(call UC,$(1))_KCONFIG_PREFIX),TR_PACKAGE_$(call UC,$(1)))
pkg-patches = $(if $(call pkg-source-package,$(1)),,$(call pkg-own-patches,$(1)))
pkg-own-patches = $(sort $(wildcard $(call pkg-dir,$(1))/*.patch)) \
	$(if $(GLOBAL_PATCH_DIR),$(sort $(wildcard $(GLOBAL_PATCH_DIR)/$(1)/*.patch)) \
		$(sort $(wildcard $(GLOBAL_PATCH_DIR)/$(1)/$($(call UC,$(1))_VERSION)/*.patch)))

# Download sites in order: primary, upstream (unless primary only), backup.
# They reach the helper through its environment (the download step's
# TR_DL_* below), not its command line: step-shell writes each command line
# to the step's log (and V=1 prints it), and a site may carry credentials
# (http://user:token@host/). The helper prints and records every URL
# without them (support/helper/download.c).
pkg-sites = $(if $(call qstrip,$(TR_PRIMARY_SITE)),--site-env TR_DL_PRIMARY_SITE) \
	$(if $(TR_PRIMARY_SITE_ONLY),,--url-env TR_DL_URL \
		$(if $(call qstrip,$(TR_BACKUP_SITE)),--site-env TR_DL_BACKUP_SITE))

# Sources from a local folder instead of a download: <PKG>_SITE_METHOD = local
# (the folder is <PKG>_SITE), or <PKG>_OVERRIDE_SRCDIR from local.mk (a
# working copy). Copied with rsync; a change to any file there re-runs the
# package from that copy on.
pkg-local-dir = $(or $($(call UC,$(1))_OVERRIDE_SRCDIR),$(if \
	$(filter local,$($(call UC,$(1))_SITE_METHOD)),$($(call UC,$(1))_SITE)))

# A package built from another package's source tree sets
# <PKG>_SOURCE_PACKAGE (linux-headers: linux, so that a build extracts the
# kernel once). Its src is a link to that tree; its download and extraction
# are the other package's, and it follows that package's patched stamp, not
# its configuration: the other package's configure and build steps change
# nothing in the tree (Kbuild builds in O=).
pkg-source-package = $($(call UC,$(1))_SOURCE_PACKAGE)

# The download limits of the Build options menu (support/helper/download.c)
DL_LIMITS = --retries $(or $(TR_DL_RETRIES),3) --max-size $(or $(TR_DL_MAX_SIZE_MB),2048)M \
	--min-rate $(or $(TR_DL_MIN_RATE),1024)

pkg-no-hash = $(if $(filter $($(call UC,$(1))_SOURCE),$(TR_DOWNLOAD_NO_HASH_FILES)),--no-hash)

Q = $(if $(V),,@)

# replace-if-changed FILE: move FILE.tmp over FILE only when the bytes differ,
# so that what depends on FILE is not rebuilt for an identical rewrite
replace-if-changed = if cmp -s $(1).tmp $(1); then rm -f $(1).tmp; else mv $(1).tmp $(1); fi
# text-eq A,B: non-empty when the two texts are equal (each holds the other)
text-eq = $(if $(1)$(2),$(and $(findstring $(1),$(2)),$(findstring $(2),$(1))),y)
# write-text FILE,TEXT: FILE holds TEXT (and a final newline) afterwards,
# rewritten (through FILE.<make>.new, renamed) only when it is missing or
# differs. make compares the two itself first, so that a make that changes
# nothing runs no process for it; GNU make 4.3's $(file <) does not always
# drop the file's final newline, and then the texts seem to differ: cmp
# decides. The temporary file is this make's own (TR_MAKE_ID: the package
# a package's build make runs for, package/pkg-cache.mk): the makes of two
# packages' builds may bring one file (musl's .key-cmds) up to date at once.
write-text-tmp = $(1).$(or $(TR_MAKE_ID),top).new
write-text = $(if $(and $(wildcard $(1)),$(or $(call text-eq,$(file <$(1)),$(2)),$(call \
	text-eq,$(file <$(1)),$(2)$(newline)))),,$(file >$(call write-text-tmp,$(1)),$(2))if cmp -s \
	$(call write-text-tmp,$(1)) $(1); then rm -f $(call write-text-tmp,$(1)); else mv -f \
	$(call write-text-tmp,$(1)) $(1); fi)
# one word a line
join-lines = $(subst $(space),$(newline),$(strip $(1)))
# The same from a temporary file of the shell's own ($(1).<pid>.tmp), for
# the bookkeeping files that the makes of two packages' builds may both
# bring up to date at once (a source package's .patch-id, say).
own-tmp = $(1).$$$$.tmp
replace-own-tmp-if-changed = if cmp -s $(call own-tmp,$(1)) $(1); then rm -f $(call own-tmp,$(1)); \
	else mv -f $(call own-tmp,$(1)) $(1); fi

# The steps that run a package's own build system are marked `+`: they get
# tinyroot's jobserver, so a package's make (or Ninja) runs as many jobs as
# the slots it wins, never a -jN of its own on top (Makefile: PARALLEL_JOBS).
#
# Each step's output goes to its log; see support/scripts/step-shell.
export TR_STEP_LOG TR_BUILD_TIME_LOG
TR_BUILD_TIME_LOG = $(BUILD_DIR)/build-time.log
$(BUILD_DIR)/%: private TR_STEP_LOG = $(@D)/logs/$(subst .stamp_,,$(@F)).log
$(BUILD_DIR)/%: private SHELL = $(TOPDIR)/support/scripts/step-shell
# bookkeeping rules are not steps: no log of their own
$(BUILD_DIR)/%/.config-slice.checked $(BUILD_DIR)/%/.source-id $(BUILD_DIR)/%/.patch-id \
	$(BUILD_DIR)/%/logs/.: private TR_STEP_LOG =

step-begin = : step-begin $(notdir $(@D)) $($(PKG)_VERSION) $(1)
step-end = : step-end $(notdir $(@D)) $(subst .stamp_,,$(@F))

# The package's slice of the configuration: rewritten only when it changes,
# so a change elsewhere in .config rebuilds nothing here. The architecture,
# the toolchain and the libraries choice are in every package's slice.
# A host package's slice has only its own options: it runs on the build
# machine whatever the target, and one build serves every board.
# .config-slice.checked records when it was last compared with .config, so
# that a later make does not compare again; the temporary file is the
# process's own: the makes of two packages' builds may check one slice
# (the toolchain's) at once.
#
# C++ support (TR_TOOLCHAIN_CXX) is the exception among the toolchain's
# options: it is left out of the slices of the packages whose build cannot
# see a C++ compiler, those of the generic and kconfig infrastructures (the
# kernel, musl, BusyBox: their commands are their own), so that turning it
# on or off rebuilds none of them. A package of the autotools, CMake or
# Meson infrastructure keeps it: its configure may look for a C++ compiler
# by itself (AC_PROG_CXX finds <tuple>-g++ on the PATH, CMake's project()
# takes it from the toolchain file, Meson from the cross file).
PKG_SLICE_ALWAYS = TR_ARCH TR_TOOLCHAIN TR_STATIC_LIBS TR_SHARED_LIBS TR_SHARED_STATIC_LIBS
PKG_SLICE_NOT = TR_TOOLCHAIN_CXX
pkg-slice-not = $(if $(filter autotools cmake meson,$($(call UC,$(1))_INFRA)),,$(filter-out \
	$(call pkg-kconfig-prefix,$(1)),$(PKG_SLICE_NOT)))
$(BUILD_DIR)/%/.config-slice: $(BUILD_DIR)/%/.config-slice.checked ;
$(BUILD_DIR)/%/.config-slice.checked: $(CONFIG_FILE) | $(BUILD_DIR)/%/logs/.
	$(Q)grep -E '^(# )?($(subst $(space),|,$(strip $(call pkg-kconfig-prefix,$*) $(if $(filter host-%,$*),,$(PKG_SLICE_ALWAYS)))))[A-Z0-9_]*[= ]' \
		$(CONFIG_FILE) $(if $(call pkg-slice-not,$*),| grep -v -E '^(# )?($(subst $(space),|,$(strip \
		$(call pkg-slice-not,$*))))[= ]') > $(call own-tmp,$(@D)/.config-slice); \
		$(call replace-own-tmp-if-changed,$(@D)/.config-slice) && touch $@

# What names the package's source (version, file, URL, local folder): rewritten only when
# it changes, so that editing a recipe's commands re-runs its configure and
# build steps but not the download and the extraction.
# Checked on every run (cheap), so that local.mk and the configuration are
# seen whatever changed them.
$(BUILD_DIR)/%/.source-id: FORCE | $(BUILD_DIR)/%/logs/.
	$(Q)$(call write-text,$@,$($(PKG)_VERSION)$(newline)$($(PKG)_SOURCE)$(newline)$(call \
		url-without-userinfo,$(call pkg-url,$*))$(if $(call pkg-local-dir,$*),$(newline)local: $(call pkg-local-dir,$*)))

# The package's patches as a list (rewritten only when it changes): a patch
# added or removed, like one edited (the files are inputs too), extracts the
# source again from the verified tarball and patches it from clean, rather
# than patching an already patched tree.
$(BUILD_DIR)/%/.patch-id: FORCE | $(BUILD_DIR)/%/logs/.
	$(Q)$(call write-text,$@,$(call join-lines,$(call pkg-patches,$*)))

$(BUILD_DIR)/%/logs/.:
	$(Q)mkdir -p $@

$(BUILD_DIR)/%/.stamp_downloaded: export TR_DL_PRIMARY_SITE = $(call qstrip,$(TR_PRIMARY_SITE))
$(BUILD_DIR)/%/.stamp_downloaded: export TR_DL_BACKUP_SITE = $(call qstrip,$(TR_BACKUP_SITE))
$(BUILD_DIR)/%/.stamp_downloaded: export TR_DL_URL = $(call qstrip,$(call pkg-url,$*))
$(BUILD_DIR)/%/.stamp_downloaded: | $(HELPER) $(BUILD_DIR)/%/logs/.
	@$(call step-begin,$(if $(call pkg-source-package,$*),Using the $(call pkg-source-package,$*) source,$(if \
		$(call pkg-local-dir,$*),Using $(call pkg-local-dir,$*),Downloading)))
	$(Q)$(if $(call pkg-local-dir,$*)$(call pkg-source-package,$*),true,$(HELPER) download --dl-dir $(DL_DIR)/$(call pkg-dl-subdir,$*) \
		--file $($(PKG)_SOURCE) $(call pkg-no-hash,$*) $(DL_LIMITS) \
		$(foreach h,$(call pkg-hash-files,$*),--hash-file $(h)) $(call pkg-sites,$*))
	@$(step-end)
	$(Q)touch $@

$(BUILD_DIR)/%/.stamp_extracted: $(BUILD_DIR)/%/.stamp_downloaded
	@$(call step-begin,$(if $(call pkg-source-package,$*),Linking the $(call pkg-source-package,$*) source,$(if \
		$(call pkg-local-dir,$*),Syncing,Extracting)))
	$(Q)rm -rf $(@D)/src $(@D)/obj
	$(Q)$(if $(call pkg-source-package,$*),ln -s ../$(call pkg-source-package,$*)/src $(@D)/src,$(if \
		$(call pkg-local-dir,$*),\
		rsync -a --exclude .git $(call pkg-local-dir,$*)/ $(@D)/src/,\
		$(HELPER) extract --strip-components 1 \
		$(DL_DIR)/$(call pkg-dl-subdir,$*)/$($(PKG)_SOURCE) $(@D)/src))
	@$(step-end)
	$(Q)touch $@

$(BUILD_DIR)/%/.stamp_patched: $(BUILD_DIR)/%/.stamp_extracted
	@$(call step-begin,Patching)
	$(Q)$(foreach p,$(call pkg-patches,$*),patch -d $(@D)/src -p1 -N --no-backup-if-mismatch < $(p) &&) true
	@$(step-end)
	$(Q)touch $@

$(BUILD_DIR)/%/.stamp_configured: $(BUILD_DIR)/%/.stamp_patched $(BUILD_DIR)/%/.config-slice
	@$(call step-begin,Configuring)
	+$(Q)$($(PKG)_CONFIGURE_CMDS)
	$(Q)rm -f $(@D)/.pkg-cache-skip
	@$(step-end)
	$(Q)touch $@

# A build killed half-way can leave outputs newer than their sources (a
# truncated object, an archive written in part) that a build system trusting
# timestamps alone would keep. Kbuild (Linux, BusyBox) records each command
# and redoes what has no record, so it resumes safely; other packages set
# <PKG>_CLEAN_CMDS, run before building again after an attempt that did not
# end (step-shell leaves logs/built.log.interrupted). The same holds for the
# objects of a finished build made with another key (another slice of the
# configuration, toolchain or recipe: package/pkg-cache.mk leaves
# <pkg>/.build-stale): a makefile does not see a changed flag, and would
# keep a program linked statically after the switch to shared libraries.
$(BUILD_DIR)/%/.stamp_built: $(BUILD_DIR)/%/.stamp_configured
	@$(call step-begin,Building)
	$(Q)rm -rf $(PKG_META_DIR)
	+$(Q)$(if $($(PKG)_CLEAN_CMDS),if [ -e $(TR_STEP_LOG).interrupted ] || [ -e $(@D)/.build-stale ]; then \
		$($(PKG)_CLEAN_CMDS); fi)
	+$(Q)$($(PKG)_BUILD_CMDS)
	$(Q)rm -f $(@D)/.build-stale
	@$(step-end)
	$(Q)touch $@

# Installs go to the package's own trees first (build/<pkg>/staging,
# target, images, and host for a host package, which installs with DESTDIR
# into host-destdir and keeps what landed under $(HOST_DIR)), then are
# merged: removing a package and rebuilding gives a target without its
# files, and the trees are what the package cache stores
# (package/pkg-cache.mk). libtool's .la files are removed: they name the
# paths the package was installed to, which are not the sysroot's
# (Buildroot rewrites them; nothing here needs them, the libraries carry
# their own dependencies through pkg-config). A package's build leaves
# what later tools read in build/<pkg>/meta (the kernel's compiled files; a
# kconfig package's configuration as built, kconfig.config, for the SBOM: a
# package taken from the cache has no build tree).
#
# .stamp_packaged runs the install commands and packs the trees;
# .stamp_installed takes them from the cache or makes .stamp_packaged, then
# merges. What the package installed is recorded as lists of paths (files
# and links, "/usr/bin/x", sorted): <pkg>/target-files.txt and
# staging-files.txt. The SBOM reads them to say which package each file of
# the image comes from, whether a package is in the image at all, and which
# static libraries a package provides (support/scripts/sbom).
PKG_IMAGES_DIR = $(@D)/images
PKG_META_DIR = $(@D)/meta
PKG_HOST_DESTDIR = $(@D)/host-destdir
pkg-file-list = (cd $(1) && find . ! -type d | sed 's|^\.||' | LC_ALL=C sort) > $(2).tmp && mv $(2).tmp $(2)
$(BUILD_DIR)/%/.stamp_packaged: private TR_STEP_LOG = $(@D)/logs/installed.log
$(BUILD_DIR)/%/.stamp_packaged: $(BUILD_DIR)/%/.stamp_built | $(HELPER)
	@$(call step-begin,Installing)
	$(Q)rm -rf $(PKG_STAGING_DIR) $(PKG_TARGET_DIR) $(PKG_IMAGES_DIR) $(@D)/host $(PKG_HOST_DESTDIR)
	$(Q)mkdir -p $(PKG_STAGING_DIR) $(PKG_TARGET_DIR) $(PKG_IMAGES_DIR) $(STAGING_DIR)
	+$(Q)$($(PKG)_INSTALL_CMDS)
	+$(Q)$($(PKG)_INSTALL_STAGING_CMDS)
	+$(Q)$($(PKG)_INSTALL_TARGET_CMDS)
	+$(Q)$($(PKG)_INSTALL_IMAGES_CMDS)
	$(Q)$(if $($(PKG)_KCONFIG_DOTCONFIG),mkdir -p $(PKG_META_DIR) && \
		cp $($(PKG)_KCONFIG_DOTCONFIG) $(PKG_META_DIR)/kconfig.config)
	$(Q)find $(PKG_STAGING_DIR) $(PKG_TARGET_DIR) -name '*.la' -delete
	$(Q)if [ -d $(PKG_HOST_DESTDIR)$(HOST_DIR) ]; then mv $(PKG_HOST_DESTDIR)$(HOST_DIR) $(@D)/host; fi
	$(Q)rm -rf $(PKG_HOST_DESTDIR)
	$(Q)$(call pkg-cache-pack-store,$*)
	@$(step-end)
	$(Q)touch $@

# The merge of the package's folders into the shared ones. Images are
# copied to a temporary name and renamed: a reader never sees half a
# kernel. Two packages' merges take turns (one lock for the output
# folder): cp -a makes a folder the other one may be making at the same
# moment (musl's and the kernel headers' usr/include, both unpacked from
# the package cache at once), and fails on it.
PKG_MERGE_LOCK = flock $(BUILD_DIR)/.merge.lock
define pkg-merge
	$(PKG_MERGE_LOCK) cp -a $(@D)/staging/. $(STAGING_DIR)/
	if [ -d $(@D)/host ]; then $(PKG_MERGE_LOCK) cp -a $(@D)/host/. $(HOST_DIR)/; fi
	mkdir -p $(BINARIES_DIR) && for f in $$(cd $(@D)/images && ls -A); do \
		cp -a $(@D)/images/$$f $(BINARIES_DIR)/.$$f.tmp && mv -f $(BINARIES_DIR)/.$$f.tmp $(BINARIES_DIR)/$$f || exit 1; done
	$(call pkg-file-list,$(@D)/target,$(@D)/target-files.txt)
	$(call pkg-file-list,$(@D)/staging,$(@D)/staging-files.txt)
	$(call replace-if-changed,$(@D)/.output-hash)
endef
$(BUILD_DIR)/%/.stamp_installed: private TR_STEP_LOG =
$(BUILD_DIR)/%/.stamp_installed: $(BUILD_DIR)/%/.key-inputs | $(HELPER)
	+$(Q)$(call pkg-fetch-or-build,$*)
	$(Q)$(pkg-merge)
	$(Q)touch $@

# A host package, host-<pkg>, takes what it does not set from <pkg>'s
# recipe: the version, the download and its hashes, the license, the
# supplier and the CPE and PURL names.
define pkg-host-defaults
HOST_$(1)_VERSION ?= $$($(1)_VERSION)
HOST_$(1)_SOURCE ?= $$($(1)_SOURCE)
HOST_$(1)_SITE ?= $$($(1)_SITE)
HOST_$(1)_URL ?= $$($(1)_URL)
HOST_$(1)_LICENSE ?= $$($(1)_LICENSE)
HOST_$(1)_LICENSE_FILES ?= $$($(1)_LICENSE_FILES)
HOST_$(1)_HASH_FILES ?= $$($(1)_HASH_FILES)
HOST_$(1)_SITE_METHOD ?= $$($(1)_SITE_METHOD)
HOST_$(1)_SUPPLIER ?= $$($(1)_SUPPLIER)
HOST_$(1)_CPE_ID_VENDOR ?= $$($(1)_CPE_ID_VENDOR)
HOST_$(1)_CPE_ID_PRODUCT ?= $$($(1)_CPE_ID_PRODUCT)
HOST_$(1)_CPE_ID_VALID ?= $$($(1)_CPE_ID_VALID)
HOST_$(1)_PURL ?= $$($(1)_PURL)
endef

# Steps shared by the infrastructures whose build is a make in folder $(1)
# (autotools: the source; CMake: its build folder), for the package whose
# step runs: the build, and `make install` into the package's staging tree
# when <PKG>_INSTALL_STAGING = YES and its target tree unless
# <PKG>_INSTALL_TARGET = NO (DESTDIR installs). <PKG>_MAKE_OPTS go to each.
pkg-make-build = $(MAKE) -C $(1) $($(PKG)_MAKE_OPTS)
pkg-make-install-staging = $(if $(filter YES,$($(PKG)_INSTALL_STAGING)),\
	$(MAKE) -C $(1) $($(PKG)_MAKE_OPTS) DESTDIR=$(PKG_STAGING_DIR) install)
pkg-make-install-target = $(if $(filter NO,$($(PKG)_INSTALL_TARGET)),,\
	$(MAKE) -C $(1) $($(PKG)_MAKE_OPTS) DESTDIR=$(PKG_TARGET_DIR) install)

# pkg-installs-target PKG: non-empty when the package puts files in the
# target tree (the kernel's go to images/, host packages' to host/)
pkg-installs-target = $(if $(call pkg-is-host,$(1)),,$($(call UC,$(1))_INSTALL_TARGET_CMDS))

# The infrastructure's commands (package/pkg-<infra>.mk) for what the
# recipe does not write itself: <PKG>_INFRA (autotools, ...; empty:
# generic, every command the recipe's own) and HOST_<PKG>_INFRA.
PKG_INFRA_STEPS = CONFIGURE_CMDS BUILD_CMDS CLEAN_CMDS INSTALL_CMDS INSTALL_STAGING_CMDS INSTALL_TARGET_CMDS
pkg-infra-defaults = $(foreach s,$(PKG_INFRA_STEPS),$(if $($(call UC,$(2))_$(s)),,$(if $(call pkg-infra-step,$(1),$(2),$(s)),$(call UC,$(2))_$(s) = $$($(call pkg-infra-step,$(1),$(2),$(s)))$(newline))))

# pkg-defaults PKG, evaluated for every package before its rules
define pkg-defaults
$(if $(call pkg-is-host,$(1)),$(call pkg-host-defaults,$(call UC,$(call pkg-base,$(1)))))
$(call pkg-infra-defaults,$($(call UC,$(1))_INFRA),$(1))
endef
# The variable holding an infrastructure's step: AUTOTOOLS_CONFIGURE_CMDS,
# HOST_AUTOTOOLS_INSTALL_CMDS, ... if the infrastructure defines it.
pkg-infra-step = $(if $(1),$(if $(filter undefined,$(origin $(if $(call pkg-is-host,$(2)),HOST_)$(call UC,$(1))_$(3))),,$(if \
	$(call pkg-is-host,$(2)),HOST_)$(call UC,$(1))_$(3)))

# The files of a recipe's folder (not its sub-folders: a local source, say):
# the .mk, configuration files, init scripts. A change re-runs the package
# from its configure step. (Config.in acts through the package's slice of
# .config, the .hash through the download.)
pkg-recipe-files = $(foreach f,$(filter-out %/Config.in %.hash,$(wildcard $(call pkg-dir,$(1))/*)),$(if \
	$(wildcard $(f)/.),,$(f)))

# Per-package rules: recipe files as inputs, dependencies, user targets.
define pkg-rules
$(BUILD_DIR)/$(1)/.stamp_downloaded: $(BUILD_DIR)/$(1)/.source-id \
	$(if $(call pkg-local-dir,$(1)),,$(call pkg-hash-files,$(1))) \
	$(foreach s,$(call pkg-source-package,$(1)),$(BUILD_DIR)/$(s)/.stamp_downloaded)
$(BUILD_DIR)/$(1)/.stamp_extracted: \
	$(foreach s,$(call pkg-source-package,$(1)),$(BUILD_DIR)/$(s)/.stamp_patched)
$(BUILD_DIR)/$(1)/.stamp_extracted: $(BUILD_DIR)/$(1)/.patch-id $(call pkg-patches,$(1)) \
	$(if $(call pkg-local-dir,$(1)),\
	$(shell find $(call pkg-local-dir,$(1)) -type f -not -path '*/.git/*'))
$(BUILD_DIR)/$(1)/.stamp_configured: $(call pkg-recipe-files,$(1)) \
	$($(call UC,$(1))_CONFIG_FILES) \
	$(foreach d,$($(call UC,$(1))_DEPENDENCIES),$(BUILD_DIR)/$(d)/.stamp_installed)
$(BUILD_DIR)/$(1)/.key-inputs.checked: $(call pkg-key-files,$(1)) \
	$(foreach d,$($(call UC,$(1))_DEPENDENCIES),$(BUILD_DIR)/$(d)/.stamp_installed) \
	$(if $(call pkg-local-dir,$(1)),\
	$(shell find $(call pkg-local-dir,$(1)) -type f -not -path '*/.git/*'))
$(1): $(BUILD_DIR)/$(1)/.stamp_installed
$(1)-source: $(BUILD_DIR)/$(1)/.stamp_downloaded
$(1)-extract: $(BUILD_DIR)/$(1)/.stamp_extracted
$(1)-patch: $(BUILD_DIR)/$(1)/.stamp_patched
$(1)-configure: $(BUILD_DIR)/$(1)/.stamp_configured
$(1)-build: $(BUILD_DIR)/$(1)/.stamp_built
	touch $(BUILD_DIR)/$(1)/.pkg-cache-skip
	rm -f $(BUILD_DIR)/$(1)/.stamp_packaged $(BUILD_DIR)/$(1)/.stamp_installed
$(1)-dirclean:
	rm -rf $(BUILD_DIR)/$(1)
$(1)-rebuild:
	rm -f $(BUILD_DIR)/$(1)/.stamp_built $(BUILD_DIR)/$(1)/.stamp_packaged $(BUILD_DIR)/$(1)/.stamp_installed
	$$(MAKE) O=$(O) $$(ENV_OVERRIDES) $$(if $$(V),V=$$(V)) TR_PKG_CACHE_SKIP=$(1) $(1)
$(1)-reconfigure:
	rm -f $(BUILD_DIR)/$(1)/.stamp_configured $(BUILD_DIR)/$(1)/.stamp_built \
		$(BUILD_DIR)/$(1)/.stamp_packaged $(BUILD_DIR)/$(1)/.stamp_installed
	$$(MAKE) O=$(O) $$(ENV_OVERRIDES) $$(if $$(V),V=$$(V)) TR_PKG_CACHE_SKIP=$(1) $(1)
$(1)-show-key: $(BUILD_DIR)/$(1)/.key-inputs | $$(HELPER)
	cat $(BUILD_DIR)/$(1)/.key-inputs
	printf 'key %s\n' "$$$$($$(HELPER) pkgcache key --key-inputs $(BUILD_DIR)/$(1)/.key-inputs)"
.PHONY: $(1) $(1)-source $(1)-extract $(1)-patch $(1)-configure $(1)-build $(1)-dirclean $(1)-rebuild $(1)-reconfigure \
	$(1)-show-key
$(if $($(call UC,$(1))_KCONFIG_MAKE),$(call kconfig-rules,$(1),$(call UC,$(1))))
endef

.PRECIOUS: $(BUILD_DIR)/%/.stamp_downloaded $(BUILD_DIR)/%/.stamp_extracted $(BUILD_DIR)/%/.patch-id \
	$(BUILD_DIR)/%/.stamp_patched $(BUILD_DIR)/%/.stamp_configured \
	$(BUILD_DIR)/%/.stamp_built $(BUILD_DIR)/%/.stamp_packaged $(BUILD_DIR)/%/.stamp_installed \
	$(BUILD_DIR)/%/.key-inputs $(BUILD_DIR)/%/.key-inputs.checked $(BUILD_DIR)/%/.key-cmds \
	$(BUILD_DIR)/%/.config-slice $(BUILD_DIR)/%/.config-slice.checked $(BUILD_DIR)/%/.source-id \
	$(BUILD_DIR)/%/logs/.
