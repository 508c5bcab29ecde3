// SPDX-License-Identifier: GPL-2.0
/*
 * The comparison rule for instruction counts (analysis/exact.h): boot
 * medians, their ranges, and a difference called real only beyond the
 * widest range either kernel shows on its own.
 */
#include <stdlib.h>
#include <string.h>

#include "exact.h"
#include "util.h"

static void side(const double *v, size_t n, double *med, double *lo,
		 double *hi)
{
	size_t i;

	*lo = *hi = v[0];
	for (i = 1; i < n; i++) {
		if (v[i] < *lo)
			*lo = v[i];
		if (v[i] > *hi)
			*hi = v[i];
	}
	*med = ib_median(v, n);
}

static void decide(const double *a, size_t na, const double *b, size_t nb,
		   struct ib_exact *e)
{
	memset(e, 0, sizeof(*e));
	e->na = na;
	e->nb = nb;
	e->verdict = IB_NO_DIFFERENCE;
	if (!na || !nb)
		return;
	side(a, na, &e->med_a, &e->lo_a, &e->hi_a);
	side(b, nb, &e->med_b, &e->lo_b, &e->hi_b);
	e->diff = e->med_b - e->med_a;
	e->spread = e->hi_a - e->lo_a > e->hi_b - e->lo_b ?
		    e->hi_a - e->lo_a : e->hi_b - e->lo_b;
	e->gap = e->diff >= 0 ? e->lo_b - e->hi_a : e->lo_a - e->hi_b;
	e->decidable = na >= 2 && nb >= 2;
	if (e->decidable && e->gap > e->spread)
		e->verdict = e->diff > 0 ? IB_SLOWER : IB_FASTER;
}

const char *ib_exact_verdict_name(enum ib_verdict v)
{
	return v == IB_FASTER ? "shorter" : v == IB_SLOWER ? "longer" :
	       "no difference";
}

void ib_exact_compare(const struct ib_boots *a, const struct ib_boots *b,
		      struct ib_exact *e)
{
	decide(a->median, a->nboots, b->median, b->nboots, e);
}

/* Every k-subset of the boots not in @used, from @from on, as "b". */
static void splits_b(const double *v, size_t m, size_t k, const double *a,
		     unsigned char *used, size_t from, double *b, size_t nb,
		     unsigned long *splits, unsigned long *different)
{
	struct ib_exact e;
	size_t i;

	if (nb == k) {
		decide(a, k, b, k, &e);
		(*splits)++;
		*different += e.verdict != IB_NO_DIFFERENCE;
		return;
	}
	for (i = from; i < m; i++) {
		if (used[i])
			continue;
		b[nb] = v[i];
		splits_b(v, m, k, a, used, i + 1, b, nb + 1, splits, different);
	}
}

static void splits_a(const double *v, size_t m, size_t k,
		     unsigned char *used, size_t from, double *a, size_t na,
		     double *b, unsigned long *splits, unsigned long *different)
{
	size_t i;

	if (na == k) {
		splits_b(v, m, k, a, used, 0, b, 0, splits, different);
		return;
	}
	for (i = from; i < m; i++) {
		used[i] = 1;
		a[na] = v[i];
		splits_a(v, m, k, used, i + 1, a, na + 1, b, splits, different);
		used[i] = 0;
	}
}

unsigned long ib_exact_aa(const double *median, size_t m, size_t k,
			  unsigned long *different)
{
	unsigned char *used;
	unsigned long splits = 0;
	double *a, *b;

	*different = 0;
	if (k < 2 || m < 2 * k)
		return 0;
	used = ib_xcalloc(m, 1);
	a = ib_xcalloc(k, sizeof(double));
	b = ib_xcalloc(k, sizeof(double));
	splits_a(median, m, k, used, 0, a, 0, b, &splits, different);
	free(used);
	free(a);
	free(b);
	return splits;
}
