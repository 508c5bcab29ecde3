// SPDX-License-Identifier: GPL-2.0
/*
 * Two kernels' boots compared: the exact rank-sum test with its
 * Hodges-Lehmann interval.  Reference values were computed independently
 * in Python 3.11 (SciPy 1.10, NumPy 1.24): pairwise differences
 * enumerated, null distributions by enumerating every split (exact
 * integers), p-values from scipy.stats.mannwhitneyu (method='exact').
 * Every interval was also checked by inverting that SciPy test: shifting
 * b by just inside an end gives p >= 0.05, just outside p < 0.05.
 */
#include "boots_data.h"
#include "stats.h"
#include "tap.h"

/* 5 vs 5 boots, every b below every a; @swapped: b against a */
static void separated(struct ib_shift *s, int swapped)
{
	double ma[] = { 100, 104, 98, 110, 102 }, mb[] = { 90, 85, 93, 88, 91 };
	struct ib_boots a, b;

	boots_of(&a, ma, 5);
	boots_of(&b, mb, 5);
	if (swapped)
		ib_shift_compare(&b, &a, s);
	else
		ib_shift_compare(&a, &b, s);
	ib_boots_free(&a);
	ib_boots_free(&b);
}

static void separated_test(void)
{
	struct ib_shift s;

	separated(&s, 0);
	ok(s.na == 5 && s.nb == 5 && s.u == 25, "5 vs 5, every b below every a: U = 25");
	ok(near(s.p, 2.0 / 252, 1e-15), "p = 2/C(10,5) = 0.00794 (%g)", s.p);
	ok(near(s.min_p, 2.0 / 252, 1e-15) && s.decidable, "min_p 2/252, decidable");
}

static void separated_interval(void)
{
	struct ib_shift s;

	separated(&s, 0);
	ok(s.verdict == IB_FASTER && s.hi < 1, "faster: CI [%g, %g] below 1", s.lo, s.hi);
	/* k = 2: [D_(3), D_(23)] of the 25 sorted log(b_j / a_i) */
	ok(near(s.lo, 0.817307692307693, 1e-12) && near(s.hi, 0.928571428571428, 1e-12),
	   "CI [85/104, 91/98] by enumeration");
	ok(near(s.ratio, 0.875, 1e-12), "HL ratio 0.875 = 91/104 (%.15g)", s.ratio);
	ok(near(s.conf, 244.0 / 252, 1e-12),
	   "achieved confidence 1 - 2*4/252 = 0.9683 (%g)", s.conf);
}

static void separated_swapped(void)
{
	struct ib_shift s;

	separated(&s, 1);
	ok(s.u == 0 && near(s.p, 2.0 / 252, 1e-15) && s.verdict == IB_SLOWER,
	   "swapped: U = 0, same p, slower");
	ok(near(s.lo, 1 / 0.928571428571428, 1e-12) &&
	   near(s.hi, 1 / 0.817307692307693, 1e-12) && near(s.ratio, 1 / 0.875, 1e-12),
	   "swapped: CI and ratio are the reciprocals");
}

/* 6 boots against 7: @overlapping: against medians around a's */
static void six_vs_seven(struct ib_shift *s, int overlapping)
{
	double ma[] = { 101.3, 95.2, 110.8, 99.1, 104.6, 97.7 };
	double mb[] = { 92.4, 88.1, 97.0, 90.5, 94.3, 86.9, 99.8 };
	double mc[] = { 98.4, 93.1, 102.0, 96.5, 106.3, 91.9, 99.8 };
	struct ib_boots a, b;

	boots_of(&a, ma, 6);
	boots_of(&b, overlapping ? mc : mb, 7);
	ib_shift_compare(&a, &b, s);
	ib_boots_free(&a);
	ib_boots_free(&b);
}

/*
 * 6 vs 7: k = 6, the 7th smallest and 7th largest of the 42 sorted
 * log(b_j / a_i), by enumeration in Python.  R's wilcox.test(log(b),
 * log(a), conf.int = TRUE, exact = TRUE) takes the same order
 * statistics (qwilcox(0.025, 7, 6) = k + 1); R was not run here.
 */
static void reference_test(void)
{
	struct ib_shift s;

	six_vs_seven(&s, 0);
	ok(s.u == 38, "6 vs 7: U = 38 (%g)", s.u);
	ok(near(s.p, 0.013986013986014, 1e-12),
	   "p 0.013986 as scipy mannwhitneyu exact (%.15g)", s.p);
}

static void reference_interval(void)
{
	struct ib_shift s;

	six_vs_seven(&s, 0);
	ok(near(s.ratio, 0.913017026065008, 1e-12), "HL ratio 0.913017 (%.15g)", s.ratio);
	ok(near(s.lo, 0.851083032490975, 1e-12) && near(s.hi, 0.985192497532083, 1e-12),
	   "CI [0.851083, 0.985192] (%.15g, %.15g)", s.lo, s.hi);
	ok(near(s.conf, 0.965034965034965, 1e-12), "confidence 1 - 2*30/1716 = 0.965035");
	ok(s.verdict == IB_FASTER, "faster");
}

static void reference_overlapping(void)
{
	struct ib_shift s;

	six_vs_seven(&s, 1);
	ok(near(s.p, 0.445221445221445, 1e-12) && s.u == 27,
	   "overlapping 6 vs 7: U = 27, p 0.445221 (%.15g)", s.p);
	ok(near(s.ratio, 0.972567283179847, 1e-12) &&
	   near(s.lo, 0.90072202166065, 1e-12) && near(s.hi, 1.04401228249744, 1e-12),
	   "HL 0.972567, CI [0.900722, 1.044012] holds 1");
	ok(s.verdict == IB_NO_DIFFERENCE, "no difference");
}

/* One random data set of na vs nb boot medians; @ties: on a coarse grid. */
static void random_pair(struct ib_rng *r, double *ma, size_t na, double *mb,
			size_t nb, int ties)
{
	double shift = 0.15 * gauss(r);
	size_t j;

	for (j = 0; j < na; j++)
		ma[j] = 100 * exp(0.1 * gauss(r));
	for (j = 0; j < nb; j++)
		mb[j] = 100 * exp(shift + 0.1 * gauss(r));
	if (ties)
		for (j = 0; j < 12; j++) {
			ma[j] = 90 + round(ma[j] / 10) * 10;
			mb[j] = 90 + round(mb[j] / 10) * 10;
		}
}

/* Checks one design's result; counts what is wrong. */
struct agree {
	unsigned int sets, disagree, mwu_off, bad_conf, outside, decided;
	unsigned int not_same;
};

static void check_shift(struct agree *ag, const double *ma, size_t na,
			const double *mb, size_t nb, int ties, int with_mde)
{
	struct ib_shift s, c;
	struct ib_boots a, b;
	struct ib_mwu t;

	boots_of(&a, ma, na);
	boots_of(&b, mb, nb);
	ib_shift_test(&a, &b, &s);
	ag->sets++;
	if (ties) {
		/* the closed interval keeps a zero difference: it may hold 1
		 * when p < alpha, but never exclude it when p is not */
		ag->disagree += excludes_one(s.lo, s.hi) && !(s.p < IB_ALPHA);
		ag->disagree += (s.verdict != IB_NO_DIFFERENCE) !=
				excludes_one(s.lo, s.hi);
	} else {
		ag->disagree += (s.p < IB_ALPHA) != excludes_one(s.lo, s.hi);
		ag->disagree += (s.verdict != IB_NO_DIFFERENCE) != (s.p < IB_ALPHA);
		ib_mann_whitney(ma, na, mb, nb, &t);
		ag->mwu_off += !t.exact || fabs(t.p - s.p) > 1e-12 || t.u != s.u;
	}
	if (s.decidable) {
		ag->decided++;
		ag->bad_conf += s.conf < 1 - IB_ALPHA || s.conf >= 1;
		ag->outside += s.ratio < s.lo || s.ratio > s.hi;
	} else {
		ag->bad_conf += s.conf != 1 || s.lo != 0 || !isinf(s.hi) ||
				s.verdict != IB_NO_DIFFERENCE;
	}
	if (with_mde) {
		ib_shift_compare(&a, &b, &c);
		ag->not_same += c.p != s.p || c.lo != s.lo || c.hi != s.hi ||
				c.ratio != s.ratio || c.verdict != s.verdict ||
				!isnan(s.mde) || !(c.mde > 0) ||
				isinf(c.mde) == s.decidable;
	}
	ib_boots_free(&a);
	ib_boots_free(&b);
}

/*
 * Random data sets: the test and the interval must say the same thing.
 * Tie-free ones first, then tied ones from the same generator: run once,
 * for the two cases that check them.
 */
static struct agree ag, tied;

static void random_agreement(void)
{
	static int done;
	double ma[12], mb[12];
	size_t na, nb, i;
	struct ib_rng r;

	if (done++)
		return;
	ib_rng_seed(&r, 42);
	/* every design 2..12 vs 2..12, 25 data sets each */
	for (na = 2; na <= 12; na++)
		for (nb = 2; nb <= 12; nb++)
			for (i = 0; i < 25; i++) {
				random_pair(&r, ma, na, mb, nb, 0);
				check_shift(&ag, ma, na, mb, nb, 0, i == 0);
			}
	for (i = 0; i < 1000; i++) {
		na = 2 + ib_rng_next(&r) % 11;
		nb = 2 + ib_rng_next(&r) % 11;
		random_pair(&r, ma, na, mb, nb, 1);
		check_shift(&tied, ma, na, mb, nb, 1, 0);
	}
}

static void agreement_without_ties(void)
{
	random_agreement();
	is_int(ag.disagree, 0,
	       "%u tie-free data sets, 2..12 vs 2..12 boots: p < 0.05 iff the CI excludes 1",
	       ag.sets);
	is_int(ag.mwu_off, 0, "... p and U equal stats.c's exact Mann-Whitney on the medians");
	is_int(ag.bad_conf, 0,
	       "... confidence in [0.95, 1) when decidable, else 1 with [0, inf]");
	is_int(ag.outside, 0, "... HL ratio inside its CI (%u decidable)", ag.decided);
	is_int(ag.not_same, 0,
	       "... ib_shift_compare = ib_shift_test + mde (one set per design)");
}

static void agreement_with_ties(void)
{
	random_agreement();
	is_int(tied.disagree, 0, "%u with ties: CI excluding 1 implies p < 0.05; verdict = CI",
	       tied.sets);
	is_int(tied.bad_conf + tied.outside, 0, "... confidence and HL inside the CI too");
}

static void two_vs_two_undecidable(void)
{
	double ma[] = { 100, 101 }, mb[] = { 80, 81 };
	struct ib_boots a, b;
	struct ib_shift s;

	boots_of(&a, ma, 2);
	boots_of(&b, mb, 2);
	ib_shift_compare(&a, &b, &s);
	ok(!s.decidable && near(s.min_p, 1.0 / 3, 1e-15),
	   "2 vs 2: min_p = 2/C(4,2) = 1/3, not decidable");
	ok(near(s.p, 1.0 / 3, 1e-15) && s.verdict == IB_NO_DIFFERENCE,
	   "20 %% apart, yet p = 1/3 and no difference");
	ok(s.lo == 0 && isinf(s.hi) && s.conf == 1 && isinf(s.mde),
	   "CI [0, inf], confidence 1, mde infinite");
	/* the middle two of 80/101, 80/100, 81/101, 81/100 */
	ok(near(s.ratio, sqrt(0.8 * 81 / 101), 1e-12),
	   "the estimate is still given: %.6f", s.ratio);
	ib_boots_free(&a);
	ib_boots_free(&b);
}

static void no_boots(void)
{
	double mb[] = { 80, 81 };
	struct ib_boots b, none;
	struct ib_shift s;

	boots_of(&b, mb, 2);
	ib_boots_init(&none, NULL, NULL, 0);
	ib_shift_compare(&none, &b, &s);
	ok(s.na == 0 && isnan(s.ratio) && s.p == 1 && s.min_p == 1 &&
	   s.verdict == IB_NO_DIFFERENCE && isinf(s.mde), "no boots: NAN ratio, p 1");
	ib_boots_free(&b);
}

/* the exact distribution at 64 a side (C(128,64) ~ 2.4e37) */
static void exact_at_64_boots(void)
{
	double m64a[64], m64b[64], t0;
	struct ib_boots a, b;
	struct ib_shift s;
	size_t i;

	for (i = 0; i < 64; i++) {
		m64a[i] = 100 + i;
		m64b[i] = 110.5 + i;
	}
	boots_of(&a, m64a, 64);
	boots_of(&b, m64b, 64);
	t0 = now();
	ib_shift_compare(&a, &b, &s);
	printf("# ib_shift_compare, 64 vs 64 boots with mde: %.3f s\n", now() - t0);
	ok(near(s.conf, 0.950356025477866, 1e-12),
	   "64 vs 64: confidence 0.950356 as by exact integers (k = 1636)");
	/* b_j = 110.5 + j below a_i = 100 + i for i >= 11 + j: sum 53..1 */
	ok(s.u == 1431 && s.verdict == IB_SLOWER, "... U = 1431 (%g), slower", s.u);
	ib_boots_free(&a);
	ib_boots_free(&b);
}

static const struct tap_case cases[] = {
	TAP_CASE(separated_test),
	TAP_CASE(separated_interval),
	TAP_CASE(separated_swapped),
	TAP_CASE(reference_test),
	TAP_CASE(reference_interval),
	TAP_CASE(reference_overlapping),
	TAP_CASE(agreement_without_ties),
	TAP_CASE(agreement_with_ties),
	TAP_CASE(two_vs_two_undecidable),
	TAP_CASE(no_boots),
	TAP_CASE(exact_at_64_boots),
};

TAP_MAIN(cases)
