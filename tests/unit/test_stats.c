// SPDX-License-Identifier: GPL-2.0
/* Order statistics against values computed by hand (R type 7). */
#include <math.h>

#include "stats.h"
#include "tap.h"

#define near(a, b) (fabs((a) - (b)) < 1e-9)

static void percentiles(void)
{
	double ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	struct ib_summary s;

	ib_summary_compute(ten, 10, &s);
	ok(near(s.median, 5.5), "median of 1..10 is 5.5 (%g)", s.median);
	ok(near(s.p90, 9.1), "p90 of 1..10 is 9.1 (%g)", s.p90);
	ok(near(s.p99, 9.91), "p99 of 1..10 is 9.91 (%g)", s.p99);
	ok(s.min == 1 && s.max == 10 && ten[0] == 1, "min, max, sorted in place");
}

static void mean_and_stddev(void)
{
	double sd[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct ib_summary s;

	ib_summary_compute(sd, 8, &s);
	ok(near(s.mean, 5), "mean 5");
	ok(fabs(s.stddev - 2.138089935) < 1e-6, "sample stddev 2.1381 (%g)", s.stddev);
	ok(near(s.median, 4.5), "even n median interpolates");
}

static void one_value_and_none(void)
{
	double one[] = { 42 };
	struct ib_summary s;

	ib_summary_compute(one, 1, &s);
	ok(s.n == 1 && s.median == 42 && s.p99 == 42 && s.stddev == 0,
	   "single value");
	ib_summary_compute(NULL, 0, &s);
	ok(s.n == 0 && s.median == 0, "empty sample is all zero");
}

static void percentile_ends(void)
{
	ok(near(ib_percentile_sorted((double[]){ 1, 2 }, 2, 0), 1), "p0 is min");
	ok(near(ib_percentile_sorted((double[]){ 1, 2 }, 2, 100), 2), "p100 is max");
}

/*
 * Mann-Whitney U: p-values computed independently by enumerating every
 * split of the pooled sample (a permutation test).
 */
static void mwu_separated(void)
{
	double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
	struct ib_mwu t;

	ib_mann_whitney(a, 5, b, 5, &t);
	ok(t.u == 0 && t.exact, "separated samples: U = 0, exact");
	ok(near(t.p, 2.0 / 252), "... p = 2/C(10,5) = 0.00794 (%g)", t.p);
	ib_mann_whitney(b, 5, a, 5, &t);
	ok(t.u == 25 && near(t.p, 2.0 / 252), "swapped: U = 25, same p");
}

static void mwu_exact_p(void)
{
	double c[] = { 1.1, 2.3, 3.5, 4.0, 6.2, 7.7 };
	double d[] = { 2.0, 5.1, 6.0, 8.3, 9.9, 10.4, 11.0 };
	struct ib_mwu t;

	ib_mann_whitney(c, 6, d, 7, &t);
	ok(t.u == 9, "U = 9 (%g)", t.u);
	ok(fabs(t.p - 0.10139860139860139) < 1e-9,
	   "exact p = 0.1014 as by enumeration (%g)", t.p);
}

static void mwu_ties(void)
{
	double e[] = { 1, 2, 2, 3, 3, 3, 4, 5, 5, 6 };
	double f[] = { 3, 4, 4, 5, 6, 6, 7, 7, 8, 9 };
	struct ib_mwu t;

	ib_mann_whitney(e, 10, f, 10, &t);
	ok(t.u == 15.5 && !t.exact, "ties: mid-ranks, U = 15.5, normal approximation");
	ok(fabs(t.p - 0.009495856104837136) < 1e-9,
	   "tie-corrected normal p = 0.0095 (%g)", t.p);
	ok(fabs(t.p - 0.0075126) < 0.003,
	   "... close to the permutation p 0.0075");
}

static void mwu_identical(void)
{
	double a[] = { 1, 2, 3, 4, 5 };
	struct ib_mwu t;

	ib_mann_whitney(a, 5, a, 5, &t);
	ok(t.p > 0.99, "identical samples: p = 1 (%g)", t.p);
	ok(ib_verdict_of(&t, -1, 1) == IB_NO_DIFFERENCE, "... no significant difference");
}

/* 50 values and the same 30 lower; their difference's CI, seed 7 */
static void shifted_samples(double *v, double *w, double *lo, double *hi)
{
	int i;

	for (i = 0; i < 50; i++) {
		v[i] = 100 + (i * 37 % 50);
		w[i] = v[i] - 30;
	}
	ib_bootstrap_diff_ci(v, 50, w, 50, 2000, 7, lo, hi);
}

/* Bootstrap CI: reproducible by seed, brackets the median. */
static void bootstrap_ci(void)
{
	double v[50], w[50], lo, hi, lo2, hi2, k[10];
	int i;

	shifted_samples(v, w, &lo, &hi);
	ib_bootstrap_diff_ci(v, 50, w, 50, 2000, 7, &lo2, &hi2);
	ok(lo == lo2 && hi == hi2, "same seed, same CI [%g, %g]", lo, hi);
	for (i = 0; i < 10; i++)
		k[i] = 3;
	ib_bootstrap_diff_ci(k, 10, k, 10, 500, 1, &lo2, &hi2);
	ok(lo2 == 0 && hi2 == 0, "constant samples: the difference CI is the point 0");
	ok(lo <= -30 && hi >= -30 && hi < 0, "difference CI [%g, %g] holds -30, excludes 0", lo, hi);
}

static void verdict_of_test_and_ci(void)
{
	double v[50], w[50], lo, hi;
	struct ib_mwu t;

	shifted_samples(v, w, &lo, &hi);
	ib_mann_whitney(v, 50, w, 50, &t);
	ok(ib_verdict_of(&t, lo, hi) == IB_FASTER, "lower second sample: faster (p %g)", t.p);
	ib_mann_whitney(w, 50, v, 50, &t);
	ok(ib_verdict_of(&t, 30 - 5, 30 + 5) == IB_SLOWER, "higher: slower");
	ok(ib_verdict_of(&t, -1, 5) == IB_NO_DIFFERENCE,
	   "CI through zero: no difference whatever p says");
}

/*
 * The median's order-statistic CI: l from Binomial(n, 1/2) tails, checked
 * by summing the binomial pmf in Python.
 */
static void median_ci_exact(void)
{
	double v[100], lo, hi, got;
	int i;

	for (i = 0; i < 100; i++)
		v[i] = i + 1;
	got = ib_median_ci_exact(v, 100, 0.95, &lo, &hi);
	ok(lo == 40 && hi == 61 && fabs(got - 0.9648) < 1e-4,
	   "n 100: [x(40), x(61)] at 96.48%% (%g, %g, %g)", lo, hi, got);
	got = ib_median_ci_exact(v, 6, 0.95, &lo, &hi);
	ok(lo == 1 && hi == 6 && fabs(got - 0.96875) < 1e-9,
	   "n 6: the extremes, at 1 - 2/64");
	ok(ib_median_ci_exact(v, 5, 0.95, &lo, &hi) == 0 && lo == 1 && hi == 5,
	   "n 5 cannot reach 95%%: 0, and the range");
}

static const struct tap_case cases[] = {
	TAP_CASE(percentiles),
	TAP_CASE(mean_and_stddev),
	TAP_CASE(one_value_and_none),
	TAP_CASE(percentile_ends),
	TAP_CASE(mwu_separated),
	TAP_CASE(mwu_exact_p),
	TAP_CASE(mwu_ties),
	TAP_CASE(mwu_identical),
	TAP_CASE(bootstrap_ci),
	TAP_CASE(verdict_of_test_and_ci),
	TAP_CASE(median_ci_exact),
};

TAP_MAIN(cases)
