// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boots.h"
#include "util.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A value and where it came from, to sort values by boot. */
struct tagged {
	uint32_t boot;
	size_t i;
};

static int cmp_tagged(const void *a, const void *b)
{
	const struct tagged *x = a, *y = b;

	if (x->boot != y->boot)
		return x->boot < y->boot ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * The indices of @boot sorted by boot (then by index, so the order is
 * fixed); *nboots set.  start[g]..start[g + 1] are boot g's entries.
 */
static struct tagged *group_by_boot(const uint32_t *boot, size_t n,
				    size_t **start, size_t *nboots)
{
	struct tagged *t = ib_xcalloc(n, sizeof(*t));
	size_t i, g = 0;

	for (i = 0; i < n; i++)
		t[i] = (struct tagged){ boot[i], i };
	qsort(t, n, sizeof(*t), cmp_tagged);
	*start = ib_xcalloc(n + 1, sizeof(size_t));
	for (i = 0; i < n; i++)
		if (!i || t[i].boot != t[i - 1].boot)
			(*start)[g++] = i;
	(*start)[g] = n;
	*nboots = g;
	return t;
}

static double *log_medians(const struct ib_boots *b)
{
	double *x = ib_xcalloc(b->nboots, sizeof(double));
	size_t i;

	for (i = 0; i < b->nboots; i++)
		x[i] = log(b->median[i]);
	return x;
}

/* Sum of squares of @x about its mean. */
static double sum_squares(const double *x, size_t n)
{
	double mean = 0, ss = 0;
	size_t i;

	for (i = 0; i < n; i++)
		mean += x[i] / n;
	for (i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	return ss;
}

int ib_boots_init(struct ib_boots *b, const double *v, const uint32_t *boot,
		  size_t n)
{
	double *vals, *lm, ss = 0;
	size_t *start, i, g, df = 0;
	struct tagged *t;

	memset(b, 0, sizeof(*b));
	if (n && (!v || !boot))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!(v[i] > 0))	/* NaN too */
			return -EINVAL;
	if (!n)
		return 0;
	t = group_by_boot(boot, n, &start, &b->nboots);
	b->boot = ib_xcalloc(b->nboots, sizeof(*b->boot));
	b->median = ib_xcalloc(b->nboots, sizeof(*b->median));
	b->n = ib_xcalloc(b->nboots, sizeof(*b->n));
	b->nvalues = n;
	vals = ib_xcalloc(n, sizeof(double));
	for (g = 0; g < b->nboots; g++) {
		size_t cnt = start[g + 1] - start[g];
		double *w = vals + start[g];

		for (i = 0; i < cnt; i++)
			w[i] = v[t[start[g] + i].i];
		b->boot[g] = t[start[g]].boot;
		b->n[g] = cnt;
		b->median[g] = ib_median(w, cnt);
		for (i = 0; i < cnt; i++)
			w[i] = log(w[i]);
		ss += sum_squares(w, cnt);
		df += cnt - 1;
	}
	b->within_sd = df ? sqrt(ss / df) : 0;
	lm = log_medians(b);
	if (b->nboots > 1)
		b->between_sd = sqrt(sum_squares(lm, b->nboots) /
				     (b->nboots - 1));
	free(lm);
	free(vals);
	free(start);
	free(t);
	return 0;
}

void ib_boots_free(struct ib_boots *b)
{
	free(b->boot);
	free(b->median);
	free(b->n);
	memset(b, 0, sizeof(*b));
}

/*
 * cdf[u] = P0(U <= u), u = 0..m n, for U = #{x_i > y_j} of m x's and n
 * y's in random order without ties.  Counting the orders by their U as
 * in stats.c's exact_p, f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u): the
 * largest value is an x, above all j y's, or a y.  Rolled over i in one
 * table f[j][u], j = 0..n; u runs down so f[j][u-j] is still row i - 1.
 * Only sums of counts, so no cancellation: fine up to C(m+n, m) ~ 1e300.
 */
static double *rank_sum_cdf(size_t m, size_t n)
{
	size_t umax = m * n, w = umax + 1, i, j, u;
	double *f, *cdf, cum = 0;

	f = ib_xcalloc((n + 1) * w, sizeof(double));
	for (j = 0; j <= n; j++)
		f[j * w] = 1;		/* no x yet: U = 0 */
	for (i = 1; i <= m; i++)
		for (j = 1; j <= n; j++)
			for (u = i * j + 1; u-- > 0;)
				f[j * w + u] = (u >= j ? f[j * w + u - j] : 0) +
					       f[(j - 1) * w + u];
	cdf = ib_xcalloc(w, sizeof(double));
	for (u = 0; u <= umax; u++)
		cdf[u] = cum += f[n * w + u];
	for (u = 0; u <= umax; u++)
		cdf[u] /= cum;		/* of C(m+n, m) orders */
	free(f);
	return cdf;
}

/*
 * cdf[t] = P0(T <= t), t = 0..n(n+1)/2, for the signed-rank sum T of n
 * values with random signs: the coefficients of prod (1 + q^i), i = 1..n.
 */
static double *signed_rank_cdf(size_t n)
{
	size_t tmax = n * (n + 1) / 2, i, t;
	double *c = ib_xcalloc(tmax + 1, sizeof(double)), cum = 0;

	c[0] = 1;
	for (i = 1; i <= n; i++)
		for (t = i * (i + 1) / 2; t >= i; t--)
			c[t] += c[t - i];
	for (t = 0; t <= tmax; t++)		/* of 2^n sign patterns */
		c[t] = (cum += c[t]) / ldexp(1, n);
	return c;
}

/* What ib_shift and ib_paired share, under the same names. */
struct exact {
	double stat, ratio, lo, hi, conf, p, min_p;
	int decidable;
	enum ib_verdict verdict;
};

#define COPY_EXACT(dst, e) do {						\
	(dst)->ratio = (e).ratio; (dst)->lo = (e).lo; (dst)->hi = (e).hi; \
	(dst)->conf = (e).conf; (dst)->p = (e).p; (dst)->min_p = (e).min_p; \
	(dst)->decidable = (e).decidable; (dst)->verdict = (e).verdict;	\
} while (0)

/*
 * k, the largest count with 2 P0(count <= k) < IB_ALPHA, of @nd; -1 if
 * there is none.  The same expression as p, so p < alpha <=> count <= k.
 */
static long critical_k(const double *cdf, size_t nd)
{
	long k = -1;

	while (k + 1 < (long)nd && 2 * cdf[k + 1] < IB_ALPHA)
		k++;
	return k;
}

/*
 * Test and interval from one sorted set of @nd differences d (pairwise
 * or Walsh averages, on the log scale) and the exact null cdf of the
 * count of negative ones: the test rejects when few are below zero or
 * few above, the interval drops the k most extreme at each end, so the
 * interval excludes 0 exactly when the count is at most k.
 */
static void exact_from_sorted(const double *d, size_t nd, const double *cdf,
			      struct exact *e)
{
	size_t i, below = 0, zero = 0;
	long k;

	memset(e, 0, sizeof(*e));
	e->ratio = NAN;
	e->hi = INFINITY;
	e->conf = 1;
	e->p = e->min_p = fmin(1, 2 * cdf[0]);
	e->decidable = nd && e->min_p < IB_ALPHA;
	e->verdict = IB_NO_DIFFERENCE;
	if (!nd)
		return;
	e->ratio = exp(ib_percentile_sorted(d, nd, 50));
	for (i = 0; i < nd; i++) {
		below += d[i] < 0;
		zero += d[i] == 0;
	}
	e->stat = below + zero / 2.0;
	/* a half from ties rounds up: the larger, conservative p */
	e->p = fmin(1, 2 * cdf[(size_t)ceil(fmin(e->stat, nd - e->stat))]);
	if (!e->decidable)
		return;
	k = critical_k(cdf, nd);
	e->conf = 1 - 2 * cdf[k];
	e->lo = exp(d[k]);
	e->hi = exp(d[nd - 1 - k]);
	if (d[k] > 0)
		e->verdict = IB_SLOWER;
	else if (d[nd - 1 - k] < 0)
		e->verdict = IB_FASTER;
}

/* splitmix64 to a double in (0, 1), then Box-Muller */
static double unit_open(struct ib_rng *r)
{
	return ((ib_rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(struct ib_rng *r)
{
	double u1 = unit_open(r), u2 = unit_open(r);

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* The (k+1)-th smallest of v[0..n-1] (Hoare's select; reorders v). */
static double select_kth(double *v, long n, long k)
{
	long lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2], t;
		long i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;		/* j < k < i: v[k] is the pivot */
	}
	return v[k];
}

double ib_shift_mde(size_t na, size_t nb, double sd)
{
	size_t nd = na * nb, draws = IB_MDE_DRAWS, r, i, j;
	double *cdf, *x, *y, *d, *thr, q;
	struct ib_rng rng;
	long k;

	if (!nd || !(sd >= 0) || isinf(sd))
		return INFINITY;
	cdf = rank_sum_cdf(na, nb);
	k = critical_k(cdf, nd);
	free(cdf);
	if (k < 0)
		return INFINITY;
	if (sd == 0)
		return 0;
	x = ib_xcalloc(na + nb, sizeof(double));
	y = x + na;
	d = ib_xcalloc(nd, sizeof(double));
	thr = ib_xcalloc(draws, sizeof(double));
	ib_rng_seed(&rng, IB_MDE_SEED);
	/*
	 * Unit SD: the test is scale-free, so delta scales with @sd.  Moved
	 * by delta, the lower bound is D_(k+1) + delta: "slower" for every
	 * delta > -D_(k+1), and the power at delta is the fraction of draws
	 * whose threshold is below it.
	 */
	for (r = 0; r < draws; r++) {
		for (i = 0; i < na + nb; i++)
			x[i] = normal(&rng);
		for (i = 0; i < na; i++)
			for (j = 0; j < nb; j++)
				d[i * nb + j] = y[j] - x[i];
		thr[r] = -select_kth(d, nd, k);
	}
	qsort(thr, draws, sizeof(*thr), cmp_double);
	/* the smallest delta past which at least 80 % of draws say slower */
	q = thr[(size_t)ceil(IB_MDE_POWER * draws) - 1];
	free(x);
	free(d);
	free(thr);
	return expm1(q * sd);
}

void ib_shift_test(const struct ib_boots *a, const struct ib_boots *b,
		   struct ib_shift *s)
{
	size_t na = a->nboots, nb = b->nboots, i, j;
	double *x = log_medians(a), *y = log_medians(b), *cdf, *d;
	struct exact e;

	d = ib_xcalloc(na * nb, sizeof(double));
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			d[i * nb + j] = y[j] - x[i];
	qsort(d, na * nb, sizeof(*d), cmp_double);
	cdf = rank_sum_cdf(na, nb);
	exact_from_sorted(d, na * nb, cdf, &e);
	memset(s, 0, sizeof(*s));
	s->na = na;
	s->nb = nb;
	s->u = e.stat;
	COPY_EXACT(s, e);
	s->mde = NAN;
	free(cdf);
	free(d);
	free(x);
	free(y);
}

void ib_shift_compare(const struct ib_boots *a, const struct ib_boots *b,
		      struct ib_shift *s)
{
	double sa = a->between_sd, sb = b->between_sd, var;

	ib_shift_test(a, b, s);
	s->mde = INFINITY;
	/* decidable: na, nb >= 1; the SD needs 2 boots on one side */
	if (!s->decidable || s->na + s->nb <= 2)
		return;
	var = ((s->na - 1) * sa * sa + (s->nb - 1) * sb * sb) /
	      (s->na + s->nb - 2);
	s->mde = ib_shift_mde(s->na, s->nb, sqrt(var));
}

int ib_paired_compare(const double *with, const double *without, size_t n,
		      struct ib_paired *p)
{
	double *d, *walsh, *cdf;
	size_t nw, i, j, w = 0;
	struct exact e;
	int err = 0;

	if (n && (!with || !without))
		err = -EINVAL;
	for (i = 0; !err && i < n; i++)
		if (!(with[i] > 0) || !(without[i] > 0))
			err = -EINVAL;
	if (err)
		n = 0;		/* no boots: no difference, p = 1 */
	memset(p, 0, sizeof(*p));
	nw = n * (n + 1) / 2;
	d = ib_xcalloc(n, sizeof(double));
	walsh = ib_xcalloc(nw, sizeof(double));
	p->ratio_min = n ? INFINITY : NAN;
	p->ratio_max = n ? 0 : NAN;
	for (i = 0; i < n; i++) {
		double r = with[i] / without[i];

		d[i] = log(with[i]) - log(without[i]);
		p->ratio_min = fmin(p->ratio_min, r);
		p->ratio_max = fmax(p->ratio_max, r);
	}
	/* the sign of d_i + d_j is exact, so is #{W < 0} */
	for (i = 0; i < n; i++)
		for (j = i; j < n; j++)
			walsh[w++] = (d[i] + d[j]) / 2;
	qsort(walsh, nw, sizeof(*walsh), cmp_double);
	cdf = signed_rank_cdf(n);
	exact_from_sorted(walsh, nw, cdf, &e);
	p->nboots = n;
	p->t = e.stat;
	COPY_EXACT(p, e);
	free(cdf);
	free(walsh);
	free(d);
	return err;
}

/*
 * The splits of m boots into a first half of k = m / 2 (in[i] = 1) and
 * the rest: every arrangement of the 0s and 1s in lexicographic order,
 * or @max random ones (each uniform, a shuffle) if there are more.
 */
struct splits {
	size_t m;
	unsigned char *in;
	unsigned long given, max;
	int sample;
	struct ib_rng rng;
};

static void splits_init(struct splits *s, struct ib_aa *aa, size_t m,
			unsigned long max)
{
	size_t i, k = m / 2;
	double count = 1;

	memset(aa, 0, sizeof(*aa));
	aa->boots = m;
	aa->size1 = k;
	aa->size2 = m - k;
	memset(s, 0, sizeof(*s));
	s->m = m;
	s->in = ib_xcalloc(m, 1);
	for (i = 0; i < k; i++) {	/* C(m, k), exact well past 2^53 */
		count = count * (m - i) / (i + 1);
		s->in[m - 1 - i] = 1;	/* the first: 0..01..1 */
	}
	if (!k)				/* one boot or none: no split */
		max = 0;
	s->sample = count > max;
	s->max = s->sample ? max : (unsigned long)count;
	ib_rng_seed(&s->rng, IB_AA_SEED);
}

static void splits_end(struct splits *s, struct ib_aa *aa)
{
	aa->rate = aa->splits ? (double)aa->different / aa->splits : 0;
	free(s->in);
}

static void swap_in(unsigned char *in, size_t i, size_t j)
{
	unsigned char t = in[i];

	in[i] = in[j];
	in[j] = t;
}

static int splits_next(struct splits *s)
{
	size_t i, j;

	if (s->given == s->max)
		return 0;
	if (s->sample) {
		for (i = s->m; i > 1; i--)		/* Fisher-Yates */
			swap_in(s->in, i - 1, ib_rng_next(&s->rng) % i);
	} else if (s->given) {
		/* next_permutation: the last rise, the smallest larger
		 * value after it swapped in, the tail reversed */
		for (i = s->m - 1; !(s->in[i - 1] < s->in[i]); i--)
			;
		for (j = s->m - 1; !(s->in[j] > s->in[i - 1]); j--)
			;
		swap_in(s->in, i - 1, j);
		for (j = s->m - 1; i < j; i++, j--)
			swap_in(s->in, i, j);
	}
	s->given++;
	return 1;
}

void ib_aa_noise(const struct ib_boots *b, struct ib_aa *aa)
{
	struct ib_boots half[2] = { { 0 } };
	struct splits sp;
	struct ib_shift s;
	size_t i;

	splits_init(&sp, aa, b->nboots, IB_AA_MAX_SPLITS);
	half[0].median = ib_xcalloc(aa->size1, sizeof(double));
	half[1].median = ib_xcalloc(aa->size2, sizeof(double));
	while (splits_next(&sp)) {
		half[0].nboots = half[1].nboots = 0;
		for (i = 0; i < aa->boots; i++) {
			struct ib_boots *h = &half[!sp.in[i]];

			h->median[h->nboots++] = b->median[i];
		}
		ib_shift_test(&half[0], &half[1], &s);
		aa->decidable = s.decidable;
		aa->splits++;
		aa->different += s.verdict != IB_NO_DIFFERENCE;
	}
	splits_end(&sp, aa);
	free(half[0].median);
	free(half[1].median);
}

void ib_aa_noise_pooled(const double *v, const uint32_t *boot, size_t n,
			unsigned long max_splits, struct ib_aa *aa)
{
	size_t *start, nboots, i, g;
	double *va, *vb;
	struct splits sp;
	struct tagged *t;

	if (!v || !boot)
		n = 0;
	t = group_by_boot(boot, n, &start, &nboots);
	splits_init(&sp, aa, nboots, max_splits);
	va = ib_xcalloc(n, sizeof(double));
	vb = ib_xcalloc(n, sizeof(double));
	while (splits_next(&sp)) {
		double lo = 0, hi = 0;
		size_t na = 0, nb = 0;
		struct ib_mwu mwu;

		for (g = 0; g < nboots; g++)
			for (i = start[g]; i < start[g + 1]; i++) {
				if (sp.in[g])
					va[na++] = v[t[i].i];
				else
					vb[nb++] = v[t[i].i];
			}
		/* the smallest exact p, 2 / C(na + nb, na), below alpha */
		aa->decidable |= log(2 / IB_ALPHA) < lgamma(na + nb + 1.0) -
				 lgamma(na + 1.0) - lgamma(nb + 1.0);
		ib_mann_whitney(va, na, vb, nb, &mwu);
		if (mwu.p < IB_ALPHA)	/* else the verdict is known */
			ib_bootstrap_diff_ci(va, na, vb, nb, IB_BOOT_RESAMPLES,
					     IB_BOOT_SEED, &lo, &hi);
		aa->splits++;
		aa->different += ib_verdict_of(&mwu, lo, hi) !=
				 IB_NO_DIFFERENCE;
	}
	splits_end(&sp, aa);
	free(va);
	free(vb);
	free(start);
	free(t);
}
