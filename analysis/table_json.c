// SPDX-License-Identifier: GPL-2.0
/* The comparison as JSON (the whole model) and CSV (one value a line). */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <string.h>

#include "table.h"
#include "version.h"
#include "util.h"

/* JSON has no infinity: an effect no design can detect is null. */
static json_object *json_finite(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static json_object *pair(double a, double b)
{
	json_object *o = json_object_new_array();

	json_object_array_add(o, json_finite(a));
	json_object_array_add(o, json_finite(b));
	return o;
}

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *summary_json(const struct ib_summary *s)
{
	json_object *o = json_object_new_object();

	add(o, "n", json_object_new_int64(s->n));
	if (!s->n)
		return o;	/* nothing timed: no statistics */
	add(o, "min", json_object_new_double(s->min));
	add(o, "median", json_object_new_double(s->median));
	add(o, "mean", json_object_new_double(s->mean));
	add(o, "p90", json_object_new_double(s->p90));
	add(o, "p99", json_object_new_double(s->p99));
	add(o, "max", json_object_new_double(s->max));
	add(o, "stddev", json_object_new_double(s->stddev));
	return o;
}

static json_object *boots_json(const struct ib_sample_cmp *c, int i)
{
	const struct ib_boots *b = &c->b[i];
	const struct ib_aa *aa = &c->aa[i];
	json_object *o = json_object_new_object(), *m = json_object_new_array();
	json_object *a = json_object_new_object();
	size_t k;

	for (k = 0; k < b->nboots; k++)
		json_object_array_add(m, json_object_new_double(b->median[k]));
	add(o, "boots", json_object_new_int64(b->nboots));
	add(o, "medians", m);
	add(o, "between_sd_pct", json_object_new_double((exp(b->between_sd) - 1) * 100));
	add(o, "within_sd_pct", json_object_new_double((exp(b->within_sd) - 1) * 100));
	add(a, "splits", json_object_new_int64(aa->splits));
	add(a, "different", json_object_new_int64(aa->different));
	add(a, "rate", json_object_new_double(aa->rate));
	add(a, "decidable", json_object_new_boolean(aa->decidable));
	add(o, "aa", a);
	return o;
}

static json_object *shift_json(const struct ib_sample_cmp *c, int i)
{
	const struct ib_shift *sh = &c->shift[i];
	json_object *o = json_object_new_object();

	add(o, "run", json_object_new_int(i));
	add(o, "baseline", json_object_new_int(0));
	add(o, "comparable", json_object_new_boolean(c->comparable[i]));
	if (!c->comparable[i]) {
		add(o, "why", json_object_new_string(c->why[i] == IB_WHY_OTHER_FN ?
						     "other function" : "no samples"));
		return o;
	}
	add(o, "boots", pair(sh->na, sh->nb));
	add(o, "ratio", json_finite(sh->ratio));
	add(o, "change_pct", json_finite(ib_pct_of(sh->ratio)));
	add(o, "ci_pct", pair(ib_pct_of(sh->lo), ib_pct_of(sh->hi)));
	add(o, "ci_level", json_object_new_double(sh->conf));
	add(o, "p", json_object_new_double(sh->p));
	add(o, "min_p", json_object_new_double(sh->min_p));
	add(o, "decidable", json_object_new_boolean(sh->decidable));
	add(o, "verdict", json_object_new_string(ib_verdict_name(sh->verdict)));
	add(o, "detectable_pct", json_finite(sh->mde * 100));
	return o;
}

/* The instruction rule's figures: exact integers, no percentages. */
static json_object *exact_json(const struct ib_sample_cmp *c, int i)
{
	const struct ib_exact *e = &c->exact[i];
	json_object *o = json_object_new_object();

	add(o, "run", json_object_new_int(i));
	add(o, "baseline", json_object_new_int(0));
	add(o, "comparable", json_object_new_boolean(c->comparable[i]));
	if (!c->comparable[i])
		return o;
	add(o, "rule", json_object_new_string(
		"different when every boot median of one kernel lies beyond every one of the other by more than the widest range of either"));
	add(o, "boots", pair(e->na, e->nb));
	add(o, "boot_median_of_medians", pair(e->med_a, e->med_b));
	add(o, "difference", json_object_new_double(e->diff));
	add(o, "spread", json_object_new_double(e->spread));
	add(o, "gap", json_object_new_double(e->gap));
	add(o, "decidable", json_object_new_boolean(e->decidable));
	add(o, "verdict", json_object_new_string(ib_exact_verdict_name(e->verdict)));
	return o;
}

static json_object *effect_json(const struct ib_sample_cmp *c, int i)
{
	const struct ib_paired *e = &c->effect[i];
	json_object *o = json_object_new_object();

	add(o, "boots", json_object_new_int64(e->nboots));
	add(o, "change_pct", json_finite(ib_pct_of(e->ratio)));
	add(o, "ci_pct", pair(ib_pct_of(e->lo), ib_pct_of(e->hi)));
	add(o, "boot_range_pct", pair(ib_pct_of(e->ratio_min), ib_pct_of(e->ratio_max)));
	add(o, "p", json_object_new_double(e->p));
	add(o, "verdict", json_object_new_string(ib_verdict_name(e->verdict)));
	return o;
}

static json_object *run_json(const struct ib_table *t, int i)
{
	const struct ib_run_data *r = &t->runs[i];
	json_object *o = json_object_new_object(), *c = json_object_new_object();
	int k;

	add(o, "label", json_object_new_string(r->label));
	add(o, "dir", json_object_new_string(r->dir));
	add(o, "kernel", json_object_new_string(r->kernel));
	add(o, "release_function", json_object_new_string(r->release_fn));
	add(o, "core_function", json_object_new_string(r->core_fn));
	add(o, "release_target", json_object_new_string(ib_target_name(r->target)));
	add(o, "boots", json_object_new_int64(r->boots));
	add(o, "timed_alone", json_object_new_boolean(r->timed));
	add(o, "probe_hits_per_release", r->releases ?
	    json_object_new_double(t->hits[i]) : NULL);
	add(o, "clock_unit", json_object_new_string(ib_unit_name(r->unit)));
	if (r->unit == IB_UNIT_INSN) {
		add(o, "icount_shift", json_object_new_int(r->icount_shift));
		add(o, "timed_cycles", json_object_new_int64(r->timed_cycles));
		add(o, "disturbed_cycles", json_object_new_int64(r->disturbed));
	}
	for (k = 0; k < IB_COST_NR; k++)
		add(c, ib_cost_kind_name(k), r->cost.measured[k] ?
		    json_object_new_double(r->cost.hit_ns[k]) : NULL);
	add(o, "probe_hit_ns", c);
	return o;
}

int ib_table_write_json(const struct ib_table *t, const char *path)
{
	json_object *root = json_object_new_object(), *runs, *samples, *counts;
	struct ib_afile *af;
	int i, s, c;

	add(root, "tool_version", json_object_new_string(IB_VERSION));
	add(root, "alpha", json_object_new_double(IB_ALPHA));
	add(root, "method", json_object_new_string(ib_method_text));
	runs = json_object_new_array();
	for (i = 0; i < t->nruns; i++)
		json_object_array_add(runs, run_json(t, i));
	add(root, "runs", runs);
	samples = json_object_new_object();
	for (s = 0; s < IB_S_NR; s++) {
		const struct ib_sample_cmp *sc = &t->sample[s];
		json_object *o = json_object_new_object(), *sum = json_object_new_array();
		json_object *b = json_object_new_array(), *cmp = json_object_new_array();
		json_object *pe = json_object_new_array();

		add(o, "unit", json_object_new_string(ib_sample_unit(t, s)));
		for (i = 0; i < t->nruns; i++) {
			json_object_array_add(sum, summary_json(&sc->s[i]));
			json_object_array_add(b, boots_json(sc, i));
			json_object_array_add(pe, sc->has_effect[i] ?
					      effect_json(sc, i) : NULL);
			if (i)
				json_object_array_add(cmp, t->unit == IB_UNIT_INSN ?
						      exact_json(sc, i) : shift_json(sc, i));
		}
		add(o, "summary", sum);
		add(o, "per_boot", b);
		add(o, "against_baseline", cmp);
		add(o, "probe_effect", pe);
		add(samples, ib_sample_name(t, s), o);
	}
	add(root, "latency", samples);
	counts = json_object_new_object();
	for (c = 0; c < IB_C_NR; c++) {
		json_object *o = json_object_new_object(), *v = json_object_new_array();
		json_object *tot = json_object_new_array();
		char key[64];

		for (i = 0; i < t->nruns; i++) {
			json_object_array_add(v, t->count_known[c][i] ?
					      json_object_new_double(t->count[c][i]) : NULL);
			json_object_array_add(tot, json_object_new_int64(t->count_total[c][i]));
		}
		add(o, "per", v);
		add(o, "total", tot);
		add(o, "per_what", json_object_new_string(ib_count_per(c)));
		ib_count_key(t, c, key, sizeof(key));
		add(counts, key, o);
	}
	add(root, "counts", counts);
	af = ib_afile_open(path);
	if (!af) {
		json_object_put(root);
		return -errno;
	}
	fprintf(ib_afile_stream(af), "%s\n",
		json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return ib_afile_commit(af);
}

static void csv_line(FILE *f, const struct ib_table *t, enum ib_sample s,
		     int i, const char *stat, double v, int significant)
{
	fprintf(f, t->unit == IB_UNIT_INSN ? "%s,%s,%s,%d,%s,%.1f,%d\n" :
		"%s,%s,%s,%d,%s,%.6g,%d\n", ib_sample_name(t, s),
		ib_sample_unit(t, s), stat, i, t->runs[i].label, v, significant);
}

int ib_table_write_csv(const struct ib_table *t, const char *path)
{
	struct ib_afile *af = ib_afile_open(path);
	char key[64];
	FILE *f;
	int s, i, c;

	if (!af)
		return -errno;
	f = ib_afile_stream(af);
	fprintf(f, "metric,unit,statistic,run,label,value,significant\n");
	for (s = 0; s < IB_S_NR; s++) {
		const struct ib_sample_cmp *sc = &t->sample[s];

		for (i = 0; i < t->nruns; i++) {
			const struct ib_summary *m = &sc->s[i];
			const struct ib_shift *sh = &sc->shift[i];
			int sig = i && sc->comparable[i] && sh->verdict != IB_NO_DIFFERENCE;

			csv_line(f, t, s, i, "boots", sc->b[i].nboots, 0);
			csv_line(f, t, s, i, "n", m->n, 0);
			if (!m->n)
				continue;	/* nothing timed */
			csv_line(f, t, s, i, "min", m->min, 0);
			csv_line(f, t, s, i, "median", m->median, 0);
			csv_line(f, t, s, i, "p90", m->p90, 0);
			csv_line(f, t, s, i, "p99", m->p99, 0);
			csv_line(f, t, s, i, "max", m->max, 0);
			csv_line(f, t, s, i, "boot_median_min", sc->boot_lo[i], 0);
			csv_line(f, t, s, i, "boot_median_max", sc->boot_hi[i], 0);
			if (i && sc->comparable[i] && t->unit == IB_UNIT_INSN) {
				sig = ib_sample_differs(t, s, i);
				csv_line(f, t, s, i, "difference", sc->exact[i].diff, sig);
				csv_line(f, t, s, i, "spread", sc->exact[i].spread, sig);
				continue;
			}
			if (!i || !sc->comparable[i] || !sh->decidable)
				continue;
			csv_line(f, t, s, i, "change_pct", ib_pct_of(sh->ratio), sig);
			csv_line(f, t, s, i, "change_ci_lo_pct", ib_pct_of(sh->lo), sig);
			csv_line(f, t, s, i, "change_ci_hi_pct", ib_pct_of(sh->hi), sig);
			csv_line(f, t, s, i, "p", sh->p, sig);
		}
	}
	for (c = 0; c < IB_C_NR; c++) {
		ib_count_key(t, c, key, sizeof(key));
		for (i = 0; i < t->nruns; i++)
			if (t->count_known[c][i])
				fprintf(f, "%s,count,per %s,%d,%s,%.6g,0\n", key,
				ib_count_per(c), i, t->runs[i].label, t->count[c][i]);
	}
	return ib_afile_commit(af);
}
