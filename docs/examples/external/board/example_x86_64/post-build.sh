#!/bin/sh
# Post-build script of the example board: $1 is the target folder, then the
# extra arguments of TR_ROOTFS_POST_SCRIPT_ARGS.
set -e
echo "post-build ran with $2 in $TR_EXTERNAL_EXAMPLE_PATH" > "$1/etc/example-post-build"
