/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_table: the comparison of runs, first run as baseline, as one model
 * rendered four ways: terminal text (mmtests compare-kernels style), JSON,
 * CSV and a cover-letter block of at most 72 columns.
 */
#ifndef IB_TABLE_H
#define IB_TABLE_H

#include <stdio.h>

#include "runs.h"
#include "stats.h"

enum ib_sample {
	IB_S_RELEASE,		/* us per release */
	IB_S_PHASE1,		/* ms per first phase of the mode's cycle */
	IB_S_PHASE2,		/* ms per second phase */
	IB_S_NR,
};

struct ib_sample_cmp {
	struct ib_summary s[IB_MAX_RUNS];
	/* run i against run 0 (i >= 1) */
	double diff_median[IB_MAX_RUNS];
	double diff_lo[IB_MAX_RUNS], diff_hi[IB_MAX_RUNS];
	struct ib_mwu mwu[IB_MAX_RUNS];
	enum ib_verdict verdict[IB_MAX_RUNS];
};

enum ib_count {
	IB_C_REL_SW, IB_C_REL_SW_TRACED, IB_C_REL_SW_UNTRACED,
	IB_C_REL_SW_REDUNDANT, IB_C_REL_INTERNAL,
	IB_C_P1_SW, IB_C_P2_SW, IB_C_P2_SW_TRACED, IB_C_P2_SW_UNTRACED,
	IB_C_P2_TRANSIENT,
	IB_C_REL_INVAL, IB_C_REL_CTX,
	IB_C_NR,
};

struct ib_table {
	int nruns;
	struct ib_run_data *runs;
	uint64_t seed;
	unsigned int resamples;
	struct ib_sample_cmp sample[IB_S_NR];
	double count[IB_C_NR][IB_MAX_RUNS];	/* per release or re-probe */
	uint64_t count_total[IB_C_NR][IB_MAX_RUNS];
	/* probe effect: each phase's median with probes against the run's
	 * interleaved cycles without (runs of --untraced); nbare 0: none */
	struct {
		size_t nbare;
		double change_pct[2];
		double p[2];
	} probe_effect[IB_MAX_RUNS];
};

void ib_table_build(struct ib_table *t, struct ib_run_data *runs, int n);
void ib_table_print(const struct ib_table *t, FILE *f);
int ib_table_write_json(const struct ib_table *t, const char *path);
int ib_table_write_csv(const struct ib_table *t, const char *path);
/* At most 3 runs fit in 72 columns; -E2BIG beyond. */
int ib_table_print_cover_letter(const struct ib_table *t, FILE *f,
				const char *reproduce);

/* Names take the mode's phase names from the baseline run. */
const char *ib_sample_name(const struct ib_table *t, enum ib_sample s);
const char *ib_sample_unit(enum ib_sample s);
/* "switches per release"; @indent: "  traced" under its parent */
const char *ib_count_name(const struct ib_table *t, enum ib_count c,
			  char *buf, size_t len, int indent);

#endif
