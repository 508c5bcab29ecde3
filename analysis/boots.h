/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_boots: kernels compared with the boot as the unit.  Releases of one
 * boot share that boot's state (boots of one kernel differ by up to 40 %
 * in median), so they are not independent samples of the kernel.  Each
 * boot is summarised by the median of its values, and kernels are
 * compared on the log of those medians with exact distribution-free
 * methods whose test and confidence interval agree by construction
 * (Hollander, Wolfe & Chicken, Nonparametric Statistical Methods, 3rd
 * ed., sections 3.1-3.3 and 4.1-4.3).
 */
#ifndef IB_BOOTS_H
#define IB_BOOTS_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h"

/* ib_shift_mde(): normal draws per design, and their seed */
#define IB_MDE_DRAWS		4000
#define IB_MDE_SEED		IB_BOOT_SEED
#define IB_MDE_POWER		0.80
/* ib_aa_noise(): splits enumerated up to this many, else sampled */
#define IB_AA_MAX_SPLITS	200000UL
#define IB_AA_SEED		IB_BOOT_SEED

/* One kernel's values grouped by boot. */
struct ib_boots {
	size_t nboots;
	uint32_t *boot;		/* boot ids, ascending */
	double *median;		/* per boot: median of its values */
	size_t *n;		/* per boot: number of values */
	size_t nvalues;
	double between_sd;	/* sample SD of log(boot medians), natural
				 * log; 0 if fewer than 2 boots */
	double within_sd;	/* pooled SD of log(value) around its boot's
				 * mean log, weighted by each boot's n - 1;
				 * 0 if no boot has 2 values */
};

/**
 * ib_boots_init - group values by the boot they were measured in
 * @b: filled; release with ib_boots_free() (also after an error)
 * @v: the values, all > 0 (they are compared as logarithms)
 * @boot: @boot[i] is the id of the boot that measured @v[i]
 * @n: number of values; 0 gives no boots
 *
 * A boot with no value is absent, so boot ids need not be dense.
 *
 * Return: 0, or -EINVAL when a value is not > 0 (NaN included) or an
 * array is NULL with @n > 0; @b then holds no boots.
 */
int ib_boots_init(struct ib_boots *b, const double *v, const uint32_t *boot,
		  size_t n);

/**
 * ib_boots_free - release what ib_boots_init() allocated
 * @b: grouped values; left empty, so a second call is harmless
 */
void ib_boots_free(struct ib_boots *b);

/* b against a: see ib_shift_compare() */
struct ib_shift {
	size_t na, nb;		/* boots */
	double u;		/* #{pairs with b_j < a_i}, a tie 1/2 */
	double ratio;		/* exp(Hodges-Lehmann estimate): exp of the
				 * median over all na * nb pairs of
				 * log(b_j / a_i); NAN without pairs */
	double lo, hi;		/* CI of the ratio, from the same exact
				 * distribution as p */
	double conf;		/* achieved confidence of [lo, hi], >= 1 -
				 * IB_ALPHA (0.968 for 5 vs 5) */
	double p;		/* exact two-sided rank-sum p */
	double min_p;		/* the smallest p this design can give:
				 * 2 / C(na + nb, na), capped at 1 */
	int decidable;		/* min_p < IB_ALPHA */
	enum ib_verdict verdict;/* IB_FASTER if hi < 1, IB_SLOWER if lo > 1 */
	double mde;		/* ib_shift_mde() for these boots, 0.12 is
				 * 12 %; INFINITY if not decidable or no
				 * side has 2 boots */
};

/**
 * ib_shift_compare - compare kernel @b against kernel @a by boot medians
 * @a: baseline kernel's boots
 * @b: other kernel's boots
 * @s: result
 *
 * Works on x_i = log(a's boot medians), y_j = log(b's), and the na * nb
 * pairwise differences D = y_j - x_i, sorted.  U = #{D < 0} + #{D = 0} / 2
 * is the Wilcoxon-Mann-Whitney count; its exact null distribution without
 * ties gives P0.  k is the largest integer with 2 P0(U <= k) < IB_ALPHA,
 * and the interval is Moses' [D_(k+1), D_(na nb - k)] (1-based, then exp),
 * of confidence 1 - 2 P0(U <= k); p = min(1, 2 P0(U <= u')) where u' is
 * min(U, na nb - U), rounded up when ties made it a half.  The estimate
 * is exp(median of D), as R's wilcox.test(conf.int = TRUE) gives it.
 *
 * Without ties between a's and b's medians, p < IB_ALPHA exactly when
 * [lo, hi] excludes 1.  A tie is a zero difference, which the closed
 * interval keeps: then an interval that excludes 1 still implies
 * p < IB_ALPHA, but p may fall below IB_ALPHA with 1 still inside; the
 * verdict follows the interval (computed on D itself, so rounding in
 * exp() cannot move it).  When na * nb is 0 or the design cannot reach
 * p < IB_ALPHA (!decidable), lo = 0, hi = INFINITY, conf = 1 and the
 * verdict is IB_NO_DIFFERENCE.
 *
 * @s->mde is ib_shift_mde(na, nb, sd) with sd the between-boot SD of the
 * two kernels pooled, sqrt(((na-1) sa^2 + (nb-1) sb^2) / (na + nb - 2)),
 * or INFINITY when neither side has 2 boots.
 *
 * The null distribution takes (nb + 1)(na nb + 1) doubles and time to
 * match: 2 MB and a few ms at 64 boots a side.
 */
void ib_shift_compare(const struct ib_boots *a, const struct ib_boots *b,
		      struct ib_shift *s);

/**
 * ib_shift_test - ib_shift_compare() without the detectable effect
 * @a: baseline kernel's boots
 * @b: other kernel's boots
 * @s: result, all but @s->mde, which is NAN
 *
 * The same test, estimate and interval, in well under a millisecond for
 * a few dozen boots; the mde's simulation takes a few ms (0.2 s at 64
 * boots a side), which counts when comparing thousands of times.
 */
void ib_shift_test(const struct ib_boots *a, const struct ib_boots *b,
		   struct ib_shift *s);

/**
 * ib_shift_mde - the smallest change this comparison detects reliably
 * @na: boots of the baseline
 * @nb: boots of the other kernel
 * @sd: SD of the log boot medians (the same on both sides)
 *
 * The relative increase, exp(delta) - 1, at which ib_shift_compare()
 * says IB_SLOWER with probability IB_MDE_POWER (80 %), when the log boot
 * medians are normal with SD @sd and b's are shifted by delta (a
 * decrease by 1 - exp(-delta) is detected as often).  Simulated with
 * IB_MDE_DRAWS draws from seed IB_MDE_SEED, so it reproduces: per draw
 * at delta = 0, the test says slower for every shift above -D_(k+1), and
 * delta is the 80 % quantile of those thresholds.
 *
 * Return: that relative increase (0.12 is 12 %); INFINITY when the
 * design is not decidable or @sd is not a finite number >= 0, and 0 when
 * @sd is 0.
 */
double ib_shift_mde(size_t na, size_t nb, double sd);

/* A paired within-boot effect: see ib_paired_compare() */
struct ib_paired {
	size_t nboots;
	double t;		/* #{Walsh averages < 0}, a zero 1/2 */
	double ratio;		/* exp(median of the Walsh averages) */
	double lo, hi;		/* its exact CI, same distribution as p */
	double conf;		/* achieved confidence of [lo, hi] */
	double p;		/* exact two-sided signed-rank p */
	double min_p;		/* 2 / 2^n, capped at 1 */
	int decidable;		/* min_p < IB_ALPHA */
	enum ib_verdict verdict;/* IB_SLOWER if lo > 1: "with" is slower;
				 * IB_FASTER if hi < 1 */
	double ratio_min, ratio_max;	/* range of the per-boot ratios */
};

/**
 * ib_paired_compare - a within-boot effect over boots (e.g. probes on/off)
 * @with: @with[i] is boot i's median with the change (> 0)
 * @without: @without[i] is the same boot's median without it (> 0)
 * @n: boots
 * @p: result
 *
 * Per boot d_i = log(@with[i] / @without[i]); across boots the exact
 * Wilcoxon signed-rank test on d, with the Hodges-Lehmann estimate (the
 * median of the n(n+1)/2 Walsh averages (d_i + d_j) / 2, i <= j) and
 * Tukey's exact interval [W_(k+1), W_(M-k)], M = n(n+1)/2, k the largest
 * with 2 P0(T <= k) < IB_ALPHA.  T = #{W < 0} + #{W = 0} / 2, which is
 * the signed-rank sum of the negative d_i when there are no zeros or ties
 * in |d|.  Test and interval agree as in ib_shift_compare(), with the
 * same rule for ties and for designs that cannot decide (n <= 5).
 *
 * Return: 0, or -EINVAL when a median is not > 0 or an array is NULL
 * with @n > 0 (@p then says no difference, p = 1).
 */
int ib_paired_compare(const double *with, const double *without, size_t n,
		      struct ib_paired *p);

/* How often a kernel is called different from itself. */
struct ib_aa {
	size_t boots;		/* m */
	size_t size1, size2;	/* the halves: floor(m/2), ceil(m/2) */
	unsigned long splits;	/* evaluated */
	unsigned long different;/* verdict != IB_NO_DIFFERENCE */
	double rate;		/* different / splits; 0 without splits */
	int decidable;		/* the halves can reach p < IB_ALPHA */
};

/**
 * ib_aa_noise - A/A noise floor of ib_shift_compare() on one kernel
 * @b: the kernel's boots (only nboots and median are read)
 * @aa: result
 *
 * Every choice of size1 = floor(m/2) boots as "a", the other size2 as
 * "b", is compared by ib_shift_test(): C(m, size1) splits, so for even
 * m each unordered split counts twice, once each way round (the verdict
 * is symmetric, so the rate is the same as counting it once), and for
 * odd m once, the smaller half as "a".  Above IB_AA_MAX_SPLITS splits,
 * that many are drawn at random (seed IB_AA_SEED; each a uniform split,
 * so one may repeat).  All splits are the exact permutation
 * distribution of U, so without ties among the boot medians the rate is
 * the test's size 2 P0(U <= k) <= IB_ALPHA exactly (8/252 for 10 boots,
 * 642/12870 for 16), and ties only lower it.  Fewer than 2 boots: no
 * splits.  16 boots take about 30 ms, 200000 sampled splits 1-1.5 s.
 */
void ib_aa_noise(const struct ib_boots *b, struct ib_aa *aa);

/**
 * ib_aa_noise_pooled - the same for the old method, on pooled releases
 * @v: the values (any sign: they are not logged)
 * @boot: @boot[i] is the id of the boot that measured @v[i]
 * @n: number of values
 * @max_splits: all C(m, floor(m/2)) splits if there are at most this
 *	many, else this many drawn at random as in ib_aa_noise()
 * @aa: result
 *
 * The halves are split by boot as in ib_aa_noise(), but each half's
 * *values* are pooled and called different exactly as analysis/table.c
 * does: ib_verdict_of() on ib_mann_whitney() and ib_bootstrap_diff_ci()
 * (IB_BOOT_RESAMPLES, IB_BOOT_SEED), the values of a half in the order
 * of their boot ids, then of @v.  The bootstrap is made only when
 * p < IB_ALPHA, as the verdict needs it only then.  A split costs a
 * Mann-Whitney test (70 ms when exact, up to 10000 pairs; well under a
 * ms beyond) and maybe a bootstrap (26 ms at 120 values a half): keep
 * @max_splits small.  @decidable: an evaluated split's smallest exact
 * p, 2 / C(na + nb, na), is below IB_ALPHA.  NULL arrays: no splits.
 */
void ib_aa_noise_pooled(const double *v, const uint32_t *boot, size_t n,
			unsigned long max_splits, struct ib_aa *aa);

#endif
