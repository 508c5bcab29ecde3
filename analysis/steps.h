/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_steps: a patch series measured step by step (base, +1, +1+2, ...),
 * each step against the one before it, so that every change in a count,
 * a release target or a latency is put on the patch that made it.  The
 * text is a block of at most 72 columns for a cover letter.
 */
#ifndef IB_STEPS_H
#define IB_STEPS_H

#include <stdio.h>

#include "table.h"

#define IB_STEPS_MAX		IB_MAX_RUNS	/* base and up to 7 patches */
#define IB_STEPS_MAX_EXP	8		/* experiments of one run */
#define IB_STEPS_MAX_CLOCKS	2		/* a TCG run and an icount run */

/* One experiment of one run directory: its merged result per step. */
struct ib_steps_exp {
	char name[64];
	struct ib_run_data runs[IB_STEPS_MAX];
	/* step k against step k - 1 (k >= 1): tables of two runs */
	struct ib_table pair[IB_STEPS_MAX];
	char *dirs[IB_STEPS_MAX];	/* the runs' directories (runs[].dir) */
	int nloaded, npairs;	/* runs and pairs to free */
};

struct ib_steps;

/**
 * ib_steps_load - load every experiment of run directories, per step
 * @st: filled; free with ib_steps_free() (also after an error)
 * @runs: run directories of lab/run-experiment.sh (RUN/EXP/KERNEL/)
 * @nruns: 1 or 2 (one per clock)
 * @steps: the kernels of the series, base first
 * @nsteps: 2 to IB_STEPS_MAX
 * @allow_lost: use runs whose trace lost events
 *
 * An experiment is a subdirectory of a run that holds every step.
 *
 * Return: 0, or a negative errno with the reason in @err: -EINVAL (runs
 * or steps out of range, too many experiments, a step of another mode
 * or clock, lost events, two runs on one clock), -ENOENT (an experiment
 * without every step, or none), a run directory's errno, or
 * ib_run_load()'s.
 */
int ib_steps_load(struct ib_steps **st, char *const *runs, int nruns,
		  char *const *steps, int nsteps, int allow_lost, char *err,
		  size_t errlen);
/* Free @st and every run and table it loaded; NULL is ignored. */
void ib_steps_free(struct ib_steps *st);

/**
 * ib_steps_print - the per-patch block
 * @st: loaded steps
 * @subjects: one line per step (the base's first), or NULL: names
 * @npatches: the series' length, when only its first steps were
 *	measured (a later one failed); 0: the steps given
 * @f: where to
 */
void ib_steps_print(const struct ib_steps *st, char *const *subjects,
		    int npatches, FILE *f);

#endif
