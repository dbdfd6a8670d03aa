#!/bin/sh
# Run once after extracting the tinyroot SDK somewhere: checks that the SDK
# works from its new place. Nothing in it names the folder it was built or
# extracted in (the compiler wrapper, environment-setup, the CMake toolchain
# file and the Meson cross file all find the SDK from their own location), so
# there is nothing to rewrite; the check is what is left.
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
echo "tinyroot SDK ready in $here: . $here/environment-setup"
