// SPDX-License-Identifier: GPL-2.0
/*
 * The boot as the unit: grouping, the A/A noise floor and the detectable
 * effect.  Reference values were computed independently in Python 3.11
 * (SciPy 1.10, NumPy 1.24).  The tests between two kernels' boots:
 * test_boots_shift.c (rank-sum) and test_boots_paired.c (signed-rank).
 */
#include <errno.h>

#include "boots_data.h"
#include "tap.h"

/* boot 1: 11 14 9, boot 3: 10 12 30, boot 5: 16, boot 7: 20 22 21 */
static const double grouped_v[] = { 10, 11, 20, 12, 16, 14, 22, 30, 9, 21 };
static const uint32_t grouped_id[] = { 3, 1, 7, 3, 5, 1, 7, 3, 1, 7 };

static void values_grouped_by_boot(void)
{
	struct ib_boots b;

	is_int(ib_boots_init(&b, grouped_v, grouped_id, 10), 0, "group 10 values");
	ok(b.nboots == 4 && b.boot[0] == 1 && b.boot[1] == 3 &&
	   b.boot[2] == 5 && b.boot[3] == 7, "4 boots, ids ascending");
	ok(b.n[0] == 3 && b.n[1] == 3 && b.n[2] == 1 && b.n[3] == 3 &&
	   b.nvalues == 10, "values per boot 3 3 1 3");
	ok(b.median[0] == 11 && b.median[1] == 12 && b.median[2] == 16 &&
	   b.median[3] == 21, "boot medians 11 12 16 21");
	ib_boots_free(&b);
}

static void between_and_within_sd(void)
{
	struct ib_boots b;

	ib_boots_init(&b, grouped_v, grouped_id, 10);
	/* sd(log(c(11, 12, 16, 21))) */
	ok(near(b.between_sd, 0.29382131782945, 1e-12),
	   "between-boot SD of log medians 0.293821 (%.15g)", b.between_sd);
	/* sqrt(sum of squares of log values around boot means / (2+2+0+2)) */
	ok(near(b.within_sd, 0.364162012571587, 1e-12),
	   "within-boot SD pooled over 6 df 0.364162 (%.15g)", b.within_sd);
	ib_boots_free(&b);
	ok(!b.nboots && !b.median, "free leaves it empty");
}

static void bad_values_refused(void)
{
	double bad[] = { 1, 0, 2 }, nan_v[] = { 1, NAN };
	uint32_t bad_id[] = { 1, 1, 1 };
	struct ib_boots b;

	is_int(ib_boots_init(&b, bad, bad_id, 3), -EINVAL, "a value of 0 is refused");
	ok(!b.nboots, "... and nothing is kept");
	bad[1] = -3;
	is_int(ib_boots_init(&b, bad, bad_id, 3), -EINVAL, "a negative value is refused");
	is_int(ib_boots_init(&b, nan_v, bad_id, 2), -EINVAL, "NaN is refused");
}

static void no_boots_or_one(void)
{
	uint32_t one_id[] = { 1, 1, 1 };
	struct ib_boots b;

	is_int(ib_boots_init(&b, NULL, NULL, 0), 0, "no values: no boots");
	ok(!b.nboots && b.between_sd == 0 && b.within_sd == 0, "... SDs 0");
	ib_boots_free(&b);
	is_int(ib_boots_init(&b, grouped_v, one_id, 3), 0, "one boot");
	ok(b.nboots == 1 && b.between_sd == 0 && b.within_sd > 0,
	   "one boot: between SD 0, within SD %g", b.within_sd);
	ib_boots_free(&b);
}

/*
 * A/A: all C(m, m/2) splits are U's permutation distribution, so the
 * rate is the test's exact size, whatever the data (no ties).
 */
static void aa_even_boots(void)
{
	struct ib_boots b;
	struct ib_aa aa;

	boots_random(&b, 10, 1);
	ib_aa_noise(&b, &aa);
	ok(aa.boots == 10 && aa.size1 == 5 && aa.size2 == 5 && aa.decidable,
	   "10 boots: halves 5 and 5, decidable");
	ok(aa.splits == 252 && aa.different == 8,
	   "252 ordered splits, 8 called different (%lu)", aa.different);
	ok(near(aa.rate, 8.0 / 252, 1e-15), "A/A rate 8/252 = 0.0317 <= 0.05");
	ib_boots_free(&b);
}

static void aa_odd_boots(void)
{
	struct ib_boots b;
	struct ib_aa aa;

	boots_random(&b, 11, 2);
	ib_aa_noise(&b, &aa);
	ok(aa.size1 == 5 && aa.size2 == 6 && aa.splits == 462 && aa.different == 14,
	   "11 boots: 462 splits 5 vs 6, 14 different = 2*7 (%lu)", aa.different);
	ib_boots_free(&b);
}

static void aa_16_boots(void)
{
	struct ib_boots b;
	struct ib_aa aa;
	double t0;

	boots_random(&b, 16, 3);
	t0 = now();
	ib_aa_noise(&b, &aa);
	printf("# ib_aa_noise, 16 boots (12870 splits): %.3f s\n", now() - t0);
	ok(aa.splits == 12870 && aa.different == 642,
	   "16 boots: 12870 splits, 642 different = 2*321 (%lu)", aa.different);
	ok(aa.rate <= IB_ALPHA, "... rate %.4f <= 0.05", aa.rate);
	ib_boots_free(&b);
}

static void aa_equal_medians(void)
{
	double same[10], tied[10];
	struct ib_boots b;
	struct ib_aa aa;
	size_t i;

	for (i = 0; i < 10; i++) {
		same[i] = 100;
		tied[i] = 100 + 5 * (i / 2);	/* pairs of equal medians */
	}
	boots_of(&b, same, 10);
	ib_aa_noise(&b, &aa);
	ok(aa.splits == 252 && aa.different == 0,
	   "10 identical boot medians: never different");
	ib_boots_free(&b);
	boots_of(&b, tied, 10);
	ib_aa_noise(&b, &aa);
	ok(aa.different <= 8, "tied medians: at most the size, %lu of 252", aa.different);
	ib_boots_free(&b);
}

static void aa_too_few_boots(void)
{
	struct ib_boots b;
	struct ib_aa aa;

	boots_random(&b, 7, 4);
	ib_aa_noise(&b, &aa);
	ok(aa.splits == 35 && !aa.decidable && aa.different == 0,
	   "7 boots: 3 vs 4 can never decide (min_p 2/35), 35 splits, none different");
	ib_boots_free(&b);
	boots_random(&b, 1, 5);
	ib_aa_noise(&b, &aa);
	ok(aa.splits == 0 && aa.rate == 0, "1 boot: no splits");
	ib_boots_free(&b);
}

/* C(21, 10) = 352716 > 200000: a sample; 10 vs 11 size 0.042964 */
static void aa_sampled_splits(void)
{
	struct ib_boots b;
	struct ib_aa aa;
	double t0;

	boots_random(&b, 21, 6);
	t0 = now();
	ib_aa_noise(&b, &aa);
	printf("# ib_aa_noise, 21 boots (200000 sampled splits): %.3f s\n", now() - t0);
	ok(aa.splits == IB_AA_MAX_SPLITS &&
	   fabs(aa.rate - 0.0429637442021343) < 4 * sqrt(0.043 * 0.957 / 200000),
	   "21 boots: 200000 sampled splits, rate %.5f within 4 SE of 0.04296", aa.rate);
	ib_boots_free(&b);
}

/*
 * 10 boots x 24 values, boot medians 85..115, 2 % within-boot noise.
 * 120 values a half: Mann-Whitney's normal approximation, as in real
 * runs of hundreds of releases (exact up to 10000 pairs is slow here).
 */
static void strong_boot_effect(double *v, uint32_t *id)
{
	struct ib_rng r;
	size_t g, i;

	ib_rng_seed(&r, 7);
	for (g = 0; g < 10; g++)
		for (i = 0; i < 24; i++) {
			v[g * 24 + i] = (85 + 30.0 * g / 9) * exp(0.02 * gauss(&r));
			id[g * 24 + i] = g;
		}
}

static void boot_effect_measured(void)
{
	double v[240];
	uint32_t id[240];
	struct ib_boots b;

	strong_boot_effect(v, id);
	ib_boots_init(&b, v, id, 240);
	ok(b.between_sd > 0.09 && b.within_sd < 0.025,
	   "strong boot effect: between SD %.3f, within %.3f", b.between_sd, b.within_sd);
	ib_boots_free(&b);
}

static void pooled_releases_fail_aa(void)
{
	double v[240], t0;
	uint32_t id[240];
	struct ib_boots b;
	struct ib_aa aa, pooled;

	strong_boot_effect(v, id);
	ib_boots_init(&b, v, id, 240);
	ib_aa_noise(&b, &aa);
	t0 = now();
	ib_aa_noise_pooled(v, id, 240, 100, &pooled);
	printf("# ib_aa_noise_pooled, 100 splits of 120 vs 120 values: %.3f s\n", now() - t0);
	ok(pooled.splits == 100 && pooled.size1 == 5 && pooled.decidable,
	   "pooled: 100 sampled splits of 5 vs 5 boots");
	/* all 252 splits (5.8 s here): 152 different, 60 % */
	ok(pooled.rate > 0.3,
	   "pooled releases call a kernel different from itself in %.0f %% of splits",
	   pooled.rate * 100);
	ok(aa.rate <= IB_ALPHA && aa.different == 8,
	   "boot medians on the same data: %.1f %% (8/252)", aa.rate * 100);
	ib_boots_free(&b);
}

static void mde_by_design(void)
{
	double m5 = ib_shift_mde(5, 5, 0.1), m10 = ib_shift_mde(10, 10, 0.1);

	ok(m5 > m10 && m10 > 0, "more boots, smaller effect: 5v5 %.3f > 10v10 %.3f", m5, m10);
	ok(isinf(ib_shift_mde(2, 2, 0.1)) && isinf(ib_shift_mde(3, 4, 0.1)),
	   "undecidable designs (2v2, 3v4): infinite");
	ok(ib_shift_mde(6, 6, 0) == 0 && isinf(ib_shift_mde(6, 6, NAN)),
	   "SD 0: 0; unknown SD: infinite");
}

/*
 * 6 vs 6, SD 0.10 of the log medians: the two-sample t-test would need
 * delta = 0.179 (exp - 1 = 19.7 %, noncentral t, 10 df); the rank test
 * at its achieved size 0.041 needs a little more.  An independent
 * simulation (scipy mannwhitneyu exact, 20000 draws per step, bisection
 * on delta) gave 21.3 %; 5v5 26.0 %, 10v10 15.0 %.
 */
static void mde_as_simulated(void)
{
	double m5 = ib_shift_mde(5, 5, 0.1), m10 = ib_shift_mde(10, 10, 0.1);
	double m6 = ib_shift_mde(6, 6, 0.1);

	ok(m6 > 0.197 && m6 < 0.23, "6v6, SD 0.10: mde %.4f within [0.197, 0.23]", m6);
	ok(fabs(m5 - 0.260) < 0.012 && fabs(m10 - 0.150) < 0.008,
	   "5v5 %.4f near 0.260, 10v10 %.4f near 0.150", m5, m10);
}

static void mde_scale_free(void)
{
	double m6 = ib_shift_mde(6, 6, 0.1);

	ok(near(log1p(ib_shift_mde(6, 6, 0.2)), 2 * log1p(m6), 1e-12),
	   "scale-free: twice the SD, twice the log shift");
	ok(ib_shift_mde(6, 6, 0.1) == m6, "same seed, same answer");
}

static void compare_gives_mde(void)
{
	double ma[6], mb[6], sd, t0;
	struct ib_boots a, b;
	struct ib_shift s;
	struct ib_rng r;
	size_t i;

	ib_rng_seed(&r, 11);
	for (i = 0; i < 6; i++) {
		ma[i] = 100 * exp(0.1 * gauss(&r));
		mb[i] = 100 * exp(0.1 * gauss(&r));
	}
	boots_of(&a, ma, 6);
	boots_of(&b, mb, 6);
	t0 = now();
	ib_shift_compare(&a, &b, &s);
	printf("# ib_shift_compare, 6 vs 6 boots with mde: %.4f s\n", now() - t0);
	sd = sqrt((5 * a.between_sd * a.between_sd + 5 * b.between_sd * b.between_sd) / 10);
	ok(s.mde == ib_shift_mde(6, 6, sd),
	   "compare's mde uses the pooled between-boot SD %.3f", sd);
	ib_boots_free(&a);
	ib_boots_free(&b);
}

static const struct tap_case cases[] = {
	TAP_CASE(values_grouped_by_boot),
	TAP_CASE(between_and_within_sd),
	TAP_CASE(bad_values_refused),
	TAP_CASE(no_boots_or_one),
	TAP_CASE(aa_even_boots),
	TAP_CASE(aa_odd_boots),
	TAP_CASE(aa_16_boots),
	TAP_CASE(aa_equal_medians),
	TAP_CASE(aa_too_few_boots),
	TAP_CASE(aa_sampled_splits),
	TAP_CASE(boot_effect_measured),
	TAP_CASE(pooled_releases_fail_aa),
	TAP_CASE(mde_by_design),
	TAP_CASE(mde_as_simulated),
	TAP_CASE(mde_scale_free),
	TAP_CASE(compare_gives_mde),
};

TAP_MAIN(cases)
