#!/usr/bin/env bash
# Install what tinyroot needs on a Debian 12 / Ubuntu host, and enable deb-src
# entries (derived from the apt sources already configured) so that the local
# source mirror can be filled with `apt-get source` when there is no internet.
set -euo pipefail

SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
# apt's indexes are refreshed only when a source was added or a package is
# missing, so a second run changes nothing and needs no network.
changed=

# deb822 sources: copy every "Types: deb" stanza as a "Types: deb-src" one.
if [ -d /etc/apt/sources.list.d ]; then
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		case "$f" in *tinyroot-src*) continue ;; esac
		out=/etc/apt/sources.list.d/tinyroot-src-$(basename "$f")
		[ -s "$out" ] && continue
		grep -q '^Types:.*deb-src' "$f" && continue
		awk 'BEGIN{RS="";ORS="\n\n"} /(^|\n)Types:[ \t]*deb([ \t\n]|$)/ { sub(/Types:[ \t]*deb/, "Types: deb-src"); print }' "$f" |
			$SUDO tee "$out.tmp" >/dev/null
		$SUDO mv "$out.tmp" "$out"
		changed=y
	done
fi
# One-line sources: add a deb-src twin of every deb line that has none.
if [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list; then
	if ! grep -q '^deb-src ' /etc/apt/sources.list &&
		! [ -s /etc/apt/sources.list.d/tinyroot-src.list ]; then
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list |
			$SUDO tee /etc/apt/sources.list.d/tinyroot-src.list >/dev/null
		changed=y
	fi
fi

packages=(build-essential bc flex bison libelf-dev libssl-dev libcurl4-openssl-dev
	libarchive-dev libncurses-dev cpio rsync xz-utils bzip2
	python3 python3-pytest python3-pexpect libcmocka-dev
	pkg-config dpkg-dev tmux ca-certificates file linux-source-6.1 cmake
	graphviz python3-matplotlib meson ninja-build clang-14 libclang-rt-14-dev
	ccache distcc redis-server nginx-light strace fakeroot squashfs-tools erofs-utils fdisk gdisk dosfstools mtools ovmf ovmf-ia32 zlib1g-dev autoconf automake libtool autotools-dev openssh-client
	python3-jsonschema python3-semver)
# Node.js runs the SBOM validators of the tests (support/testing/node); a
# machine that has it from elsewhere (NodeSource) keeps its own.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
# Every architecture's cross toolchain (with its g++, for C++ support) and QEMU, as its description in
# toolchain/arch/ names them (the line after the config line holds the
# default). gcc-multilib is not among them: Debian will not install it
# beside cross compilers, so i386 has a cross gcc of its own too.
arch_dir=$(cd "$(dirname "$0")/../../toolchain/arch" && pwd)
for f in "$arch_dir"/*.in; do
	packages+=($(sed -n '/^config TR_ARCH_\(TOOLCHAIN_PACKAGES\|TOOLCHAIN_CXX_PACKAGES\|QEMU_PACKAGE\)$/{n;s/^[[:space:]]*default "\(.*\)"/\1/p}' "$f"))
done
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ -z "$changed" ] && [ ${#missing[@]} -eq 0 ]; then
	echo "host packages: all installed"
else
	$SUDO apt-get update -qq
	[ ${#missing[@]} -eq 0 ] ||
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The tests' validators from the npm registry, at the versions
# package-lock.json names (into support/testing/node/node_modules).
node_dir=$(cd "$(dirname "$0")/../testing/node" && pwd)
if ! cmp -s "$node_dir/package-lock.json" "$node_dir/node_modules/.tinyroot-lock"; then
	(cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error &&
		cp package-lock.json node_modules/.tinyroot-lock)
fi
