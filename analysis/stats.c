// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double ib_percentile_sorted(const double *v, size_t n, double p)
{
	double h, lo;
	size_t i;

	if (!n)
		return 0;
	h = (n - 1) * p / 100.0;
	lo = floor(h);
	i = (size_t)lo;
	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (h - lo) * (v[i + 1] - v[i]);
}

void ib_summary_compute(double *v, size_t n, struct ib_summary *s)
{
	double sum = 0, sq = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (!n)
		return;
	qsort(v, n, sizeof(*v), cmp_double);
	for (i = 0; i < n; i++)
		sum += v[i];
	s->mean = sum / n;
	for (i = 0; i < n; i++)
		sq += (v[i] - s->mean) * (v[i] - s->mean);
	s->stddev = n > 1 ? sqrt(sq / (n - 1)) : 0;
	s->min = v[0];
	s->max = v[n - 1];
	s->median = ib_percentile_sorted(v, n, 50);
	s->p90 = ib_percentile_sorted(v, n, 90);
	s->p99 = ib_percentile_sorted(v, n, 99);
}
