/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_stats: what a reviewer needs to believe a latency difference: order
 * statistics, a bootstrap confidence interval of the median, the
 * Mann-Whitney U test, and a verdict that says "no significant
 * difference" when that is the truth.
 */
#ifndef IB_STATS_H
#define IB_STATS_H

#include <stddef.h>
#include <stdint.h>

struct ib_summary {
	size_t n;
	double min, max, mean, stddev;
	double median, p90, p99;
};

/*
 * Summarise @v (sorted in place).  Percentiles interpolate linearly
 * between order statistics (Hyndman & Fan type 7, R's default).  n == 0
 * gives all zeros.
 */
void ib_summary_compute(double *v, size_t n, struct ib_summary *s);
/*
 * The median of @v, which is left as it is (order matters to the
 * bootstrap).
 *
 * Return: the median (the mean of the middle two for an even @n); 0 for
 * @n 0.
 */
double ib_median(const double *v, size_t n);
/*
 * Percentile @p (0..100) of sorted @v, interpolated as
 * ib_summary_compute() does.
 *
 * Return: the percentile; 0 for @n 0.
 */
double ib_percentile_sorted(const double *v, size_t n, double p);

/* splitmix64: a small, fixed, portable generator, so a seed reproduces. */
struct ib_rng {
	uint64_t state;
};
/* Start @r at @seed. */
void ib_rng_seed(struct ib_rng *r, uint64_t seed);
/* Return: the next number of @r, uniform over all 64 bits. */
uint64_t ib_rng_next(struct ib_rng *r);

#define IB_BOOT_RESAMPLES	2000
#define IB_BOOT_SEED		20240410u	/* the date of the review */

/*
 * Percentile bootstrap 95 % CI of median(b) - median(a), resampling each
 * independently @resamples times from @seed, into *@lo and *@hi (0 and 0
 * when a side or @resamples is 0).
 */
void ib_bootstrap_diff_ci(const double *a, size_t na, const double *b,
			  size_t nb, unsigned int resamples, uint64_t seed,
			  double *lo, double *hi);

/*
 * Distribution-free CI of the median of sorted @v: [v(l), v(n+1-l)] for
 * the largest l with 2 P(B <= l-1) <= 1 - @level, B ~ Binomial(n, 1/2)
 * (Hollander, Wolfe & Chicken, sec. 3.6).
 *
 * Return: the achieved confidence (>= @level), or 0 when n is too small
 * for @level (then *lo = v[0], *hi = v[n-1] if n, else 0).
 */
double ib_median_ci_exact(const double *v, size_t n, double level,
			  double *lo, double *hi);

struct ib_mwu {
	double u;		/* U of sample a */
	double p;		/* two-sided p-value */
	int exact;		/* exact distribution (no ties, small n) */
};

/* Mann-Whitney U test of a against b, two-sided. */
void ib_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		     struct ib_mwu *res);

enum ib_verdict {
	IB_NO_DIFFERENCE,
	IB_FASTER,		/* b lower than a */
	IB_SLOWER,
};

#define IB_ALPHA 0.05

/*
 * Significant only when the rank test says so (p < IB_ALPHA) and the CI
 * of the difference of medians excludes zero; otherwise no difference.
 *
 * Return: IB_FASTER (the CI below zero), IB_SLOWER (above), or
 * IB_NO_DIFFERENCE.
 */
enum ib_verdict ib_verdict_of(const struct ib_mwu *t, double diff_lo,
			      double diff_hi);
/* Return: "faster", "slower" or "no significant difference". */
const char *ib_verdict_name(enum ib_verdict v);

#endif
