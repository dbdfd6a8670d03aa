#!/bin/sh
# Run once after extracting the tinyroot SDK somewhere: checks that the SDK
# works from its new place and writes the Meson cross file. The compiler
# wrapper, environment-setup and the CMake toolchain file find the SDK from
# their own location; a Meson 1.0 machine file cannot, so
# share/tinyroot/cross.meson is written here from cross.meson.in with this
# folder in it (run this script again after moving the SDK).
set -e
here=$(cd "$(dirname "$0")" && pwd)
cc=$here/bin/@TUPLE@-gcc
[ -x "$cc" ] || { echo "relocate-sdk.sh: $cc missing: is this an extracted tinyroot SDK?" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <stdio.h>\nint main(void){puts("ok");return 0;}\n' > "$tmp/t.c"
if ! "$cc" -o "$tmp/t" "$tmp/t.c"; then
	echo "relocate-sdk.sh: the SDK's compiler does not work here (see above)" >&2
	exit 1
fi
case "$here" in
*[\'\\\|\&]*)
	# Meson's machine files cannot hold such a string
	echo "relocate-sdk.sh: no Meson cross file: the folder name holds ' \\ | or &" >&2 ;;
*)
	sed -e "s|@SDK_DIR@|$here|" "$here/share/tinyroot/cross.meson.in" > "$here/share/tinyroot/cross.meson.tmp"
	mv -f "$here/share/tinyroot/cross.meson.tmp" "$here/share/tinyroot/cross.meson" ;;
esac
echo "tinyroot SDK ready in $here: . $here/environment-setup"
