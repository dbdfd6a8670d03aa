# The package cache (shared state, as Yocto's sstate): what a package's
# install step produced (its staging, target, images and host trees and the
# files later tools read, meta/) is packed as one artifact under a key, and
# a later build whose key is the same unpacks it instead of building.
#
# The key is the SHA-256 of <pkg>/.key-inputs (tr-helper computes it), a
# text file of everything that can change the output, one input a line:
# the package's name, version and source; each recipe file, infrastructure
# file, patch, .hash file and configuration file (a kernel fragment) with
# its SHA-256; the package's slice of .config; the hash of its commands as
# make expands them (with the output folder and the checkout written as
# @O@ and @TOPDIR@); the toolchain's identity; and each dependency's
# output hash. `make <pkg>-show-key` prints it, so that two machines' misses
# can be compared line by line.
#
# Hash equivalence: a dependency enters a key by its output's hash, not its
# key, so a dependency rebuilt with byte-identical output (a comment changed
# in its recipe) leaves its dependents' keys, and their artifacts, as they
# were.
#
# Stores (Build options): the local folder PKG_CACHE_DIR, shared by every
# output folder on the machine (artifacts are renamed into place whole);
# and a team's HTTP(S) server, TR_PKG_CACHE_URL, read with GET and, where
# TR_PKG_CACHE_PUSH is set, written with PUT. Artifacts are signed with
# Ed25519 by their writer; a reader takes only those signed by its own key
# or one of TR_PKG_CACHE_TRUSTED_KEYS (support/helper/pkgcache.c).

# The environment's TR_PKG_CACHE_DIR and TR_PKG_CACHE_SIGNING_KEY win over
# the configuration's, as TR_DL_DIR does.
PKG_CACHE_DIR := $(if $(filter y,$(TR_PKG_CACHE)),$(abspath $(or $(ENV_TR_PKG_CACHE_DIR),$(call \
	qstrip,$(TR_PKG_CACHE_DIR)),$(HOME)/.cache/tinyroot-pkg)))
PKG_CACHE_SIGNING_KEY := $(abspath $(or $(ENV_TR_PKG_CACHE_SIGNING_KEY),$(call \
	qstrip,$(TR_PKG_CACHE_SIGNING_KEY)),$(HOME)/.config/tinyroot/pkg-cache-signing-key.pem))
PKG_CACHE_TRUSTED_KEYS := $(call qstrip,$(TR_PKG_CACHE_TRUSTED_KEYS))
# The helper reads the URL from .config itself (--url-config): a URL may
# carry a token, which must reach neither a command line nor the
# environment of the packages' builds.
PKG_CACHE_URL_OPT = $(if $(call qstrip,$(TR_PKG_CACHE_URL)),--url-config $(CONFIG_FILE))
# What an artifact holds: the package's folders under build/<pkg>/
PKG_CACHE_PARTS = staging target images host meta
PKG_CACHE_LOG = $(BUILD_DIR)/.pkg-cache.log
# (MiB, the download limit's: an artifact is no bigger than a source may be)
PKG_CACHE_MAX_SIZE = $(or $(TR_DL_MAX_SIZE_MB),2048)

# pkg-cache-use PKG: non-empty when the package is looked up and stored:
# the cache is on, the recipe does not set <PKG>_PKG_CACHE = NO, and
# `make <pkg>-rebuild` is not building it from its sources
# (TR_PKG_CACHE_SKIP). A package whose configuration was edited in place
# (<pkg>-menuconfig) is built until its configure step runs again: that
# edit is in no input of the key (build/<pkg>/.pkg-cache-skip).
pkg-cache-use = $(and $(PKG_CACHE_DIR),$(if $(filter NO,$($(call UC,$(1))_PKG_CACHE)),,y),$(if \
	$(filter $(1),$(TR_PKG_CACHE_SKIP)),,y))

# The toolchain's identity, in every key: the wrapper's bytes, and for the
# cross compiler, its binutils and the build machine's compiler (host
# packages) the Debian package that provides each, its version and the
# compiler's own version line (g++, for C++, is not a line of its own:
# Debian's g++-12 depends on gcc-12 of its own version, so the gcc line
# names it too). Recomputed when the wrapper or the
# installed Debian packages change. A host package's key has the build
# machine's compiler alone (HOST_TOOLCHAIN_IDENTITY, the last line): it is
# the same for every board.
TOOLCHAIN_IDENTITY = $(BUILD_DIR)/toolchain/.identity
HOST_TOOLCHAIN_IDENTITY = $(BUILD_DIR)/toolchain/.identity-host
$(HOST_TOOLCHAIN_IDENTITY): $(TOOLCHAIN_IDENTITY).checked ;
# (.checked records the last comparison, as for .config-slice: an
# unrelated package installed leaves the identity, and the keys, as they
# were, and a later make does not ask dpkg again)
$(TOOLCHAIN_IDENTITY): $(TOOLCHAIN_IDENTITY).checked ;
$(TOOLCHAIN_IDENTITY).checked: private TR_STEP_LOG =
$(TOOLCHAIN_IDENTITY).checked: $(WRAPPER) $(wildcard /var/lib/dpkg/status) \
		$(if $(wildcard $(HOST_TOOLCHAIN_IDENTITY)),,FORCE) | $(BUILD_DIR)/toolchain/logs/.
	$(Q){ printf 'toolchain wrapper %s\n' "$$(sha256sum < $(WRAPPER) | cut -c1-64)"; \
	for c in $(TOOLCHAIN_PREFIX)gcc $(TOOLCHAIN_PREFIX)ld $(HOSTCC); do \
		p=$$(readlink -f "$$(command -v $$c)"); \
		d=$$(dpkg-query -S "$$p" 2>/dev/null | head -n1 | cut -d: -f1); \
		printf 'toolchain %s %s %s %s\n' "$$c" "$${d:-(no Debian package)}" \
			"$$([ -z "$$d" ] || dpkg-query -W -f '$${Version}' "$$d" 2>/dev/null)" \
			"$$($$c --version | head -n1)"; \
	done; } > $(call own-tmp,$(TOOLCHAIN_IDENTITY)) && \
	tail -n1 $(call own-tmp,$(TOOLCHAIN_IDENTITY)) > $(call own-tmp,$(HOST_TOOLCHAIN_IDENTITY)) && \
	$(call replace-own-tmp-if-changed,$(TOOLCHAIN_IDENTITY)) && \
	$(call replace-own-tmp-if-changed,$(HOST_TOOLCHAIN_IDENTITY))
	$(Q)touch $@

# The package's commands as make expands them, for the key: a change made
# through a variable (local.mk, an infrastructure, the configuration) is
# seen even when no file of the recipe changed. Paths of this output
# folder and checkout are written as @O@ and @TOPDIR@, so that two folders
# get one key. Kept in <pkg>/.key-cmds, which make compares itself on every
# run (no process) and rewrites only when they change.
PKG_KEY_STEPS = CONFIGURE_CMDS BUILD_CMDS INSTALL_CMDS INSTALL_STAGING_CMDS INSTALL_TARGET_CMDS INSTALL_IMAGES_CMDS
pkg-key-commands = $(subst $(TOPDIR),@TOPDIR@,$(subst $(O),@O@,$(foreach s,$(PKG_KEY_STEPS),$(s):$(newline)$($(PKG)_$(s))$(newline))))epoch $(SOURCE_DATE_EPOCH)
$(BUILD_DIR)/%/.key-cmds: private TR_STEP_LOG =
$(BUILD_DIR)/%/.key-cmds: FORCE | $(BUILD_DIR)/%/logs/.
	$(Q)$(call write-text,$@,$(pkg-key-commands))

# The infrastructure files a package uses
pkg-infra-files = package/pkg-generic.mk package/pkg-cache.mk $(if $($(call UC,$(1))_INFRA),package/pkg-$($(call \
	UC,$(1))_INFRA).mk) $(if $($(call UC,$(1))_KCONFIG_MAKE),package/pkg-kconfig.mk)
# Every file whose bytes are an input, each named by its file name (its
# folder differs between checkouts and output folders; the lines are sorted)
pkg-key-files = $(sort $(call pkg-recipe-files,$(1)) $(call pkg-infra-files,$(1)) \
	$(call pkg-own-patches,$(or $(call pkg-source-package,$(1)),$(1))) \
	$(if $(call pkg-local-dir,$(1)),,$(call pkg-hash-files,$(1))) $($(call UC,$(1))_CONFIG_FILES))

# Every package the package's build can see in the shared sysroot and host
# folder: its dependencies and theirs (a C library fix that leaves a
# library's bytes alone still changes a program linked statically against
# both)
pkg-key-deps = $(sort $(filter-out $(1),$(call pkg-closure,$($(call UC,$(1))_DEPENDENCIES))))

# The lines make writes itself (no process): name, source, configuration
# slice (without credentials: support/scripts/strip-secrets), toolchain,
# dependencies' output hashes
define pkg-key-text
package $(1)
version $($(call UC,$(1))_VERSION)
source $(if $(call pkg-local-dir,$(1)),local folder,$($(call UC,$(1))_SOURCE))
$(if $(call pkg-source-package,$(1)),source-package $(call pkg-source-package,$(1)))
config $(subst $(newline),$(newline)config ,$(file <$(BUILD_DIR)/$(1)/.config-slice))
$(file <$(if $(call pkg-is-host,$(1)),$(HOST_TOOLCHAIN_IDENTITY),$(TOOLCHAIN_IDENTITY)))
$(foreach d,$(call pkg-key-deps,$(1)),dep $(d) $(file <$(BUILD_DIR)/$(d)/.output-hash)$(newline))
endef

# A local folder's content, for the key: each file's path under it and
# SHA-256, hashed together
pkg-key-local = cd $(call pkg-local-dir,$(1)) && find . -type f -not -path './.git/*' -print0 | \
	LC_ALL=C sort -z | xargs -0r sha256sum | sha256sum | sed 's/ .*//;s/^/local-source /'

# Written only when it changes: a dependency re-installed with the same
# output, or a make that changed nothing, leaves the package as it is.
# .key-inputs.checked records the last computation (as .config-slice's), so
# that an input newer than an unchanged .key-inputs is not hashed again by
# every later make.
$(BUILD_DIR)/%/.key-inputs: $(BUILD_DIR)/%/.key-inputs.checked ;
$(BUILD_DIR)/%/.key-inputs.checked: private TR_STEP_LOG =
$(BUILD_DIR)/%/.key-inputs.checked: $(BUILD_DIR)/%/.config-slice $(BUILD_DIR)/%/.source-id \
		$(BUILD_DIR)/%/.patch-id $(BUILD_DIR)/%/.key-cmds $(TOOLCHAIN_IDENTITY)
	$(file >$(@D)/.key-inputs.tmp,$(call pkg-key-text,$*))
	$(Q){ sha256sum $(call pkg-key-files,$*) $(@D)/.key-cmds | sed -e 's|^\([0-9a-f]*\)  .*/\.key-cmds$$|commands \1|' \
		-e 's|^\([0-9a-f]*\)  \(.*/\)\{0,1\}\([^/]*\)$$|file \3 \1|' | LC_ALL=C sort; \
		$(if $(call pkg-local-dir,$*),$(call pkg-key-local,$*);) } >> $(@D)/.key-inputs.tmp && \
		$(TOPDIR)/support/scripts/strip-secrets $(@D)/.key-inputs.tmp | \
		sed -e 's/^ *//' -e '/^$$/d' -e '/^config $$/d' > $(@D)/.key-inputs.tmp2 && \
		mv -f $(@D)/.key-inputs.tmp2 $(@D)/.key-inputs.tmp && \
		$(call replace-if-changed,$(@D)/.key-inputs) && touch $@

# Fetch PKG's artifact into its folder: prints "local" or "remote" and
# succeeds, or fails (a miss, or a refusal the helper names).
pkg-cache-fetch = $(HELPER) pkgcache fetch --package $(1) --key-inputs $(@D)/.key-inputs \
	--dir $(PKG_CACHE_DIR) $(PKG_CACHE_URL_OPT) --signing-key $(PKG_CACHE_SIGNING_KEY) \
	$(foreach k,$(PKG_CACHE_TRUSTED_KEYS),--trusted-key $(k)) --max-size $$(($(PKG_CACHE_MAX_SIZE) * 1048576)) \
	--pkg-dir $(realpath $(@D)) --parts '$(PKG_CACHE_PARTS)' --o-dir $(O) --output-hash $(@D)/.output-hash.tmp

# Pack what the install step produced (always: its hash is the package's
# output hash) and, when the cache is used, sign and store it.
define pkg-cache-pack-store
	$(HELPER) pkgcache pack --package $(1) --pkg-dir $(@D) --parts '$(PKG_CACHE_PARTS)' --o-dir $(O) \
		--out $(@D)/artifact.tar --output-hash $(@D)/.output-hash.tmp
	$(if $(call pkg-cache-use,$(1)),if [ ! -e $(@D)/.pkg-cache-skip ]; then \
		$(HELPER) pkgcache keygen --key $(PKG_CACHE_SIGNING_KEY) && \
		$(HELPER) pkgcache store --package $(1) --key-inputs $(@D)/.key-inputs \
		--archive $(@D)/artifact.tar --signing-key $(PKG_CACHE_SIGNING_KEY) --dir $(PKG_CACHE_DIR) \
		$(if $(filter y,$(TR_PKG_CACHE_PUSH)),$(PKG_CACHE_URL_OPT)) || \
		echo "$(1): not stored in the package cache ($(PKG_CACHE_DIR))" >&2; fi)
	cp $(@D)/.key-inputs $(@D)/.built-key
endef

# The install step of a package (.stamp_installed): its artifact from the
# cache, or its build (a make of its .stamp_packaged, sharing this make's
# jobserver). A build for a changed key starts from the configure step:
# what changed may be in no prerequisite of the steps (a toolchain update,
# a variable). Either way its folders are then merged into the shared
# ones, as Buildroot's installs do.
#
# A package unpacked from the cache leaves "hit" as its .built-key, so that
# a later build of it starts from its configure step too (its build folder
# is not what the artifact came from); one whose configuration was edited in
# place (.pkg-cache-skip) keeps its configure step, or the edit would be
# lost. Whenever the folder holds a build (.stamp_built) whose key is not
# the one to build (changed, unpacked from the cache, or never recorded:
# a make stopped before packing), its objects are cleaned before the next
# build (.build-stale, package/pkg-generic.mk), an in-place edit kept or not.
#
# Packages built from one source tree (linux-headers from linux's) prepare
# it under a lock, one after the other: two makes must not extract it at
# once. Their builds then run side by side.
PKG_SUBMAKE = $(MAKE) --no-print-directory -C $(TOPDIR) O=$(O) $(ENV_OVERRIDES) $(if $(V),V=$(V)) \
	$(if $(TR_PKG_CACHE_SKIP),TR_PKG_CACHE_SKIP='$(TR_PKG_CACHE_SKIP)')
pkg-shared-source = $(or $(call pkg-source-package,$(1)),$(if $(filter $(1),$(foreach \
	p,$(PACKAGES),$(call pkg-source-package,$(p)))),$(1)))
define pkg-fetch-or-build
	if $(if $(call pkg-cache-use,$(1)),[ ! -e $(@D)/.pkg-cache-skip ] && from=$$($(call pkg-cache-fetch,$(1))),false); then \
		echo ">>> $(1) $($(PKG)_VERSION) From the $$from package cache"; \
		echo "$$PPID $(1) $$from" >> $(PKG_CACHE_LOG); \
		rm -f $(@D)/.stamp_packaged; echo hit > $(@D)/.built-key; \
	else \
		rm -f $(@D)/.stamp_packaged; \
		if ! cmp -s $(@D)/.built-key $(@D)/.key-inputs; then \
			if [ -e $(@D)/.stamp_built ]; then touch $(@D)/.build-stale; fi; \
			if [ ! -e $(@D)/.pkg-cache-skip ] && [ -e $(@D)/.built-key ]; then \
				rm -f $(@D)/.stamp_configured $(@D)/.stamp_built; fi; \
		fi; \
		$(foreach s,$(call pkg-shared-source,$(1)),mkdir -p $(BUILD_DIR)/$(s) && \
			flock $(BUILD_DIR)/$(s)/.source.lock $(PKG_SUBMAKE) TR_MAKE_ID=$(1)-source \
			$(BUILD_DIR)/$(s)/.stamp_patched &&) \
		$(PKG_SUBMAKE) TR_MAKE_ID=$(1) $(@D)/.stamp_packaged && echo "$$PPID $(1) built" >> $(PKG_CACHE_LOG); \
	fi
endef

# The end of `make`: where this run's packages came from. Each line of the
# log names the make that wrote it (the shell's parent: the make running the
# recipe), so lines left by a run that stopped early or built one package
# (`make busybox`) are not counted, then removed.
PKG_CACHE_SUMMARY = if [ -e $(PKG_CACHE_LOG) ]; then awk -v run=$$PPID '$$1 == run { n[$$3]++; any = 1 } \
	END { if (any) printf "Packages: %d from the local cache, %d from the remote cache, %d built\n", \
	n["local"], n["remote"], n["built"] }' $(PKG_CACHE_LOG); rm -f $(PKG_CACHE_LOG); fi
