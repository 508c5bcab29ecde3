// SPDX-License-Identifier: GPL-2.0
/*
 * The comparison's model: per timed quantity and run, the pooled order
 * statistics, the boot medians, the verdict against the baseline with
 * the boot as the unit, the A/A noise floor and the probe effect; per
 * run, the exact switch and hardware-work counts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "util.h"

static const char *const sample_unit[IB_S_NR] = { "us", "us", "ms", "ms" };

const char ib_method_text[] =
	"boot medians compared: Hodges-Lehmann shift with its exact CI and "
	"the exact Wilcoxon rank-sum test (Hollander, Wolfe & Chicken, "
	"Nonparametric Statistical Methods, 3rd ed., 4.1-4.3)";

/* One count row: which total, per what, and how it is named. */
static const struct {
	const char *key;	/* JSON and CSV name; %s = phase name */
	const char *label;	/* table label; %s = phase name */
	int indent;
	int phase;		/* -1 release, 0 or 1: phase whose name fills %s */
} count_info[IB_C_NR] = {
	[IB_C_REL_DETACH] = { "release_detaches", "detaches per release", 0, -1 },
	[IB_C_REL_INTERNAL] = { "release_internal_blocks", "by the driver itself", 1, -1 },
	[IB_C_REL_SW] = { "release_switches", "switches per release", 0, -1 },
	[IB_C_REL_SW_TRACED] = { "release_switches_traced", "traced", 1, -1 },
	[IB_C_REL_SW_UNTRACED] = { "release_switches_untraced", "untraced", 1, -1 },
	[IB_C_REL_SW_REDUNDANT] = { "release_switches_redundant", "redundant", 1, -1 },
	[IB_C_P1_SW] = { "%s_switches", "switches per %s", 0, 0 },
	[IB_C_P2_SW] = { "%s_switches", "switches per %s", 0, 1 },
	[IB_C_P2_SW_TRACED] = { "%s_switches_traced", "traced", 1, 1 },
	[IB_C_P2_SW_UNTRACED] = { "%s_switches_untraced", "untraced", 1, 1 },
	[IB_C_P2_TRANSIENT] = { "%s_transient_blocks", "transient blocks", 1, 1 },
	[IB_C_REL_INVAL] = { "release_invalidations", "invalidations per release", 0, -1 },
	[IB_C_REL_CTX] = { "release_context_writes", "context writes per release", 0, -1 },
};

const char *ib_sample_name(const struct ib_table *t, enum ib_sample s)
{
	switch (s) {
	case IB_S_RELEASE:
		return "release";
	case IB_S_CORE:
		return "core";
	default:
		return t->runs[0].phase[s - IB_S_PHASE1];
	}
}

const char *ib_sample_unit(const struct ib_table *t, enum ib_sample s)
{
	return t->unit == IB_UNIT_INSN ? "insn" : sample_unit[s];
}

void ib_fmt_len(const struct ib_table *t, char *buf, size_t len, double v)
{
	if (t->unit != IB_UNIT_INSN)
		snprintf(buf, len, "%.2f", v);
	else if (fabs(v - round(v)) < 1e-9)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1f", v);	/* a median of an even count */
}

int ib_sample_differs(const struct ib_table *t, enum ib_sample s, int i)
{
	const struct ib_sample_cmp *c = &t->sample[s];

	if (!i || !c->comparable[i])
		return 0;
	return t->unit == IB_UNIT_INSN ?
	       c->exact[i].verdict != IB_NO_DIFFERENCE :
	       c->shift[i].verdict != IB_NO_DIFFERENCE;
}

const char *ib_count_name(const struct ib_table *t, enum ib_count c,
			  char *buf, size_t len, int indent)
{
	const char *phase = count_info[c].phase >= 0 ?
			    t->runs[0].phase[count_info[c].phase] : "";

	snprintf(buf, len, "%s", indent && count_info[c].indent ? "  " : "");
	snprintf(buf + strlen(buf), len - strlen(buf), count_info[c].label,
		 phase);
	return buf;
}

void ib_count_key(const struct ib_table *t, enum ib_count c, char *buf,
		  size_t len)
{
	const char *phase = count_info[c].phase >= 0 ?
			    t->runs[0].phase[count_info[c].phase] : "";

	snprintf(buf, len, count_info[c].key, phase);
}

static void count_of(struct ib_table *t, int i)
{
	const struct ib_run_data *r = &t->runs[i];
	const struct ib_switch_count *rel = &r->sw[IB_WIN_RELEASE];
	const uint64_t tot[IB_C_NR] = {
		/* a redundant switch leaves no domain: the device had none */
		rel->total - rel->redundant + rel->internal, rel->internal,
		rel->total, rel->traced, rel->untraced, rel->redundant,
		r->sw[IB_WIN_PHASE1].total,
		r->sw[IB_WIN_PHASE2].total, r->sw[IB_WIN_PHASE2].traced,
		r->sw[IB_WIN_PHASE2].untraced, r->sw[IB_WIN_PHASE2].transient,
		r->hw[IB_WIN_RELEASE][IB_HW_INVAL],
		r->hw[IB_WIN_RELEASE][IB_HW_CTX],
	};
	int c;

	for (c = 0; c < IB_C_NR; c++) {
		uint64_t per = count_info[c].phase >= 0 ? r->traced_cycles :
			       r->releases;

		t->count_total[c][i] = tot[c];
		t->count[c][i] = per ? (double)tot[c] / per : 0;
		t->count_known[c][i] = per != 0;
	}
}

double ib_pct_of(double ratio)
{
	return (ratio - 1) * 100;
}

void ib_fmt_count(char *buf, size_t len, double v)
{
	if (fabs(v - round(v)) < 1e-9)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

const char *ib_count_per(enum ib_count c)
{
	return count_info[c].phase >= 0 ? "cycle" : "release";
}

/* The medians of boots that ran both kinds of cycles, paired by boot. */
static void effect_of(struct ib_sample_cmp *c, int i, const struct ib_values *probed)
{
	const struct ib_boots *lean = &c->b[i];
	struct ib_boots all;
	double *with, *without;
	size_t a, k, n = 0;

	if (!probed->n || ib_boots_init(&all, probed->v, probed->boot, probed->n))
		return;
	with = ib_xcalloc(all.nboots + 1, sizeof(double));
	without = ib_xcalloc(all.nboots + 1, sizeof(double));
	for (a = 0; a < all.nboots; a++)
		for (k = 0; k < lean->nboots; k++)
			if (lean->boot[k] == all.boot[a]) {
				with[n] = all.median[a];
				without[n++] = lean->median[k];
			}
	if (n && !ib_paired_compare(with, without, n, &c->effect[i]))
		c->has_effect[i] = 1;
	free(with);
	free(without);
	ib_boots_free(&all);
}

static void sample_build(struct ib_table *t, enum ib_sample s)
{
	struct ib_sample_cmp *c = &t->sample[s];
	int i;
	size_t k;

	for (i = 0; i < t->nruns; i++) {
		const struct ib_values *x = &t->runs[i].s[s];
		double *copy = ib_xcalloc(x->n + 1, sizeof(double));

		if (x->n)
			memcpy(copy, x->v, x->n * sizeof(double));
		ib_summary_compute(copy, x->n, &c->s[i]);
		free(copy);
		/* values are > 0 (runs.c keeps no other) */
		ib_boots_init(&c->b[i], x->v, x->boot, x->n);
		for (k = 0; k < c->b[i].nboots; k++) {
			double m = c->b[i].median[k];

			if (!k || m < c->boot_lo[i])
				c->boot_lo[i] = m;
			if (!k || m > c->boot_hi[i])
				c->boot_hi[i] = m;
		}
		ib_aa_noise(&c->b[i], &c->aa[i]);
		if (t->runs[i].timed && s != IB_S_CORE)
			effect_of(c, i, &t->runs[i].probed[s]);
		if (!i)
			continue;
		/* the core function row compares like with like only */
		if (s == IB_S_CORE &&
		    strcmp(t->runs[i].core_fn, t->runs[0].core_fn))
			c->why[i] = IB_WHY_OTHER_FN;
		else if (!c->s[0].n || !c->s[i].n)
			c->why[i] = IB_WHY_NO_SAMPLES;
		c->comparable[i] = c->why[i] == IB_WHY_NONE;
		if (c->comparable[i] && t->unit == IB_UNIT_INSN)
			ib_exact_compare(&c->b[0], &c->b[i], &c->exact[i]);
		else if (c->comparable[i])
			ib_shift_compare(&c->b[0], &c->b[i], &c->shift[i]);
	}
}

const char *ib_no_verdict_text(const struct ib_table *t, enum ib_sample s,
			       int i, char *buf, size_t len)
{
	const struct ib_sample_cmp *c = &t->sample[s];
	int empty = c->s[i].n ? 0 : i;

	if (c->why[i] == IB_WHY_OTHER_FN)
		snprintf(buf, len, "%s here, %s there", t->runs[i].core_fn,
			 t->runs[0].core_fn);
	else if (s == IB_S_RELEASE)
		snprintf(buf, len, "%s has no timed release (was it traced?)",
			 t->runs[empty].label);
	else
		snprintf(buf, len, "%s has no timed %s", t->runs[empty].label,
			 ib_sample_name(t, s));
	return buf;
}

void ib_table_build(struct ib_table *t, struct ib_run_data *runs, int n)
{
	int s, i;

	memset(t, 0, sizeof(*t));
	t->nruns = n;
	t->runs = runs;
	t->unit = n ? runs[0].unit : IB_UNIT_NS;
	for (s = 0; s < IB_S_NR; s++)
		sample_build(t, s);
	for (i = 0; i < n; i++) {
		count_of(t, i);
		t->hits[i] = runs[i].releases ?
			     (double)runs[i].release_hits / runs[i].releases : 0;
	}
}

void ib_table_free(struct ib_table *t)
{
	int s, i;

	for (s = 0; s < IB_S_NR; s++)
		for (i = 0; i < t->nruns; i++)
			ib_boots_free(&t->sample[s].b[i]);
}
