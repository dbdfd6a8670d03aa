#!/usr/bin/env bash
# Build a local source mirror, laid out as a tinyroot primary site (one flat
# folder of upstream file names), from Debian's source packages. Used when the
# machine has no internet but reaches Debian's archive.
#
#   support/scripts/make-source-mirror.sh DIR
#
# The orig tarballs of busybox, musl and the other packages in UPSTREAM below
# are byte-identical to upstream's release tarballs (each recipe's .hash says
# where its digest comes from), so they are stored under the upstream names
# the recipes ask for.
# Debian's Linux orig is its own repack: it keeps its Debian name, and a
# patches/linux/linux.hash (sha256 from the .dsc) is written beside it for
# use as a custom kernel tarball (TR_LINUX_KERNEL_CUSTOM_TARBALL_LOCATION +
# global patch dir).
#
# DIR/offline.config is a configuration fragment that points a build at the
# mirror (file:// primary site, the custom kernel tarball, the patch dir):
#   make qemu_x86_64_defconfig
#   cat DIR/offline.config >> output/.config && make olddefconfig
set -euo pipefail

dir=${1:?usage: $0 DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
work="$dir/.debian"
mkdir -p "$work"

need() {
	# $1: glob of an orig tarball already fetched
	compgen -G "$work/$1" >/dev/null
}

# Debian source package = upstream file name, %s standing for the version
UPSTREAM=(
	busybox=busybox-%s.tar.bz2
	musl=musl-%s.tar.gz
	dropbear=dropbear-%s.tar.bz2
	lz4=lz4-%s.tar.gz
	fribidi=fribidi-%s.tar.bz2
	libpcap=libpcap-%s.tar.gz
	tcpdump=tcpdump-%s.tar.gz
	e2fsprogs=e2fsprogs-%s.tar.gz
	squashfs-tools=squashfs-tools-%s.tar.gz
	erofs-utils=erofs-utils-%s.tar.gz
	dosfstools=dosfstools-%s.tar.gz
	# a Debian repack (+dfsg): kept under Debian's name, its hash from the .dsc
	u-boot=u-boot_%s.orig.tar.xz
	# Debian's own archive of 4.0.32 (version 4.0.33-1+really4.0.32), not
	# GNU's tarball: kept under Debian's name, its hash from the .dsc
	mtools=mtools_%s.orig.tar.bz2
	# OpenSBI 1.1, unmodified, as QEMU's roms/opensbi (Debian serves no opensbi 1.1 orig)
	qemu=qemu_%s.orig.tar.xz
	grub2=grub-%s.tar.xz
	# the LLVM tree of the C++ runtime (package/libcxx): Debian's own
	# archive, kept under Debian's name, its hash from the .dsc
	llvm-toolchain-14=llvm-toolchain-14_%s.orig.tar.xz
	# the GitHub archive of the tag, under Debian's name (package/pugixml)
	pugixml=pugixml_%s.orig.tar.gz
)

# Each from bookworm (Debian 12), the release the recipes' digests were
# taken from: a machine whose sources also list a newer suite or
# backports would otherwise fetch that suite's newer orig tarball, and a
# plain "linux" may name an update the archive no longer serves.
SUITE=bookworm
cd "$work"
missing=()
for e in "${UPSTREAM[@]}"; do
	need "${e%%=*}_*.orig.tar.*" || missing+=("${e%%=*}/$SUITE")
done
need 'linux_*.orig.tar.*' || missing+=("linux/$SUITE")
if [ ${#missing[@]} -gt 0 ]; then
	apt-get source --download-only "${missing[@]}" >/dev/null
fi

# install TMP NAME: move TMP over NAME unless NAME already has its bytes, so
# that a build whose download depends on NAME (the kernel's hash file) is not
# redone when the mirror is made again
install_if_changed() {
	if cmp -s "$1" "$2"; then rm -f "$1"; else mv -f "$1" "$2"; fi
}

link() {
	# $1: source file in $work, $2: name in the mirror (kept if already there)
	[ "$dir/$2" -ef "$work/$1" ] && return 0
	ln -f "$work/$1" "$dir/$2.tmp" 2>/dev/null || cp "$work/$1" "$dir/$2.tmp"
	mv -f "$dir/$2.tmp" "$dir/$2"
}

names=()
for e in "${UPSTREAM[@]}"; do
	src=${e%%=*} pattern=${e#*=}
	orig=$(cd "$work" && ls "${src}"_*.orig.tar.* | grep -v '\.asc$' | head -n1)
	version=${orig#"${src}"_}; version=${version%.orig.tar.*}
	# shellcheck disable=SC2059 # the pattern is the format
	name=$(printf "$pattern" "$version")
	link "$orig" "$name"
	names+=("$name")
done

lx=$(cd "$work" && ls linux_*.orig.tar.xz | head -n1)
link "$lx" "$lx"
dsc=$(cd "$work" && ls linux_*.dsc | head -n1)
sha=$(awk -v f="$lx" '/^Checksums-Sha256:/ {s=1; next} /^[^ ]/ {s=0} s && $3 == f {print $1}' "$work/$dsc")
[ -n "$sha" ] || { echo "$0: no sha256 for $lx in $dsc" >&2; exit 1; }
mkdir -p "$dir/patches/linux"
{
	echo "# From Debian's $dsc (Checksums-Sha256), a repack of Linux 6.1"
	echo "sha256  $sha  $lx"
} > "$dir/patches/linux/linux.hash.tmp"
install_if_changed "$dir/patches/linux/linux.hash.tmp" "$dir/patches/linux/linux.hash"
echo "$lx" > "$dir/linux-tarball-name.tmp"
install_if_changed "$dir/linux-tarball-name.tmp" "$dir/linux-tarball-name"
# The primary site is tried first for every file, by its file name; a file
# the mirror lacks is then fetched from its recipe's site (add
# TR_PRIMARY_SITE_ONLY=y to forbid that).
{
	echo "# Offline build from the source mirror $dir"
	echo "TR_PRIMARY_SITE=\"file://$dir\""
	echo "TR_LINUX_KERNEL_CUSTOM_TARBALL=y"
	echo "TR_LINUX_KERNEL_CUSTOM_TARBALL_LOCATION=\"file://$dir/$lx\""
	echo "TR_GLOBAL_PATCH_DIR=\"$dir/patches\""
} > "$dir/offline.config.tmp"
install_if_changed "$dir/offline.config.tmp" "$dir/offline.config"
echo "mirror ready in $dir: ${names[*]} $lx"
