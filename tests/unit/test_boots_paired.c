// SPDX-License-Identifier: GPL-2.0
/*
 * A within-boot effect over boots (probes on against off): the exact
 * signed-rank test with its Hodges-Lehmann interval.  Reference values
 * were computed independently in Python 3.11 (SciPy 1.10, NumPy 1.24):
 * Walsh averages enumerated, null distributions by enumerating every
 * sign pattern (exact integers), p-values from scipy.stats.wilcoxon
 * (method='exact').
 */
#include <errno.h>

#include "boots_data.h"
#include "tap.h"

static const double w6[] = { 105, 110, 103, 108, 112, 101 };
static const double w9[] = { 104.1, 98.7, 111.2, 102.5, 107.9, 96.4, 105.3, 109.8, 101.6 };
static const double wo9[] = { 100.0, 99.5, 103.1, 100.2, 101.0, 98.9, 100.7, 102.2, 103.0 };
static const double base[9] = { 100, 100, 100, 100, 100, 100, 100, 100, 100 };

static void every_boot_slower(void)
{
	struct ib_paired p;

	is_int(ib_paired_compare(w6, base, 6, &p), 0, "paired, 6 boots");
	ok(p.t == 0 && near(p.p, 2.0 / 64, 1e-15),
	   "every ratio > 1: T = 0, p = 2/64 (%g)", p.p);
	ok(p.verdict == IB_SLOWER && near(p.lo, 1.01, 1e-12) && near(p.hi, 1.12, 1e-12),
	   "slower; k = 0: CI [min, max] = [1.01, 1.12]");
}

static void paired_estimate(void)
{
	struct ib_paired p;

	ib_paired_compare(w6, base, 6, &p);
	ok(near(p.ratio, 1.06442472725881, 1e-12) && near(p.conf, 0.96875, 1e-15),
	   "HL (Walsh median) 1.064425, confidence 62/64");
	ok(near(p.ratio_min, 1.01, 1e-12) && near(p.ratio_max, 1.12, 1e-12),
	   "per-boot ratios 1.01..1.12");
}

static void paired_swapped(void)
{
	struct ib_paired p;

	ib_paired_compare(base, w6, 6, &p);
	ok(p.verdict == IB_FASTER && p.hi < 1, "swapped: faster");
}

static void five_boots_undecidable(void)
{
	struct ib_paired p;

	ib_paired_compare(w6, base, 5, &p);
	ok(!p.decidable && near(p.min_p, 1.0 / 16, 1e-15) && near(p.p, 1.0 / 16, 1e-15),
	   "5 boots: min_p = 2/32 = 1/16, cannot decide");
	ok(p.verdict == IB_NO_DIFFERENCE && p.lo == 0 && isinf(p.hi),
	   "... no difference, CI [0, inf]");
}

static void nine_boots_reference(void)
{
	struct ib_paired p;

	ib_paired_compare(w9, wo9, 9, &p);
	ok(p.t == 7 && near(p.p, 0.07421875, 1e-15),
	   "9 boots: T- = 7, p 0.0742 as scipy wilcoxon exact (%.15g)", p.p);
	ok(near(p.ratio, 1.03145741573677, 1e-12) && near(p.lo, 0.991959798994975, 1e-12) &&
	   near(p.hi, 1.06831683168317, 1e-12) && near(p.conf, 0.9609375, 1e-15),
	   "HL 1.031457, CI [0.991960, 1.068317] of confidence 1 - 2*10/512");
	ok(p.verdict == IB_NO_DIFFERENCE, "CI holds 1: no difference");
}

static void zero_median_refused(void)
{
	double zero[9] = { 0, 100, 100, 100, 100, 100, 100, 100, 100 };
	struct ib_paired p;

	is_int(ib_paired_compare(w6, zero, 6, &p), -EINVAL, "a median of 0 is refused");
}

static void random_paired_agreement(void)
{
	double x[20], y[20];
	unsigned int disagree = 0, i;
	struct ib_paired p;
	struct ib_rng r;
	size_t j;

	ib_rng_seed(&r, 99);
	for (i = 0; i < 2000; i++) {
		size_t n = 1 + ib_rng_next(&r) % 20;
		double eff = 0.05 * gauss(&r);

		for (j = 0; j < n; j++) {
			y[j] = 100 * exp(0.1 * gauss(&r));
			x[j] = y[j] * exp(eff + 0.05 * gauss(&r));
		}
		ib_paired_compare(x, y, n, &p);
		disagree += (p.p < IB_ALPHA) != excludes_one(p.lo, p.hi);
		disagree += (p.verdict != IB_NO_DIFFERENCE) != (p.p < IB_ALPHA);
		disagree += p.decidable && (p.conf < 0.95 || p.ratio < p.lo || p.ratio > p.hi);
	}
	is_int(disagree, 0,
	       "2000 random paired designs of 1..20 boots: p < 0.05 iff the CI excludes 1");
}

static const struct tap_case cases[] = {
	TAP_CASE(every_boot_slower),
	TAP_CASE(paired_estimate),
	TAP_CASE(paired_swapped),
	TAP_CASE(five_boots_undecidable),
	TAP_CASE(nine_boots_reference),
	TAP_CASE(zero_median_refused),
	TAP_CASE(random_paired_agreement),
};

TAP_MAIN(cases)
