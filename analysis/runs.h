/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_run_data: one result directory (meta.json + cycles.csv) as samples,
 * each value with the boot it was measured in: the boot is the unit of
 * every verdict.
 */
#ifndef IB_RUNS_H
#define IB_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "cycles_csv.h"
#include "probe_cost.h"

#define IB_MAX_RUNS	8

/*
 * The timed quantities a comparison has a row and a verdict for: in us
 * and ms, or every one in guest instructions (IB_UNIT_INSN).
 */
enum ib_sample {
	IB_S_RELEASE,		/* us per release: the release span */
	IB_S_CORE,		/* us per call of the kernel's core function */
	IB_S_PHASE1,		/* ms per first phase of the mode's cycle */
	IB_S_PHASE2,		/* ms per second phase */
	IB_S_NR,
};

/* One sample's values, each with its boot. */
struct ib_values {
	double *v;
	uint32_t *boot;
	size_t n;
};

struct ib_run_data {
	const char *dir;
	char label[64];
	char kernel[128];
	char release_fn[64];		/* the release span's function */
	char core_fn[64];		/* the kernel's core release function */
	char iommu[32];
	char mode[16];
	unsigned int ndevices;
	unsigned int boots;
	uint32_t cycles_per_boot;
	int lost;			/* the trace lost events */
	struct ib_row *rows;
	size_t nrows;
	enum ib_unit unit;		/* of every length: time or instructions */
	int icount_shift;		/* the lab's, or -1 */
	/* instructions: timed cycles whose span an interrupt or a task
	 * switch entered, left out of the samples, of how many */
	uint64_t disturbed, timed_cycles;
	char phase[2][16];		/* the mode's phase names */
	/*
	 * What the tables time: the spans from the cycles in which only
	 * their own two ends were armed, the phases from every cycle but
	 * those with all probes.  A run without such cycles (older, or
	 * --batches all) is timed from its all-probe cycles: @timed 0.
	 */
	struct ib_values s[IB_S_NR];
	int timed;
	/* the same from the cycles with every probe: the probe effect */
	struct ib_values probed[IB_S_NR];
	/* counts, from the traced cycles with every probe */
	uint64_t traced_cycles;
	uint64_t releases;
	uint64_t release_hits;		/* events inside those releases */
	struct ib_switch_count sw[IB_NWIN];
	uint64_t hw[IB_NWIN][IB_HW_NR];
	int32_t target;			/* release switch target over all rows */
	/* one probe hit's cost, measured in each boot: median over boots */
	struct ib_probe_cost cost;
};

/*
 * Time the release span from the cycles with every probe armed, as if
 * there were no others: to show what the probes inside it do to a
 * verdict (compare --probed).
 */
#define IB_LOAD_PROBED	(1 << 0)

/*
 * Load the result directory @dir (its meta.json and cycles.csv) into @r,
 * with @flags (IB_LOAD_*); a run whose status is not ok is refused.  @r
 * keeps @dir, which must outlive it.
 *
 * Return: 0, or a negative errno with the reason in @err: -EINVAL for a
 * missing or bad meta.json, a run not ok, no cycles; else as
 * ib_cycles_csv_read().  ib_run_free() is safe on @r either way.
 */
int ib_run_load(struct ib_run_data *r, const char *dir, unsigned int flags,
		char *err, size_t errlen);
/* Free what ib_run_load() allocated in @r and clear it. */
void ib_run_free(struct ib_run_data *r);

#endif
