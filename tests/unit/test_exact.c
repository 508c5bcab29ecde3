// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict rule for instruction counts (analysis/exact.h): a plain
 * difference between near-deterministic boots is called, an overlap is
 * not, and identical kernels are called different at most 5 % of the
 * time on the A/A dataset recorded on the icount clock.
 */
#include "exact.h"
#include "runs.h"
#include "tap.h"

static void boots_of(struct ib_boots *b, const double *median, size_t n)
{
	uint32_t boot[16];
	size_t i;

	for (i = 0; i < n; i++)
		boot[i] = (uint32_t)i + 1;
	ib_boots_init(b, median, boot, n);
}

static enum ib_verdict verdict(const double *a, size_t na, const double *b,
			       size_t nb, struct ib_exact *e)
{
	struct ib_boots ba, bb;

	boots_of(&ba, a, na);
	boots_of(&bb, b, nb);
	ib_exact_compare(&ba, &bb, e);
	ib_boots_free(&ba);
	ib_boots_free(&bb);
	return e->verdict;
}

static void deterministic_counts(void)
{
	static const double a[] = { 6680, 6680, 6680 }, b[] = { 6684, 6684, 6684 };
	struct ib_exact e;

	is_int(verdict(a, 3, b, 3, &e), IB_SLOWER, "4 more instructions in every boot: slower");
	ok(e.diff == 4 && e.spread == 0 && e.gap == 4, "difference 4, spread 0, gap 4");
	is_int(verdict(b, 3, a, 3, &e), IB_FASTER, "the other way round: faster");
	is_int(verdict(a, 3, a, 3, &e), IB_NO_DIFFERENCE, "the same counts: no difference");
}

static void spread_against_gap(void)
{
	static const double a[] = { 6650, 6680, 6700 };
	static const double near[] = { 6720, 6730, 6740 };
	static const double far[] = { 6800, 6810, 6820 };
	struct ib_exact e;

	is_int(verdict(a, 3, near, 3, &e), IB_NO_DIFFERENCE,
	       "ranges 20 apart, own spread 50: no difference");
	ok(e.gap == 20 && e.spread == 50, "gap 20, spread 50");
	is_int(verdict(a, 3, far, 3, &e), IB_SLOWER, "ranges 100 apart, spread 50: slower");
}

static void one_boot_no_verdict(void)
{
	static const double a[] = { 6650, 6680, 6700 };
	static const double far[] = { 6800, 6810, 6820 };
	struct ib_exact e;

	is_int(verdict(a, 1, far, 3, &e), IB_NO_DIFFERENCE, "one boot a side: no verdict");
	ok(!e.decidable, "one boot: not decidable");
}

/* Identical kernels: how often 3 boots against 3 are called different. */
static void aa_dataset(const char *name, double shift_by)
{
	char dir[256], err[256] = "";
	struct ib_run_data r;
	struct ib_boots b;
	unsigned long splits, different, found = 0;
	double *med;
	size_t i;

	snprintf(dir, sizeof(dir), "%s/tests/fixtures/%s", SRCDIR, name);
	ok(!ib_run_load(&r, dir, 0, err, sizeof(err)), "%s loads%s%s", name,
	   err[0] ? ": " : "", err);
	ok(r.unit == IB_UNIT_INSN && r.boots >= 6, "%s: in instructions, %u boots",
	   name, r.boots);
	ib_boots_init(&b, r.s[IB_S_RELEASE].v, r.s[IB_S_RELEASE].boot,
		      r.s[IB_S_RELEASE].n);
	splits = ib_exact_aa(b.median, b.nboots, 3, &different);
	printf("# %s: %zu boots, medians", name, b.nboots);
	for (i = 0; i < b.nboots; i++)
		printf(" %.1f", b.median[i]);
	printf("\n# %s: 3 vs 3 called different in %lu of %lu splits\n", name,
	       different, splits);
	ok(splits && different * 20 <= splits,
	   "%s: identical kernels called different in %lu of %lu splits (<= 5%%)",
	   name, different, splits);
	/* the same boots, one side's shifted by a real difference */
	med = calloc(b.nboots, sizeof(double));
	for (i = 0; i < b.nboots; i++)
		med[i] = b.median[i];
	{
		size_t m = b.nboots, x, y, z;

		splits = 0;
		/* each 3 boots as "b" + shift_by against the first 3 others */
		for (x = 0; x < m; x++)
			for (y = x + 1; y < m; y++)
				for (z = y + 1; z < m; z++) {
					double bb[3] = { med[x] + shift_by, med[y] + shift_by,
							 med[z] + shift_by }, aa[3];
					size_t k, n = 0;
					struct ib_exact e;

					for (k = 0; k < m && n < 3; k++)
						if (k != x && k != y && k != z)
							aa[n++] = med[k];
					splits++;
					found += verdict(aa, 3, bb, 3, &e) == IB_SLOWER;
				}
		printf("# %s: +%.0f instructions found in %lu of %lu splits\n", name,
		       shift_by, found, splits);
		ok(found * 10 >= splits * 8,
		   "%s: a real difference of %.0f instructions found in %lu of %lu splits (>= 80%%)",
		   name, shift_by, found, splits);
	}
	free(med);
	ib_boots_free(&b);
	ib_run_free(&r);
}

static void aa_icount_owned(void)
{
	aa_dataset("aa-icount-src-6.12-owned", 20);
}

static void aa_icount_default(void)
{
	aa_dataset("aa-icount-src-6.12-default", 20);
}

static const struct tap_case cases[] = {
	TAP_CASE(deterministic_counts),
	TAP_CASE(spread_against_gap),
	TAP_CASE(one_boot_no_verdict),
	TAP_CASE(aa_icount_owned),
	TAP_CASE(aa_icount_default),
};

TAP_MAIN(cases)
