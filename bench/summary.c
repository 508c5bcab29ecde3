// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "../analysis/stats.h"
#include "account.h"
#include "cycles_csv.h"
#include "summary.h"
#include "util.h"

/* Totals of one device, or of all ("" device). */
struct total {
	const char *dev;
	uint64_t cycles, complete, releases;
	double *release_us;		/* per cycle: mean of its releases;
					 * room for every cycle */
	size_t nrel;
	struct ib_switch_count sw[IB_NWIN];
	uint64_t hw[IB_NWIN][IB_HW_NR];
	uint64_t target[8];		/* by target_slot() */
};

static const int32_t targets[] = {
	IB_TARGET_NONE, IB_DOM_BLOCKED, IB_DOM_IDENTITY, IB_DOM_DMA,
	IB_DOM_DMA_FQ, IB_DOM_UNMANAGED, IB_DOM_UNKNOWN, IB_TARGET_MIXED,
};

static int target_slot(int32_t t)
{
	size_t i;

	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (targets[i] == t)
			return (int)i;
	return 6;	/* unknown */
}

static void add(struct total *t, const struct ib_cycle *c)
{
	int w, k;

	t->cycles++;
	t->complete += !!c->complete;
	t->releases += c->releases;
	if (c->releases)
		t->release_us[t->nrel++] = c->release_ns / 1e3 / c->releases;
	for (w = 0; w < IB_NWIN; w++) {
		ib_switch_count_add(&t->sw[w], &c->sw[w]);
		for (k = 0; k < IB_HW_NR; k++)
			t->hw[w][k] += c->hw[w][k];
	}
	t->target[target_slot(c->release_target)]++;
}

static json_object *total_json(struct total *t)
{
	json_object *o = json_object_new_object(), *l, *w, *x;
	struct ib_summary s;
	size_t i;
	int k;

	json_object_object_add(o, "cycles", json_object_new_int64(t->cycles));
	json_object_object_add(o, "traced_cycles", json_object_new_int64(t->complete));
	json_object_object_add(o, "releases", json_object_new_int64(t->releases));
	ib_summary_compute(t->release_us, t->nrel, &s);
	l = json_object_new_object();
	json_object_object_add(l, "n", json_object_new_int64(s.n));
	json_object_object_add(l, "min", json_object_new_double(s.min));
	json_object_object_add(l, "median", json_object_new_double(s.median));
	json_object_object_add(l, "p90", json_object_new_double(s.p90));
	json_object_object_add(l, "max", json_object_new_double(s.max));
	json_object_object_add(o, "release_latency_us", l);
	w = json_object_new_object();
	for (k = 0; k < IB_NWIN; k++) {
		x = json_object_new_object();
		json_object_object_add(x, "switches", json_object_new_int64(t->sw[k].total));
		json_object_object_add(x, "traced", json_object_new_int64(t->sw[k].traced));
		json_object_object_add(x, "untraced", json_object_new_int64(t->sw[k].untraced));
		json_object_object_add(x, "redundant", json_object_new_int64(t->sw[k].redundant));
		json_object_object_add(x, "transient_blocks",
				       json_object_new_int64(t->sw[k].transient));
		json_object_object_add(x, "internal_blocks",
				       json_object_new_int64(t->sw[k].internal));
		json_object_object_add(x, "invalidations",
				       json_object_new_int64(t->hw[k][IB_HW_INVAL]));
		json_object_object_add(x, "context_writes",
				       json_object_new_int64(t->hw[k][IB_HW_CTX]));
		json_object_object_add(w, ib_window_name(k), x);
	}
	json_object_object_add(o, "windows", w);
	x = json_object_new_object();
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (t->target[i])
			json_object_object_add(x, ib_target_name(targets[i]),
					       json_object_new_int64(t->target[i]));
	json_object_object_add(o, "release_targets", x);
	free(t->release_us);
	t->release_us = NULL;
	return o;
}

json_object *ib_summary_json(const struct ib_account *acc)
{
	size_t n = ib_account_ncycles(acc), i, d, ndev = 0;
	struct total all = { .dev = "" }, *devs = NULL;
	json_object *o = json_object_new_object(), *per = json_object_new_object();

	all.release_us = ib_xcalloc(n + 1, sizeof(double));
	for (i = 0; i < n; i++) {
		const struct ib_cycle *c = ib_account_cycle(acc, i);

		for (d = 0; d < ndev && strcmp(devs[d].dev, c->dev); d++)
			;
		if (d == ndev) {
			devs = ib_xrealloc(devs, (ndev + 1) * sizeof(*devs));
			memset(&devs[ndev], 0, sizeof(*devs));
			devs[ndev].release_us = ib_xcalloc(n + 1, sizeof(double));
			devs[ndev++].dev = c->dev;
		}
		add(&devs[d], c);
		add(&all, c);
	}
	for (d = 0; d < ndev; d++)
		json_object_object_add(per, devs[d].dev, total_json(&devs[d]));
	json_object_object_add(o, "devices", per);
	json_object_object_add(o, "all", total_json(&all));
	free(devs);
	return o;
}
