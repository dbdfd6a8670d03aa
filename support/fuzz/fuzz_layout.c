/* A disk layout in genimage's format in: read it (support/helper/layout.h). */
#include "../helper/layout.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct layout l;
	layout_read(fuzz_file("genimage.cfg", data, size), &l);
	return 0;
}
