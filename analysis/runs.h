/* SPDX-License-Identifier: GPL-2.0 */
/* ib_run_data: one result directory (meta.json + cycles.csv) as samples. */
#ifndef IB_RUNS_H
#define IB_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "../bench/cycles_csv.h"

#define IB_MAX_RUNS	8

struct ib_run_data {
	const char *dir;
	char label[64];
	char kernel[128];
	char release_fn[64];
	char iommu[32];
	char mode[16];
	unsigned int ndevices;
	unsigned int boots;
	uint32_t cycles_per_boot;
	int lost;			/* the trace lost events */
	struct ib_row *rows;
	size_t nrows;
	double *release_us;		/* per release, traced cycles */
	size_t nrelease;
	double *phase_ms[2];		/* per cycle, from the module: the
					 * probed cycles if some were */
	char phase[2][16];		/* their names */
	size_t ncycles;			/* entries of phase_ms */
	double *bare_ms[2];		/* phases of interleaved cycles run
					 * without probes (run --untraced) */
	size_t nbare;			/* 0: no probe effect measured */
	uint64_t traced_cycles;
	uint64_t releases;
	struct ib_switch_count sw[IB_NWIN];
	uint64_t hw[IB_NWIN][IB_HW_NR];
	int32_t target;			/* release switch target over all rows */
};

/* Load @dir; a run whose status is not ok is refused. */
int ib_run_load(struct ib_run_data *r, const char *dir, char *err,
		size_t errlen);
void ib_run_free(struct ib_run_data *r);

#endif
