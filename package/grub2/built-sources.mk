# Read after grub-core's own Makefile (make -f Makefile -f this file): a
# target for the files automake makes first in `make all` (BUILT_SOURCES:
# the script parser from bison and flex, generated tables, ...), which a
# make of named targets alone skips, though objects include them.
tinyroot-built-sources: $(BUILT_SOURCES)
.PHONY: tinyroot-built-sources
