// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <string.h>

#include "table.h"
#include "../bench/commands.h"
#include "../bench/util.h"

static const char *const sample_unit[IB_S_NR] = { "us", "ms", "ms" };

/* One count row: which total, per what, and how it is named. */
static const struct {
	const char *key;	/* JSON and CSV name; %s = phase name */
	const char *label;	/* table label; %s = phase name */
	int indent;
	int phase;		/* -1 release, 0 or 1: phase whose name fills %s */
} count_info[IB_C_NR] = {
	[IB_C_REL_SW] = { "release_switches", "switches per release", 0, -1 },
	[IB_C_REL_SW_TRACED] = { "release_switches_traced", "traced", 1, -1 },
	[IB_C_REL_SW_UNTRACED] = { "release_switches_untraced", "untraced", 1, -1 },
	[IB_C_REL_SW_REDUNDANT] = { "release_switches_redundant", "redundant", 1, -1 },
	[IB_C_REL_INTERNAL] = { "release_internal_blocks", "driver-internal blocks", 1, -1 },
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
	return s == IB_S_RELEASE ? "release" : t->runs[0].phase[s - 1];
}

const char *ib_sample_unit(enum ib_sample s)
{
	return sample_unit[s];
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

static void count_key(const struct ib_table *t, enum ib_count c, char *buf,
		      size_t len)
{
	const char *phase = count_info[c].phase >= 0 ?
			    t->runs[0].phase[count_info[c].phase] : "";

	snprintf(buf, len, count_info[c].key, phase);
}

static void sample_of(const struct ib_run_data *r, enum ib_sample s,
		      const double **v, size_t *n)
{
	if (s == IB_S_RELEASE) {
		*v = r->release_us;
		*n = r->nrelease;
	} else {
		*v = r->phase_ms[s - 1];
		*n = r->ncycles;
	}
}

static void count_of(struct ib_table *t, int i)
{
	const struct ib_run_data *r = &t->runs[i];
	const uint64_t tot[IB_C_NR] = {
		r->sw[IB_WIN_RELEASE].total, r->sw[IB_WIN_RELEASE].traced,
		r->sw[IB_WIN_RELEASE].untraced, r->sw[IB_WIN_RELEASE].redundant,
		r->sw[IB_WIN_RELEASE].internal,
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
	}
}

static void probe_effect_of(struct ib_table *t, int i)
{
	const struct ib_run_data *r = &t->runs[i];
	int ph;

	t->probe_effect[i].nbare = r->nbare;
	if (!r->nbare || !r->ncycles)
		return;
	for (ph = 0; ph < 2; ph++) {
		double bare = ib_median(r->bare_ms[ph], r->nbare);
		struct ib_mwu mwu;

		t->probe_effect[i].change_pct[ph] =
			bare ? (ib_median(r->phase_ms[ph], r->ncycles) - bare) / bare * 100 : 0;
		ib_mann_whitney(r->bare_ms[ph], r->nbare, r->phase_ms[ph],
				r->ncycles, &mwu);
		t->probe_effect[i].p[ph] = mwu.p;
	}
}

void ib_table_build(struct ib_table *t, struct ib_run_data *runs, int n)
{
	int s, i;

	memset(t, 0, sizeof(*t));
	t->nruns = n;
	t->runs = runs;
	t->seed = IB_BOOT_SEED;
	t->resamples = IB_BOOT_RESAMPLES;
	for (s = 0; s < IB_S_NR; s++) {
		struct ib_sample_cmp *c = &t->sample[s];
		const double *base, *v;
		size_t nbase, nv;

		sample_of(&runs[0], s, &base, &nbase);
		for (i = 0; i < n; i++) {
			double *copy;

			sample_of(&runs[i], s, &v, &nv);
			copy = ib_xcalloc(nv, sizeof(double));
			memcpy(copy, v, nv * sizeof(double));
			ib_summary_compute(copy, nv, &c->s[i]);
			free(copy);
			ib_bootstrap_median_ci(v, nv, t->resamples, t->seed,
					       &c->s[i].median_lo,
					       &c->s[i].median_hi);
			if (!i)
				continue;
			c->diff_median[i] = c->s[i].median - c->s[0].median;
			ib_bootstrap_diff_ci(base, nbase, v, nv, t->resamples,
					     t->seed, &c->diff_lo[i],
					     &c->diff_hi[i]);
			ib_mann_whitney(base, nbase, v, nv, &c->mwu[i]);
			c->verdict[i] = ib_verdict_of(&c->mwu[i], c->diff_lo[i],
						      c->diff_hi[i]);
		}
	}
	for (i = 0; i < n; i++) {
		count_of(t, i);
		probe_effect_of(t, i);
	}
}

static double pct(double v, double base)
{
	return base != 0 ? (v - base) * 100.0 / base : 0;
}

/* A count per release: "1" when whole, "0.67" when not. */
static void fmt_count(char *buf, size_t len, double v)
{
	if (fabs(v - round(v)) < 1e-9)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

static const char *p_text(double p, char *buf, size_t len)
{
	if (p < 0.001)
		snprintf(buf, len, "p < 0.001");
	else
		snprintf(buf, len, "p = %.3f", p);
	return buf;
}

#define COLW 24

static json_object *summary_json(const struct ib_summary *s)
{
	json_object *o = json_object_new_object(), *ci = json_object_new_array();

	json_object_object_add(o, "n", json_object_new_int64(s->n));
	json_object_object_add(o, "min", json_object_new_double(s->min));
	json_object_object_add(o, "median", json_object_new_double(s->median));
	json_object_array_add(ci, json_object_new_double(s->median_lo));
	json_object_array_add(ci, json_object_new_double(s->median_hi));
	json_object_object_add(o, "median_ci95", ci);
	json_object_object_add(o, "mean", json_object_new_double(s->mean));
	json_object_object_add(o, "p90", json_object_new_double(s->p90));
	json_object_object_add(o, "p99", json_object_new_double(s->p99));
	json_object_object_add(o, "max", json_object_new_double(s->max));
	json_object_object_add(o, "stddev", json_object_new_double(s->stddev));
	return o;
}

/*
 * Per-device summaries of release latency: call @fn for each device of
 * run @i (devices in the order of their first row).
 */
static void per_device(const struct ib_run_data *r,
		       void (*fn)(const char *dev, struct ib_summary *s,
				  void *ctx), void *ctx)
{
	double *v = ib_xcalloc(r->nrows + 1, sizeof(double));
	size_t i, j, n;

	for (i = 0; i < r->nrows; i++) {
		const char *dev = r->rows[i].dev;
		struct ib_summary s;

		for (j = 0; j < i; j++)
			if (!strcmp(r->rows[j].dev, dev))
				break;
		if (j < i)
			continue;	/* seen */
		for (n = 0, j = i; j < r->nrows; j++)
			if (!strcmp(r->rows[j].dev, dev) && r->rows[j].traced &&
			    r->rows[j].releases)
				v[n++] = r->rows[j].release_ns / 1e3 /
					 r->rows[j].releases;
		ib_summary_compute(v, n, &s);
		fn(dev, &s, ctx);
	}
	free(v);
}

struct dev_line {
	FILE *f;
	const struct ib_table *t;
	int run;
};

static void print_dev(const char *dev, struct ib_summary *s, void *ctx)
{
	struct dev_line *d = ctx;
	char cell[64];

	snprintf(cell, sizeof(cell), "%.2f (n %zu)", s->median, s->n);
	fprintf(d->f, "  %-14.14s %-12s %24s\n", d->t->runs[d->run].label, dev,
		cell);
}

static void json_dev(const char *dev, struct ib_summary *s, void *ctx)
{
	json_object_object_add(ctx, dev, summary_json(s));
}

void ib_table_print(const struct ib_table *t, FILE *f)
{
	static const struct {
		const char *name;
		size_t off;
	} stats[] = {
		{ "n", offsetof(struct ib_summary, n) },
		{ "min", offsetof(struct ib_summary, min) },
		{ "median", offsetof(struct ib_summary, median) },
		{ "mean", offsetof(struct ib_summary, mean) },
		{ "p90", offsetof(struct ib_summary, p90) },
		{ "p99", offsetof(struct ib_summary, p99) },
		{ "max", offsetof(struct ib_summary, max) },
		{ "stddev", offsetof(struct ib_summary, stddev) },
	};
	const struct ib_run_data *r0 = &t->runs[0];
	char cell[64], p[32];
	size_t k;
	int s, i, c;

	fprintf(f, "iommu-bench %s compare: %s mode, %s IOMMU, %u device%s, "
		"%u cycles x %u boots per kernel\n\n", IB_VERSION, r0->mode,
		r0->iommu, r0->ndevices, r0->ndevices == 1 ? "" : "s",
		r0->cycles_per_boot, r0->boots);
	fprintf(f, "%-26s", "");
	for (i = 0; i < t->nruns; i++)
		fprintf(f, " %*s", COLW, t->runs[i].label);
	fprintf(f, "\n%-26s", "kernel");
	for (i = 0; i < t->nruns; i++)
		fprintf(f, " %*s", COLW, t->runs[i].kernel);
	fprintf(f, "\n%-26s", "release function");
	for (i = 0; i < t->nruns; i++)
		fprintf(f, " %*s", COLW, t->runs[i].release_fn);
	fprintf(f, "\n");

	for (s = 0; s < IB_S_NR; s++) {
		const struct ib_sample_cmp *sc = &t->sample[s];

		fprintf(f, "\n");
		for (k = 0; k < sizeof(stats) / sizeof(stats[0]); k++) {
			char head[32];

			snprintf(head, sizeof(head), "%s (%s)",
				 ib_sample_name(t, s), ib_sample_unit(s));
			fprintf(f, "%-16s%-10s", k ? "" : head, stats[k].name);
			for (i = 0; i < t->nruns; i++) {
				const char *base = (const char *)&sc->s[0];
				const char *me = (const char *)&sc->s[i];
				int len;

				if (k == 0) {
					fprintf(f, " %*zu", COLW, sc->s[i].n);
					continue;
				}
				len = snprintf(cell, sizeof(cell), "%.2f",
					       *(const double *)(me + stats[k].off));
				if (i)
					snprintf(cell + len, sizeof(cell) - len,
						 " (%+6.1f%%)%s",
						 pct(*(const double *)(me + stats[k].off),
						     *(const double *)(base + stats[k].off)),
						 !strcmp(stats[k].name, "median") ?
						 (sc->verdict[i] != IB_NO_DIFFERENCE ? "*" : " ") : " ");
				fprintf(f, " %*s", COLW, cell);
			}
			fprintf(f, "\n");
			if (!strcmp(stats[k].name, "median")) {
				fprintf(f, "%-16s%-10s", "", "95% CI");
				for (i = 0; i < t->nruns; i++) {
					snprintf(cell, sizeof(cell), "[%.2f, %.2f]%s",
						 sc->s[i].median_lo, sc->s[i].median_hi,
						 i ? "           " : "");
					fprintf(f, " %*s", COLW, cell);
				}
				fprintf(f, "\n");
			}
		}
	}

	fprintf(f, "\n");
	for (c = 0; c < IB_C_NR; c++) {
		char name[48];

		fprintf(f, "%-26s", ib_count_name(t, c, name, sizeof(name), 1));
		for (i = 0; i < t->nruns; i++) {
			int len;

			fmt_count(cell, sizeof(cell), t->count[c][i]);
			len = strlen(cell);
			if (i) {
				char d[16];

				fmt_count(d, sizeof(d), t->count[c][i] - t->count[c][0]);
				snprintf(cell + len, sizeof(cell) - len, " (%s%s)%*s",
					 t->count[c][i] >= t->count[c][0] ? "+" : "",
					 d, 2, "");
			}
			fprintf(f, " %*s", COLW, cell);
		}
		fprintf(f, "\n");
		if (c == IB_C_REL_SW_REDUNDANT) {
			fprintf(f, "%-26s", "  target domain");
			for (i = 0; i < t->nruns; i++)
				fprintf(f, " %*s", COLW,
					ib_target_name(t->runs[i].target));
			fprintf(f, "\n");
		}
	}

	fprintf(f, "\nRelease latency by device (median us, n releases):\n");
	for (i = 0; i < t->nruns; i++) {
		struct dev_line d = { f, t, i };

		per_device(&t->runs[i], print_dev, &d);
	}

	fprintf(f, "\nProbe effect (each phase's median with probes against the run's\n"
		"interleaved cycles without; Mann-Whitney p; device-cycles with vs without):\n");
	for (i = 0; i < t->nruns; i++) {
		const struct ib_run_data *r = &t->runs[i];

		if (!t->probe_effect[i].nbare) {
			fprintf(f, "  %-14s not measured (iommu-bench run --untraced)\n",
				r->label);
			continue;
		}
		fprintf(f, "  %-14s %s %+.1f%% (p = %.3f), %s %+.1f%% (p = %.3f); %zu vs %zu\n",
			r->label, r->phase[0], t->probe_effect[i].change_pct[0],
			t->probe_effect[i].p[0], r->phase[1],
			t->probe_effect[i].change_pct[1], t->probe_effect[i].p[1],
			r->ncycles, r->nbare);
	}

	fprintf(f, "\nVerdicts against %s (median; Mann-Whitney U; bootstrap 95%% CI of\n"
		"the difference of medians, %u resamples, seed %llu):\n",
		r0->label, t->resamples, (unsigned long long)t->seed);
	for (i = 1; i < t->nruns; i++) {
		for (s = 0; s < IB_S_NR; s++) {
			const struct ib_sample_cmp *sc = &t->sample[s];

			fprintf(f, "  %-14s %-8s %s: %+.2f %s [%.2f, %.2f], %s\n",
				t->runs[i].label, ib_sample_name(t, s),
				ib_verdict_name(sc->verdict[i]),
				sc->diff_median[i], ib_sample_unit(s),
				sc->diff_lo[i], sc->diff_hi[i],
				p_text(sc->mwu[i].p, p, sizeof(p)));
		}
	}
	fprintf(f, "\n(%%) change against %s; lower time is better.  * significant:\n"
		"p < %.2f and the CI of the difference excludes 0.  Counts are exact,\n"
		"per release or per cycle; (+n) is the change.  Under QEMU TCG only\n"
		"ratios within one run mean anything.\n", r0->label, IB_ALPHA);
}

int ib_table_write_json(const struct ib_table *t, const char *path)
{
	json_object *root = json_object_new_object(), *runs, *samples, *counts;
	struct ib_afile *af;
	int i, s, c, ret;

	json_object_object_add(root, "tool_version", json_object_new_string(IB_VERSION));
	json_object_object_add(root, "bootstrap_seed", json_object_new_int64(t->seed));
	json_object_object_add(root, "bootstrap_resamples",
			       json_object_new_int(t->resamples));
	json_object_object_add(root, "alpha", json_object_new_double(IB_ALPHA));
	runs = json_object_new_array();
	for (i = 0; i < t->nruns; i++) {
		json_object *r = json_object_new_object();

		json_object_object_add(r, "label", json_object_new_string(t->runs[i].label));
		json_object_object_add(r, "dir", json_object_new_string(t->runs[i].dir));
		json_object_object_add(r, "kernel", json_object_new_string(t->runs[i].kernel));
		json_object_object_add(r, "release_function",
				       json_object_new_string(t->runs[i].release_fn));
		json_object_object_add(r, "release_target",
				       json_object_new_string(ib_target_name(t->runs[i].target)));
		if (t->probe_effect[i].nbare) {
			json_object *pe = json_object_new_object();
			int ph;

			json_object_object_add(pe, "cycles_without_probes",
					       json_object_new_int64(t->probe_effect[i].nbare));
			for (ph = 0; ph < 2; ph++) {
				json_object *x = json_object_new_object();

				json_object_object_add(x, "change_pct",
					json_object_new_double(t->probe_effect[i].change_pct[ph]));
				json_object_object_add(x, "p",
					json_object_new_double(t->probe_effect[i].p[ph]));
				json_object_object_add(pe, t->runs[i].phase[ph], x);
			}
			json_object_object_add(r, "probe_effect", pe);
		}
		json_object_array_add(runs, r);
	}
	json_object_object_add(root, "runs", runs);
	samples = json_object_new_object();
	for (s = 0; s < IB_S_NR; s++) {
		const struct ib_sample_cmp *sc = &t->sample[s];
		json_object *o = json_object_new_object(), *per = json_object_new_array();
		json_object *cmp = json_object_new_array();

		json_object_object_add(o, "unit", json_object_new_string(ib_sample_unit(s)));
		for (i = 0; i < t->nruns; i++)
			json_object_array_add(per, summary_json(&sc->s[i]));
		json_object_object_add(o, "summary", per);
		for (i = 1; i < t->nruns; i++) {
			json_object *x = json_object_new_object(), *ci = json_object_new_array();

			json_object_object_add(x, "run", json_object_new_int(i));
			json_object_object_add(x, "baseline", json_object_new_int(0));
			json_object_object_add(x, "diff_median",
					       json_object_new_double(sc->diff_median[i]));
			json_object_array_add(ci, json_object_new_double(sc->diff_lo[i]));
			json_object_array_add(ci, json_object_new_double(sc->diff_hi[i]));
			json_object_object_add(x, "diff_ci95", ci);
			json_object_object_add(x, "change_pct",
					       json_object_new_double(pct(sc->s[i].median,
									  sc->s[0].median)));
			json_object_object_add(x, "mann_whitney_u",
					       json_object_new_double(sc->mwu[i].u));
			json_object_object_add(x, "p", json_object_new_double(sc->mwu[i].p));
			json_object_object_add(x, "exact", json_object_new_boolean(sc->mwu[i].exact));
			json_object_object_add(x, "verdict",
					       json_object_new_string(ib_verdict_name(sc->verdict[i])));
			json_object_array_add(cmp, x);
		}
		json_object_object_add(o, "against_baseline", cmp);
		json_object_object_add(samples, ib_sample_name(t, s), o);
	}
	json_object_object_add(root, "latency", samples);
	{
		json_object *pd = json_object_new_object();

		for (i = 0; i < t->nruns; i++) {
			json_object *o = json_object_new_object();

			per_device(&t->runs[i], json_dev, o);
			json_object_object_add(pd, t->runs[i].label, o);
		}
		json_object_object_add(root, "release_latency_per_device", pd);
	}
	counts = json_object_new_object();
	for (c = 0; c < IB_C_NR; c++) {
		json_object *o = json_object_new_object(), *v = json_object_new_array();
		json_object *tot = json_object_new_array();
		char key[64];

		for (i = 0; i < t->nruns; i++) {
			json_object_array_add(v, json_object_new_double(t->count[c][i]));
			json_object_array_add(tot, json_object_new_int64(t->count_total[c][i]));
		}
		json_object_object_add(o, "per", v);
		json_object_object_add(o, "total", tot);
		json_object_object_add(o, "per_what", json_object_new_string(
			count_info[c].phase >= 0 ? "cycle" : "release"));
		count_key(t, c, key, sizeof(key));
		json_object_object_add(counts, key, o);
	}
	json_object_object_add(root, "counts", counts);
	af = ib_afile_open(path);
	if (!af) {
		json_object_put(root);
		return -errno;
	}
	fprintf(ib_afile_stream(af), "%s\n",
		json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	ret = ib_afile_commit(af);
	return ret;
}

int ib_table_write_csv(const struct ib_table *t, const char *path)
{
	struct ib_afile *af = ib_afile_open(path);
	FILE *f;
	int s, i, c;

	if (!af)
		return -errno;
	f = ib_afile_stream(af);
	fprintf(f, "metric,unit,statistic,run,label,value,change_pct,significant\n");
	for (s = 0; s < IB_S_NR; s++) {
		const struct ib_sample_cmp *sc = &t->sample[s];

		for (i = 0; i < t->nruns; i++) {
			const struct ib_summary *m = &sc->s[i];
			const struct { const char *n; double v, b; } st[] = {
				{ "n", m->n, sc->s[0].n },
				{ "min", m->min, sc->s[0].min },
				{ "median", m->median, sc->s[0].median },
				{ "median_ci_lo", m->median_lo, sc->s[0].median_lo },
				{ "median_ci_hi", m->median_hi, sc->s[0].median_hi },
				{ "mean", m->mean, sc->s[0].mean },
				{ "p90", m->p90, sc->s[0].p90 },
				{ "p99", m->p99, sc->s[0].p99 },
				{ "max", m->max, sc->s[0].max },
				{ "stddev", m->stddev, sc->s[0].stddev },
			};
			size_t k;

			for (k = 0; k < sizeof(st) / sizeof(st[0]); k++)
				fprintf(f, "%s,%s,%s,%d,%s,%.6g,%.3f,%d\n",
					ib_sample_name(t, s), ib_sample_unit(s), st[k].n,
					i, t->runs[i].label, st[k].v, pct(st[k].v, st[k].b),
					i && !strcmp(st[k].n, "median") &&
					sc->verdict[i] != IB_NO_DIFFERENCE);
		}
	}
	for (c = 0; c < IB_C_NR; c++) {
		char key[64];

		count_key(t, c, key, sizeof(key));
		for (i = 0; i < t->nruns; i++)
			fprintf(f, "%s,count,per %s,%d,%s,%.6g,%.3f,0\n", key,
				count_info[c].phase >= 0 ? "cycle" : "release",
				i, t->runs[i].label, t->count[c][i],
				pct(t->count[c][i], t->count[c][0]));
	}
	return ib_afile_commit(af);
}

/* The cover letter's narrower labels: 21 columns at most. */
static const char *cover_name(const struct ib_table *t, enum ib_count c,
			      char *buf, size_t len)
{
	static const char *const names[IB_C_NR] = {
		[IB_C_REL_SW] = "switches/release",
		[IB_C_REL_SW_TRACED] = "  traced",
		[IB_C_REL_SW_UNTRACED] = "  untraced",
		[IB_C_REL_SW_REDUNDANT] = "  redundant",
		[IB_C_REL_INTERNAL] = "  internal blocks",
		[IB_C_P1_SW] = "switches/%s",
		[IB_C_P2_SW] = "switches/%s",
		[IB_C_P2_SW_TRACED] = "  traced",
		[IB_C_P2_SW_UNTRACED] = "  untraced",
		[IB_C_P2_TRANSIENT] = "  transient blocks",
		[IB_C_REL_INVAL] = "invalidations/release",
		[IB_C_REL_CTX] = "ctx writes/release",
	};

	snprintf(buf, len, names[c], count_info[c].phase >= 0 ?
		 t->runs[0].phase[count_info[c].phase] : "");
	return buf;
}

int ib_table_print_cover_letter(const struct ib_table *t, FILE *f,
				const char *reproduce)
{
	const struct ib_run_data *r0 = &t->runs[0];
	const struct ib_sample_cmp *rel = &t->sample[IB_S_RELEASE];
	char cell[48], p[32];
	int i, c;

	if (t->nruns > 3)
		return -E2BIG;
	fprintf(f, "Release path, measured with iommu-bench %s: %s mode,\n"
		"%s IOMMU, %u device%s, %u cycles x %u boots per kernel.\n\n",
		IB_VERSION, r0->mode, r0->iommu, r0->ndevices,
		r0->ndevices == 1 ? "" : "s", r0->cycles_per_boot, r0->boots);
	fprintf(f, "%-22s", "");
	for (i = 0; i < t->nruns; i++)
		fprintf(f, " %15.15s", t->runs[i].label);
	fprintf(f, "\n%-22s", "release, median us");
	for (i = 0; i < t->nruns; i++) {
		if (i)
			snprintf(cell, sizeof(cell), "%.1f %+.0f%%%s",
				 rel->s[i].median,
				 pct(rel->s[i].median, rel->s[0].median),
				 rel->verdict[i] != IB_NO_DIFFERENCE ? "*" : "");
		else
			snprintf(cell, sizeof(cell), "%.1f", rel->s[i].median);
		fprintf(f, " %15s", cell);
	}
	fprintf(f, "\n%-22s", "  95% CI");
	for (i = 0; i < t->nruns; i++) {
		snprintf(cell, sizeof(cell), "%.0f-%.0f", rel->s[i].median_lo,
			 rel->s[i].median_hi);
		fprintf(f, " %15s", cell);
	}
	fprintf(f, "\n%-22s", "  p90 us");
	for (i = 0; i < t->nruns; i++) {
		snprintf(cell, sizeof(cell), "%.1f", rel->s[i].p90);
		fprintf(f, " %15s", cell);
	}
	fprintf(f, "\n");
	for (c = 0; c < IB_C_NR; c++) {
		char name[48];

		/* the cover letter keeps what a reviewer of a release patch reads */
		if (c == IB_C_P1_SW || c == IB_C_P2_SW_TRACED ||
		    c == IB_C_P2_SW_UNTRACED)
			continue;
		fprintf(f, "%-22s", cover_name(t, c, name, sizeof(name)));
		for (i = 0; i < t->nruns; i++) {
			fmt_count(cell, sizeof(cell), t->count[c][i]);
			fprintf(f, " %15s", cell);
		}
		fprintf(f, "\n");
		if (c == IB_C_REL_SW_REDUNDANT) {
			fprintf(f, "%-22s", "  target domain");
			for (i = 0; i < t->nruns; i++)
				fprintf(f, " %15s", ib_target_name(t->runs[i].target));
			fprintf(f, "\n");
		}
	}
	fprintf(f, "\n");
	for (i = 1; i < t->nruns; i++) {
		fprintf(f, "%s vs %s: release latency %s,\n",
			t->runs[i].label, r0->label, ib_verdict_name(rel->verdict[i]));
		fprintf(f, "median %+.1f us (95%% CI %.1f to %.1f), Mann-Whitney %s,\n"
			"n = %zu/%zu releases.\n", rel->diff_median[i],
			rel->diff_lo[i], rel->diff_hi[i],
			p_text(rel->mwu[i].p, p, sizeof(p)), rel->s[0].n,
			rel->s[i].n);
	}
	fprintf(f, "* significant: p < %.2f and the CI excludes 0.\n", IB_ALPHA);
	if (strcmp(r0->release_fn, t->runs[t->nruns - 1].release_fn))
		fprintf(f, "Release latency is timed at %s on %s\nand at %s on %s.\n",
			r0->release_fn, r0->label,
			t->runs[t->nruns - 1].release_fn,
			t->runs[t->nruns - 1].label);
	if (reproduce)
		fprintf(f, "Reproduce: %s\n", reproduce);
	return 0;
}
