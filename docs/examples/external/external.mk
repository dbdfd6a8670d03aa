# Make code of the example tree beyond its package recipes (tinyroot reads
# package/*/*.mk itself: do not include them here). Empty in this example;
# TR_EXTERNAL_EXAMPLE_PATH names this folder.
