// SPDX-License-Identifier: GPL-2.0
/*
 * --until-ci: is the median release latency known well enough?  The
 * trace read so far is accounted, and the bootstrap 95 % CI of the median
 * per-release latency is compared with the target half-width.
 */
#include <stdlib.h>

#include "../analysis/stats.h"
#include "run_state.h"
#include "util.h"

/* fewer resamples than the final analysis: this only decides to stop */
#define IB_ADAPTIVE_RESAMPLES	500
#define IB_ADAPTIVE_MIN_N	10

int ib_run_ci_reached(struct run_state *s)
{
	struct ib_account *acc;
	struct ib_summary sum;
	double *v, lo, hi;
	size_t i, n = 0;

	if (ib_run_drain(s))
		return 0;
	acc = ib_run_account(s);
	v = ib_xcalloc(ib_account_ncycles(acc) + 1, sizeof(double));
	for (i = 0; i < ib_account_ncycles(acc); i++) {
		const struct ib_cycle *c = ib_account_cycle(acc, i);

		if (c->complete && c->releases)
			v[n++] = c->release_ns / 1e3 / c->releases;
	}
	ib_account_free(acc);
	s->adaptive.n = n;
	if (n < IB_ADAPTIVE_MIN_N) {
		free(v);
		return 0;
	}
	ib_bootstrap_median_ci(v, n, IB_ADAPTIVE_RESAMPLES, IB_BOOT_SEED,
			       &lo, &hi);
	ib_summary_compute(v, n, &sum);
	free(v);
	s->adaptive.median_us = sum.median;
	s->adaptive.halfwidth_pct = sum.median > 0 ?
		(hi - lo) / 2 / sum.median * 100 : 100;
	return s->adaptive.halfwidth_pct <= s->o->until_ci;
}
