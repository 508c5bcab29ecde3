/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_import: a trace.dat read with libtracecmd, or a perf.data's
 * tracepoint samples (perf_data.h), decoded by the run's own decoder and
 * accounted: what "iommu-bench import" writes out, and what
 * the trace fuzz target feeds garbage to.
 */
#ifndef IB_IMPORT_H
#define IB_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "perf_data.h"
#include "probe_pack.h"

struct ib_import {
	struct ib_account *acc;
	struct ib_probeset *ps;		/* core + the pack the file matches */
	const char *release_probe;	/* release probe present, or NULL */
	uint64_t records;
	uint64_t missed;		/* records flagged after lost events */
	uint64_t *cpu_records;		/* [ncpus] */
	int ncpus;
	long long mode;			/* from iommu_bench:run_start, -1 */
	char driver[64];		/* the driver pack found ("" none) */
	int has_attach;			/* iommu:attach_device_to_domain in it */
	int perf;			/* read from a perf.data */
	struct ib_perf_info perf_info;	/* ... its header and losses */
};

/*
 * Read and account @file with the packs of @probes_dir, by their rules
 * for kernel @release (NULL: unknown; ib_probeset_set_release).  *@usage
 * says whether a failure was a bad pack (1) rather than a bad file (0).
 *
 * Return: the import (ib_import_free() it), or NULL with errno EINVAL and
 * the reason in @err when the file is not a readable trace.dat or
 * perf.data, has no cycle of the module, or a pack is bad.
 */
struct ib_import *ib_import_read(const char *file, const char *probes_dir,
				 const char *release, int *usage, char *err,
				 size_t errlen);
/* Free @im, its accounting and probe set; NULL is ignored. */
void ib_import_free(struct ib_import *im);

#endif
