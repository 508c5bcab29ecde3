// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a trace.dat or perf.data, read as "iommu-bench
 * import" reads it (libtracecmd or perf_data.c, the run's decoder, the
 * accounting).  Seeded with the recorded fixtures; a damaged file must
 * be refused, never crash us.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[512] = "";
	struct ib_import *im;
	int fd = memfd_create("trace.dat", 0), usage;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	im = ib_import_read(path, SRCDIR "/configs/probes", NULL, &usage, err,
			    sizeof(err));
	if (!im && !err[0])
		__builtin_trap();
	ib_import_free(im);
	close(fd);
	return 0;
}
