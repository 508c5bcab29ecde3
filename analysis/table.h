/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_table: the comparison of runs, first run as baseline, as one model
 * rendered four ways: terminal text (mmtests compare-kernels style), JSON,
 * CSV and a cover-letter block of at most 72 columns.
 *
 * The verdicts take the boot as the unit (analysis/boots.h): each boot is
 * one median, kernels are compared on those, and every kernel's own boots
 * split in halves say how often the method calls a kernel different from
 * itself (the A/A noise floor).
 */
#ifndef IB_TABLE_H
#define IB_TABLE_H

#include <stdio.h>

#include "boots.h"
#include "exact.h"
#include "runs.h"
#include "stats.h"

struct ib_sample_cmp {
	struct ib_summary s[IB_MAX_RUNS];	/* every value pooled */
	struct ib_boots b[IB_MAX_RUNS];		/* per boot */
	double boot_lo[IB_MAX_RUNS], boot_hi[IB_MAX_RUNS]; /* boot medians' range */
	struct ib_aa aa[IB_MAX_RUNS];		/* the run against itself */
	/* run i against run 0 (i >= 1); @comparable 0: no verdict, @why
	 * says why (ib_no_verdict_text) */
	struct ib_shift shift[IB_MAX_RUNS];
	/* instructions (IB_UNIT_INSN): the rule of analysis/exact.h, in
	 * place of the shift's test */
	struct ib_exact exact[IB_MAX_RUNS];
	int comparable[IB_MAX_RUNS];
	enum ib_why { IB_WHY_NONE, IB_WHY_OTHER_FN, IB_WHY_NO_SAMPLES } why[IB_MAX_RUNS];
	/* what every probe adds, per boot: all-probe cycles against these */
	struct ib_paired effect[IB_MAX_RUNS];
	int has_effect[IB_MAX_RUNS];
};

/*
 * One rule on every kernel: a release takes its device off its domain
 * (a detach) either by a switch of the core's (6.12 Intel: to the
 * release_domain) or inside the driver's own release_device (6.1 Intel,
 * AMD, SMMUv3, virtio-iommu: a driver-internal block).
 */
enum ib_count {
	IB_C_REL_DETACH, IB_C_REL_INTERNAL,
	IB_C_REL_SW, IB_C_REL_SW_TRACED, IB_C_REL_SW_UNTRACED,
	IB_C_REL_SW_REDUNDANT,
	IB_C_P1_SW, IB_C_P2_SW, IB_C_P2_SW_TRACED, IB_C_P2_SW_UNTRACED,
	IB_C_P2_TRANSIENT,
	IB_C_REL_INVAL, IB_C_REL_CTX,
	IB_C_NR,
};

struct ib_table {
	int nruns;
	enum ib_unit unit;		/* the runs', all one */
	struct ib_run_data *runs;
	struct ib_sample_cmp sample[IB_S_NR];
	double count[IB_C_NR][IB_MAX_RUNS];	/* per release or re-probe */
	uint64_t count_total[IB_C_NR][IB_MAX_RUNS];
	/* 0: nothing to count per (no traced cycles or no releases) */
	int count_known[IB_C_NR][IB_MAX_RUNS];
	double hits[IB_MAX_RUNS];	/* probe hits inside a release, with
					 * every probe on */
};

/*
 * Compare the @n loaded @runs, the first as baseline, into @t; @t keeps
 * @runs, which must outlive it.
 */
void ib_table_build(struct ib_table *t, struct ib_run_data *runs, int n);
/* Free what ib_table_build() allocated in @t (not its runs). */
void ib_table_free(struct ib_table *t);
/* Print @t to @f as the terminal's text (compare.txt). */
void ib_table_print(const struct ib_table *t, FILE *f);
/*
 * Write @t to @path as JSON (compare.json), atomically.
 *
 * Return: 0, or a negative errno.
 */
int ib_table_write_json(const struct ib_table *t, const char *path);
/*
 * Write @t to @path as CSV (compare.csv), atomically.
 *
 * Return: 0, or a negative errno.
 */
int ib_table_write_csv(const struct ib_table *t, const char *path);
/*
 * Print @t to @f as a block of at most 72 columns for a cover letter,
 * ending in "Reproduce: @reproduce" (@reproduce may be NULL).
 *
 * Return: 0, or -E2BIG beyond 3 runs (no more fit in 72 columns), with
 * nothing printed.
 */
int ib_table_print_cover_letter(const struct ib_table *t, FILE *f,
				const char *reproduce);

/*
 * Return: the name of sample @s: "release", "core", or the baseline
 * run's name of that phase of its mode.
 */
const char *ib_sample_name(const struct ib_table *t, enum ib_sample s);
/* Return: the unit of sample @s: "us", "ms"; "insn" on an instruction clock. */
const char *ib_sample_unit(const struct ib_table *t, enum ib_sample s);
/* A length into @buf: "12.34" as time, "6680" or "6680.5" as instructions. */
void ib_fmt_len(const struct ib_table *t, char *buf, size_t len, double v);
/*
 * Is sample @s of run @i different from the baseline's (a verdict)?
 *
 * Return: 1 if it is, 0 if not (and for the baseline, and where there is
 * no verdict).
 */
int ib_sample_differs(const struct ib_table *t, enum ib_sample s, int i);
/*
 * The label of count @c ("switches per release") into @buf; @indent:
 * "  traced" under its parent.
 *
 * Return: @buf.
 */
const char *ib_count_name(const struct ib_table *t, enum ib_count c,
			  char *buf, size_t len, int indent);
/* The JSON and CSV key of count @c into @buf. */
void ib_count_key(const struct ib_table *t, enum ib_count c, char *buf,
		  size_t len);
/* Return: what count @c is counted per: "release" or "cycle". */
const char *ib_count_per(enum ib_count c);
/* Return: ratio @ratio as a change in percent: 0.88 is -12. */
double ib_pct_of(double ratio);
/* A count per release into @buf: "1" when whole, "0.67" when not. */
void ib_fmt_count(char *buf, size_t len, double v);
/*
 * Why sample @s of run @i has no verdict, into @buf: another core
 * function, or no timed value on a side.
 *
 * Return: @buf.
 */
const char *ib_no_verdict_text(const struct ib_table *t, enum ib_sample s,
			       int i, char *buf, size_t len);
/* The method, in one line, and its reference: text and cover letter. */
extern const char ib_method_text[];

#endif
