// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"

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

double ib_median(const double *v, size_t n)
{
	double *copy = ib_xcalloc(n ? n : 1, sizeof(double));
	struct ib_summary s;

	if (n)
		memcpy(copy, v, n * sizeof(double));
	ib_summary_compute(copy, n, &s);
	free(copy);
	return s.median;
}

void ib_rng_seed(struct ib_rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t ib_rng_next(struct ib_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Median of a resample of @v into @buf. */
static double resample_median(struct ib_rng *r, const double *v, size_t n,
			      double *buf)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = v[ib_rng_next(r) % n];
	qsort(buf, n, sizeof(*buf), cmp_double);
	return ib_percentile_sorted(buf, n, 50);
}

static void ci_of(double *est, unsigned int b, double *lo, double *hi)
{
	qsort(est, b, sizeof(*est), cmp_double);
	*lo = ib_percentile_sorted(est, b, 2.5);
	*hi = ib_percentile_sorted(est, b, 97.5);
}

void ib_bootstrap_diff_ci(const double *a, size_t na, const double *b,
			  size_t nb, unsigned int resamples, uint64_t seed,
			  double *lo, double *hi)
{
	double *ba, *bb, *est;
	struct ib_rng r;
	unsigned int k;

	*lo = *hi = 0;
	if (!na || !nb || !resamples)
		return;
	ba = ib_xcalloc(na, sizeof(double));
	bb = ib_xcalloc(nb, sizeof(double));
	est = ib_xcalloc(resamples, sizeof(double));
	ib_rng_seed(&r, seed);
	for (k = 0; k < resamples; k++) {
		double ma = resample_median(&r, a, na, ba);

		est[k] = resample_median(&r, b, nb, bb) - ma;
	}
	ci_of(est, resamples, lo, hi);
	free(ba);
	free(bb);
	free(est);
}

double ib_median_ci_exact(const double *v, size_t n, double level,
			  double *lo, double *hi)
{
	double alpha = 1 - level, base = lgamma(n + 1.0) - n * log(2.0);
	double cdf = 0, tail = 0;
	size_t l = 0;

	*lo = n ? v[0] : 0;
	*hi = n ? v[n - 1] : 0;
	/*
	 * Grow l while [v(l+1), v(n-l)] keeps the level: it misses the
	 * median with probability 2 P(B <= l), the binomial pmf summed in
	 * logs (n may be large).
	 */
	while (l + 1 <= n / 2) {
		cdf += exp(base - lgamma(l + 1.0) - lgamma(n - l + 1.0));
		if (2 * cdf > alpha)
			break;
		tail = 2 * cdf;
		l++;
	}
	if (!l)
		return 0;
	*lo = v[l - 1];
	*hi = v[n - l];
	return 1 - tail;
}

struct ranked {
	double v;
	int from_a;
};

static int cmp_ranked(const void *x, const void *y)
{
	return cmp_double(&((const struct ranked *)x)->v,
			  &((const struct ranked *)y)->v);
}

/*
 * Exact two-sided p for U without ties: count the arrangements of the
 * pooled ranks by their U, f(m, n, u) = f(m-1, n, u-n) + f(m, n-1, u).
 */
static double exact_p(size_t m, size_t n, double u)
{
	size_t umax = m * n, i, j, k;
	double *f, *g, total = 0, tail = 0, lo;

	/* f[j][u] for the current i, rolled over i */
	f = ib_xcalloc((n + 1) * (umax + 1), sizeof(double));
	g = ib_xcalloc((n + 1) * (umax + 1), sizeof(double));
	for (j = 0; j <= n; j++)
		f[j * (umax + 1)] = 1;		/* i = 0: U is 0 */
	for (i = 1; i <= m; i++) {
		memset(g, 0, (n + 1) * (umax + 1) * sizeof(double));
		g[0] = 1;			/* j = 0: U is 0 */
		for (j = 1; j <= n; j++)
			for (k = 0; k <= i * j; k++)
				g[j * (umax + 1) + k] =
					(k >= j ? f[j * (umax + 1) + k - j] : 0) +
					g[(j - 1) * (umax + 1) + k];
		memcpy(f, g, (n + 1) * (umax + 1) * sizeof(double));
	}
	lo = fmin(u, umax - u);
	for (k = 0; k <= umax; k++) {
		total += f[n * (umax + 1) + k];
		if (k <= lo + 1e-9)
			tail += f[n * (umax + 1) + k];
	}
	free(f);
	free(g);
	return fmin(1.0, 2 * tail / total);
}

void ib_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		     struct ib_mwu *res)
{
	size_t n = na + nb, i, j;
	struct ranked *r;
	double ra = 0, ties = 0, mu, sigma, z;
	int has_ties = 0;

	memset(res, 0, sizeof(*res));
	res->p = 1;
	if (!na || !nb)
		return;
	r = ib_xcalloc(n, sizeof(*r));
	for (i = 0; i < na; i++)
		r[i] = (struct ranked){ a[i], 1 };
	for (i = 0; i < nb; i++)
		r[na + i] = (struct ranked){ b[i], 0 };
	qsort(r, n, sizeof(*r), cmp_ranked);
	/* mid-ranks for ties */
	for (i = 0; i < n; i = j) {
		double rank, t;

		for (j = i + 1; j < n && r[j].v == r[i].v; j++)
			;
		rank = (i + 1 + j) / 2.0;
		t = (double)(j - i);
		if (t > 1) {
			has_ties = 1;
			ties += t * t * t - t;
		}
		for (size_t k = i; k < j; k++)
			if (r[k].from_a)
				ra += rank;
	}
	free(r);
	res->u = ra - na * (na + 1) / 2.0;

	if (!has_ties && na * nb <= 10000) {
		res->exact = 1;
		res->p = exact_p(na, nb, res->u);
		return;
	}
	/* normal approximation, tie-corrected, with continuity correction */
	mu = na * nb / 2.0;
	sigma = sqrt(na * nb / 12.0 * ((n + 1) - ties / ((double)n * (n - 1))));
	if (sigma == 0)
		return;
	z = (fabs(res->u - mu) - 0.5) / sigma;
	if (z < 0)
		z = 0;
	res->p = fmin(1.0, erfc(z / sqrt(2.0)));
}

enum ib_verdict ib_verdict_of(const struct ib_mwu *t, double diff_lo,
			      double diff_hi)
{
	if (t->p >= IB_ALPHA)
		return IB_NO_DIFFERENCE;
	if (diff_hi < 0)
		return IB_FASTER;
	if (diff_lo > 0)
		return IB_SLOWER;
	return IB_NO_DIFFERENCE;
}

const char *ib_verdict_name(enum ib_verdict v)
{
	switch (v) {
	case IB_FASTER:
		return "faster";
	case IB_SLOWER:
		return "slower";
	default:
		return "no significant difference";
	}
}
