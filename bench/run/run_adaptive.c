// SPDX-License-Identifier: GPL-2.0
/*
 * --until-ci: is the median release latency known well enough?  The trace
 * read so far is accounted, and the distribution-free CI of the median
 * per-release latency (order statistics, exact) is compared with the
 * target: both of its sides must lie within the target of the median.
 *
 * Looking again after every chunk and stopping at the first good look
 * would make the CI it stops on too narrow.  Each look therefore takes
 * its CI at level 1 - 0.05 / K, K the most looks the caps allow
 * (Bonferroni): the CI the run stops on then covers the median with at
 * least 95 % however the stop was chosen.  It covers one boot: the
 * variation between boots is not in it.
 */
#include <stdlib.h>

#include "stats.h"
#include "run_state.h"
#include "util.h"

#define IB_ADAPTIVE_MIN_N	10

uint32_t ib_run_next_more(uint32_t c)
{
	return c / 10 > 5 ? c / 10 : 5;
}

/* Looks from -n cycles up to the cycle cap, the one at the cap included. */
static unsigned int max_looks(const struct ib_run_opts *o)
{
	uint32_t c = o->cycles, more;
	unsigned int k = 1;

	while (c < o->max_cycles) {
		more = ib_run_next_more(c);
		c += c + more <= o->max_cycles ? more : o->max_cycles - c;
		k++;
	}
	return k;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int ib_run_ci_reached(struct ib_run_state *s)
{
	const struct ib_run_opts *o = s->o;
	int32_t want = ib_run_plan_has(o, IB_PROBES_RELEASE) ?
		       IB_PROBES_RELEASE : IB_PROBES_ALL;
	struct ib_adaptive *a = &s->adaptive;
	struct ib_account *acc;
	double *v, got;
	size_t i, n = 0;

	if (!a->max_looks)
		a->max_looks = max_looks(o);
	a->looks++;
	a->level = 1 - IB_ALPHA / a->max_looks;
	if (ib_run_drain(s))
		return 0;
	acc = ib_run_account(s);
	v = ib_xcalloc(ib_account_ncycles(acc) + 1, sizeof(double));
	/* the latency of the cycles the tables take it from */
	for (i = 0; i < ib_account_ncycles(acc); i++) {
		const struct ib_cycle *c = ib_account_cycle(acc, i);

		if (c->complete && c->releases && c->probes == want)
			v[n++] = c->release_ns / 1e3 / c->releases;
	}
	ib_account_free(acc);
	a->n = n;
	a->reach_pct = 100;
	/* what there is, however little: a cap may end the run here */
	qsort(v, n, sizeof(*v), cmp_double);
	a->median_us = ib_percentile_sorted(v, n, 50);
	got = ib_median_ci_exact(v, n, a->level, &a->lo_us, &a->hi_us);
	free(v);
	if (n < IB_ADAPTIVE_MIN_N || !got || a->median_us <= 0)
		return 0;
	a->reach_pct = 100 * (a->median_us - a->lo_us > a->hi_us - a->median_us ?
			      a->median_us - a->lo_us : a->hi_us - a->median_us) /
		       a->median_us;
	return a->reach_pct <= o->until_ci;
}
