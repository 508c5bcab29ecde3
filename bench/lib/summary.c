// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "account.h"
#include "cycles_csv.h"
#include "summary.h"
#include "util.h"

void ib_switch_count_add(struct ib_switch_count *to,
			 const struct ib_switch_count *from)
{
	to->total += from->total;
	to->traced += from->traced;
	to->untraced += from->untraced;
	to->redundant += from->redundant;
	to->transient += from->transient;
	to->internal += from->internal;
}

const char *ib_window_name(enum ib_window w)
{
	static const char *const names[IB_WIN_NR] = {
		"release", "phase1", "phase2", "outside",
	};

	return w < IB_WIN_NR ? names[w] : "?";
}

/*
 * Totals of one device, or of all ("" device).  Counts come from the
 * cycles with every probe, latency from those that timed it alone.
 */
struct total {
	const char *dev;
	uint64_t cycles, complete, releases;
	uint64_t batch[IB_PROBES_NR];	/* cycles of each batch kind */
	double *us[IB_PROBES_NR];	/* per cycle: mean of its spans
					 * (core: of the core function);
					 * room for every cycle */
	size_t nus[IB_PROBES_NR];
	struct ib_switch_count sw[IB_NWIN];
	uint64_t hw[IB_NWIN][IB_HW_NR];
	uint64_t target[8];		/* by target_slot() */
	uint64_t disturbed;		/* timed cycles left out: an
					 * interrupt in the span (icount) */
};

/* ns to us, or to instructions at 2^@shift ns each (icount) */
static double len_of(uint64_t ns, int shift)
{
	return shift < 0 ? ns / 1e3 : (double)ib_ns_to_insn(ns, shift);
}

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

static void add(struct total *t, const struct ib_cycle *c, size_t room,
		int shift)
{
	int32_t p = c->probes >= 0 && c->probes < IB_PROBES_NR ? c->probes :
		    IB_PROBES_ALL;
	int w, k;

	if (!t->us[0])
		for (k = 0; k < IB_PROBES_NR; k++)
			t->us[k] = ib_xcalloc(room, sizeof(double));
	t->cycles++;
	t->batch[p]++;
	t->complete += !!c->complete;
	/* on an instruction clock, a span an interrupt entered is no path
	 * length: left out, and counted */
	if (shift >= 0 && c->span_irqs && p != IB_PROBES_ALL)
		t->disturbed++;
	else if (p == IB_PROBES_CORE && c->core_calls)
		t->us[p][t->nus[p]++] = len_of(c->core_ns, shift) / c->core_calls;
	else if (c->releases)
		t->us[p][t->nus[p]++] = len_of(c->release_ns, shift) / c->releases;
	if (p != IB_PROBES_ALL)
		return;
	t->releases += c->releases;
	for (w = 0; w < IB_NWIN; w++) {
		ib_switch_count_add(&t->sw[w], &c->sw[w]);
		for (k = 0; k < IB_HW_NR; k++)
			t->hw[w][k] += c->hw[w][k];
	}
	t->target[target_slot(c->release_target)]++;
}

static json_object *latency_json(double *v, size_t n)
{
	json_object *l = json_object_new_object();
	struct ib_summary s;

	ib_summary_compute(v, n, &s);
	json_object_object_add(l, "n", json_object_new_int64(s.n));
	json_object_object_add(l, "min", json_object_new_double(s.min));
	json_object_object_add(l, "median", json_object_new_double(s.median));
	json_object_object_add(l, "p90", json_object_new_double(s.p90));
	json_object_object_add(l, "max", json_object_new_double(s.max));
	return l;
}

static json_object *total_json(struct total *t, int shift)
{
	const char *u = shift < 0 ? "us" : "insn";
	char key[64];
	json_object *o = json_object_new_object(), *w, *x;
	/* the release alone when it was timed so, else with every probe */
	int32_t rel = t->nus[IB_PROBES_RELEASE] ? IB_PROBES_RELEASE : IB_PROBES_ALL;
	size_t i;
	int k;

	json_object_object_add(o, "cycles", json_object_new_int64(t->cycles));
	x = json_object_new_object();
	for (k = 0; k < IB_PROBES_NR; k++)
		if (t->batch[k])
			json_object_object_add(x, ib_probes_name(k),
					       json_object_new_int64(t->batch[k]));
	json_object_object_add(o, "cycles_by_batch", x);
	json_object_object_add(o, "traced_cycles", json_object_new_int64(t->complete));
	json_object_object_add(o, "releases", json_object_new_int64(t->releases));
	snprintf(key, sizeof(key), "release_latency_%s", u);
	json_object_object_add(o, key, latency_json(t->us[rel], t->nus[rel]));
	if (shift >= 0)
		json_object_object_add(o, "release_disturbed_cycles",
				       json_object_new_int64(t->disturbed));
	json_object_object_add(o, "release_timed_with", json_object_new_string(
		rel == IB_PROBES_RELEASE ? "its ends only" : "every probe"));
	snprintf(key, sizeof(key), "release_latency_all_probes_%s", u);
	if (rel == IB_PROBES_RELEASE && t->nus[IB_PROBES_ALL])
		json_object_object_add(o, key, latency_json(t->us[IB_PROBES_ALL],
							    t->nus[IB_PROBES_ALL]));
	snprintf(key, sizeof(key), "core_latency_%s", u);
	if (t->nus[IB_PROBES_CORE])
		json_object_object_add(o, key, latency_json(t->us[IB_PROBES_CORE],
							    t->nus[IB_PROBES_CORE]));
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
	for (k = 0; k < IB_PROBES_NR; k++) {
		free(t->us[k]);
		t->us[k] = NULL;
	}
	return o;
}

json_object *ib_summary_json(const struct ib_account *acc, int icount_shift)
{
	size_t n = ib_account_ncycles(acc), i, d, ndev = 0;
	struct total all = { .dev = "" }, *devs = NULL;
	json_object *o = json_object_new_object(), *per = json_object_new_object();

	for (i = 0; i < n; i++) {
		const struct ib_cycle *c = ib_account_cycle(acc, i);

		for (d = 0; d < ndev && strcmp(devs[d].dev, c->dev); d++)
			;
		if (d == ndev) {
			devs = ib_xrealloc(devs, (ndev + 1) * sizeof(*devs));
			memset(&devs[ndev], 0, sizeof(*devs));
			devs[ndev++].dev = c->dev;
		}
		add(&devs[d], c, n + 1, icount_shift);
		add(&all, c, n + 1, icount_shift);
	}
	for (d = 0; d < ndev; d++)
		json_object_object_add(per, devs[d].dev,
				       total_json(&devs[d], icount_shift));
	json_object_object_add(o, "devices", per);
	json_object_object_add(o, "all", total_json(&all, icount_shift));
	free(devs);
	return o;
}
