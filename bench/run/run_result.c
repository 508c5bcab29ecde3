// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench run: the result directory.  cycles.csv from the module's
 * timings and the accounted trace, summary.json, and meta.json, written
 * into OUT.partial and renamed to OUT, or to OUT.failed with the reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "account.h"
#include "cycles_csv.h"
#include "meta.h"
#include "modes.h"
#include "probe_pack.h"
#include "summary.h"
#include "tracing.h"
#include "util.h"

#include "run_state.h"

static json_object *probes_json(const struct ib_probeset *ps)
{
	static const char *const roles[] = { "release", "core", "attach", "hw", "block" };
	json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < ps->nprobes; i++) {
		const struct ib_probe *p = &ps->probes[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(p->name));
		json_object_object_add(o, "role",
				       json_object_new_string(roles[p->role]));
		json_object_object_add(o, "symbol", p->symbol ?
				       json_object_new_string(p->symbol) : NULL);
		json_object_object_add(o, "note", p->note ?
				       json_object_new_string(p->note) : NULL);
		if (!p->symbol && p->lost[0])
			json_object_object_add(o, "lost",
					       json_object_new_string(p->lost));
		if (p->symbol) {
			json_object_object_add(o, "hits", json_object_new_int64(p->hits));
			json_object_object_add(o, "misses",
					       json_object_new_int64(p->misses));
		}
		if (p->kretprobe) {
			json_object_object_add(o, "maxactive",
					       json_object_new_int64(p->maxactive));
			json_object_object_add(o, "return_hits",
					       json_object_new_int64(p->ret_hits));
			json_object_object_add(o, "return_misses",
					       json_object_new_int64(p->ret_misses));
		}
		json_object_array_add(a, o);
	}
	return a;
}

/* One row per device per cycle: the module's timing, and the trace's. */
static struct ib_row *build_rows(struct ib_run_state *s, const struct ib_account *acc,
				 size_t *nrows)
{
	const struct ib_run_opts *o = s->o;
	size_t nacc = acc ? ib_account_ncycles(acc) : 0, next = 0, k;
	size_t n = (size_t)s->cycles_done * o->ndevs, i;
	struct ib_row *rows = ib_xcalloc(n + 1, sizeof(*rows));

	for (i = 0; i < n; i++) {
		const struct iommu_bench_timing *t = &s->timings[i];
		struct ib_row *row = &rows[i];

		row->boot = o->boot;
		strcpy(row->dev, o->names[t->dev_index]);
		row->cycle = t->cycle;
		row->phase_len[0] = t->ns[0];
		row->phase_len[1] = t->ns[1];
		snprintf(row->phase[0], sizeof(row->phase[0]), "%s", o->mi->phase[0]);
		snprintf(row->phase[1], sizeof(row->phase[1]), "%s", o->mi->phase[1]);
		row->release_target = IB_TARGET_NONE;
		/*
		 * The accounted cycles come in the ioctl's order: look from
		 * just after the last match, so a long run stays linear.
		 */
		for (k = s->probes[t->cycle] != IB_PROBES_NONE ? 0 : nacc; k < nacc;
		     k++, next = (next + 1) % nacc) {
			const struct ib_cycle *c = ib_account_cycle(acc, next);

			if (c->cycle == t->cycle && !strcmp(c->dev, row->dev)) {
				ib_row_from_cycle(row, c);
				next = (next + 1) % nacc;
				break;
			}
		}
		/* what the collector armed, whether the trace saw it or not */
		row->probes = s->probes[t->cycle];
		if (o->icount_shift >= 0)
			ib_row_to_insn(row, o->icount_shift);
	}
	*nrows = n;
	return rows;
}

static int write_cycles(struct ib_run_state *s, const struct ib_row *rows,
			size_t n)
{
	char *path = ib_xasprintf("%s/cycles.csv", s->partial);
	struct ib_afile *af = ib_afile_open(path);
	size_t i;

	free(path);
	if (!af)
		return -errno;
	ib_cycles_csv_header(ib_afile_stream(af), s->o->icount_shift < 0 ?
			     IB_UNIT_NS : IB_UNIT_INSN);
	for (i = 0; i < n; i++)
		ib_cycles_csv_row(ib_afile_stream(af), &rows[i]);
	return ib_afile_commit(af);
}

/* Hits the kernel could not record, over every probe. */
static unsigned long long probe_misses(const struct ib_probeset *ps)
{
	unsigned long long n = 0;
	int i;

	for (i = 0; ps && i < ps->nprobes; i++)
		n += ps->probes[i].misses + ps->probes[i].ret_misses;
	return n;
}

static int lost_events(const struct ib_run_state *s)
{
	const struct ib_tracing_info *ti = ib_tracing_info(s->tr);

	return ti->overruns || ti->missed || ti->read_timeouts ||
	       probe_misses(s->ps);
}

static json_object *trace_json(struct ib_run_state *s, const struct ib_account *acc)
{
	const struct ib_tracing_info *ti = ib_tracing_info(s->tr);
	const struct ib_account_stats *st = ib_account_stats(acc);
	json_object *o = json_object_new_object(), *k;
	char *dir = ib_tracing_dir(s->tr);
	int i;

	json_object_object_add(o, "instance_dir",
			       dir ? json_object_new_string(dir) : NULL);
	free(dir);
	json_object_object_add(o, "clock", json_object_new_string(ti->clock));
	json_object_object_add(o, "buffer_kb_per_cpu",
			       json_object_new_int64(ti->buffer_kb));
	json_object_object_add(o, "records", json_object_new_int64(ti->records));
	json_object_object_add(o, "overruns", json_object_new_int64(ti->overruns));
	json_object_object_add(o, "records_after_loss",
			       json_object_new_int64(ti->missed));
	json_object_object_add(o, "read_timeouts",
			       json_object_new_int64(ti->read_timeouts));
	json_object_object_add(o, "probe_misses",
			       json_object_new_int64(probe_misses(s->ps)));
	json_object_object_add(o, "lost_events",
			       json_object_new_boolean(lost_events(s)));
	/* each event's own CPU is in trace.dat; here, how they spread */
	k = json_object_new_array();
	for (i = 0; i < ti->ncpus; i++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "cpu", json_object_new_int(i));
		json_object_object_add(c, "records",
				       json_object_new_int64(ti->cpu[i].records));
		json_object_object_add(c, "overruns",
				       json_object_new_int64(ti->cpu[i].overruns));
		json_object_array_add(k, c);
	}
	json_object_object_add(o, "cpus", k);
	ib_meta_add_account(o, st);
	/* the collector's own cost, after the cycles (and between them
	 * with --until-ci) */
	json_object_object_add(o, "collector_read_ms", json_object_new_double(s->read_ms));
	json_object_object_add(o, "collector_account_ms",
			       json_object_new_double(s->account_ms));
	json_object_object_add(o, "collector_setup_ms", json_object_new_double(s->setup_ms));
	json_object_object_add(o, "cycles_ms", json_object_new_double(s->drive_ms));
	json_object_object_add(o, "probe_cost_ms", json_object_new_double(s->cost_ms));
	json_object_object_add(o, "trace_dat_ms", json_object_new_double(s->tracedat_ms));
	return o;
}

/*
 * Each batch kind's medians in this boot: the phases from the module's
 * timing, the spans from the trace, and the hits inside the release span.
 * The probe effect is what all the probes add against the release span's
 * ends alone (or against nothing, for the phases, when there were such
 * cycles); compare takes it over boots.
 */
static json_object *batches_json(const struct ib_run_state *s,
				 const struct ib_row *rows, size_t n)
{
	const struct ib_run_opts *o = s->o;
	double *v = ib_xcalloc(n + 1, sizeof(double));
	double med[IB_PROBES_NR][4] = { { 0 } };
	json_object *j = json_object_new_object();
	int k, q, insn = o->icount_shift >= 0;
	/* rows in instructions are counted, not scaled */
	double per_ph = insn ? 1 : 1e6, per_span = insn ? 1 : 1e3;
	const char *u = insn ? "insn" : "us";
	char key[64];
	size_t i, m;

	for (k = 0; k < o->nplan; k++) {
		int32_t p = o->plan[k];
		json_object *x = json_object_new_object();
		uint64_t hits = 0, rel = 0;

		/* 0, 1: phases (ms); 2: release (us); 3: core function (us);
		 * or each in instructions */
		for (q = 0; q < 4; q++) {
			for (i = m = 0; i < n; i++) {
				const struct ib_row *r = &rows[i];

				if (r->probes != p || (insn && q >= 2 && r->span_irqs))
					continue;
				if (q < 2)
					v[m++] = r->phase_len[q] / per_ph;
				else if (q == 2 && r->releases)
					v[m++] = r->release_len / per_span / r->releases;
				else if (q == 3 && r->core_calls)
					v[m++] = r->core_len / per_span / r->core_calls;
			}
			med[p][q] = m ? ib_median(v, m) : 0;
			if (q == 0)
				json_object_object_add(x, "device_cycles",
						       json_object_new_int64(m));
		}
		for (i = 0; i < n; i++)
			if (rows[i].probes == p) {
				hits += rows[i].release_hits;
				rel += rows[i].releases;
			}
		/* the phases in ms, by their bare names; on an instruction
		 * clock not kept (they sleep) */
		for (q = 0; q < 2 && !insn; q++)
			json_object_object_add(x, o->mi->phase[q],
					       json_object_new_double(med[p][q]));
		snprintf(key, sizeof(key), "release_%s", u);
		if (med[p][2])
			json_object_object_add(x, key, json_object_new_double(med[p][2]));
		snprintf(key, sizeof(key), "core_%s", u);
		if (med[p][3])
			json_object_object_add(x, key, json_object_new_double(med[p][3]));
		if (rel)
			json_object_object_add(x, "hits_per_release",
					       json_object_new_double((double)hits / rel));
		json_object_object_add(j, ib_probes_name(p), x);
	}
	free(v);
	if (!o->quiet && med[IB_PROBES_ALL][2] && med[IB_PROBES_RELEASE][2])
		ib_info(insn ? "%s: release %.0f instructions with every probe, %.0f with its ends only (%+.1f%%)" :
			"%s: release %.1f us with every probe, %.1f us with its ends only (%+.1f%%)",
			o->label, med[IB_PROBES_ALL][2], med[IB_PROBES_RELEASE][2],
			100 * (med[IB_PROBES_ALL][2] / med[IB_PROBES_RELEASE][2] - 1));
	return j;
}

static int write_summary(const char *dir, const struct ib_account *acc,
			 int icount_shift)
{
	char *path = ib_xasprintf("%s/summary.json", dir);
	json_object *j = ib_summary_json(acc, icount_shift);
	int ret = ib_meta_write(path, j);

	json_object_put(j);
	free(path);
	return ret;
}

static json_object *adaptive_json(const struct ib_run_state *s)
{
	const struct ib_adaptive *a = &s->adaptive;
	json_object *j = json_object_new_object(), *ci = json_object_new_array();

	json_object_object_add(j, "target_pct", json_object_new_double(s->o->until_ci));
	json_object_object_add(j, "reached", json_object_new_boolean(
		a->stopped_by && !strcmp(a->stopped_by, "ci")));
	json_object_object_add(j, "stopped_by", a->stopped_by ?
			       json_object_new_string(a->stopped_by) :
			       json_object_new_string("error"));
	json_object_object_add(j, "median_us", json_object_new_double(a->median_us));
	json_object_array_add(ci, json_object_new_double(a->lo_us));
	json_object_array_add(ci, json_object_new_double(a->hi_us));
	json_object_object_add(j, "ci_us", ci);
	json_object_object_add(j, "ci_level", json_object_new_double(a->level));
	json_object_object_add(j, "reach_pct", json_object_new_double(a->reach_pct));
	json_object_object_add(j, "looks", json_object_new_int64(a->looks));
	json_object_object_add(j, "max_looks", json_object_new_int64(a->max_looks));
	json_object_object_add(j, "method", json_object_new_string(
		"order-statistic CI of the median at 1 - 0.05/max_looks (Bonferroni over the looks): >= 95 % after the stop"));
	json_object_object_add(j, "covers", json_object_new_string(
		"this boot only: variation between boots is not in it"));
	json_object_object_add(j, "releases", json_object_new_int64(a->n));
	json_object_object_add(j, "cycles", json_object_new_int64(a->cycles));
	json_object_object_add(j, "max_cycles", json_object_new_int64(s->o->max_cycles));
	json_object_object_add(j, "max_seconds", json_object_new_int64(s->o->max_seconds));
	return j;
}

json_object *ib_run_opts_json(const struct ib_run_opts *o)
{
	json_object *j = json_object_new_object(), *d = json_object_new_array();
	uint32_t i;

	for (i = 0; i < o->ndevs; i++)
		json_object_array_add(d, json_object_new_string(o->names[i]));
	json_object_object_add(j, "mode", json_object_new_string(o->mode_name));
	json_object_object_add(j, "devices", d);
	json_object_object_add(j, "cycles", json_object_new_int64(o->cycles));
	json_object_object_add(j, "chunks", json_object_new_int64(o->chunks));
	json_object_object_add(j, "boot", json_object_new_int64(o->boot));
	json_object_object_add(j, "traced", json_object_new_boolean(!o->no_trace));
	return j;
}

/*
 * meta.json's clock: what every length in the result counts.  Time, or
 * guest instructions where the lab's clock is QEMU's icount.
 */
void ib_run_clock_json(json_object *meta, const struct ib_run_opts *o)
{
	json_object_object_add(meta, "clock_unit", json_object_new_string(
		ib_unit_name(o->icount_shift < 0 ? IB_UNIT_NS : IB_UNIT_INSN)));
	if (o->icount_shift >= 0)
		json_object_object_add(meta, "icount_shift",
				       json_object_new_int(o->icount_shift));
}

static const char *span_symbol(const struct ib_probeset *ps,
			       enum ib_probe_role role)
{
	int i;

	for (i = 0; ps && i < ps->nprobes; i++)
		if (ps->probes[i].role == role && ps->probes[i].symbol)
			return ps->probes[i].symbol;
	return NULL;
}

static json_object *string_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static int finish(struct ib_run_state *s, int ret)
{
	char now[32], *path, *final;

	ib_meta_now(now, sizeof(now));
	json_object_object_add(s->meta, "finished", json_object_new_string(now));
	json_object_object_add(s->meta, "status",
			       json_object_new_string(ret ? "failed" : "ok"));
	json_object_object_add(s->meta, "error", ret ?
			       json_object_new_string(s->error) : NULL);
	json_object_object_add(s->meta, "cycles_done",
			       json_object_new_int64(s->cycles_done));
	path = ib_xasprintf("%s/meta.json", s->partial);
	if (ib_meta_write(path, s->meta)) {
		ib_err("%s: %s", path, strerror(errno));
		ret = ret ? ret : -EIO;
	}
	free(path);
	final = ret ? ib_xasprintf("%s.failed", s->o->out) :
		      ib_xstrdup(s->o->out);
	if (rename(s->partial, final)) {
		ib_err("cannot rename %s to %s: %s", s->partial, final,
		       strerror(errno));
		ret = ret ? ret : -EIO;
	} else if (ret) {
		ib_err("run failed; what was recorded is in %s", final);
	} else if (!s->o->quiet) {
		ib_info("results in %s", final);
	}
	free(final);
	return ret;
}

int ib_run_write_result(struct ib_run_state *s, struct ib_account *acc, int ret)
{
	const struct ib_run_opts *o = s->o;
	const struct ib_adaptive *a = &s->adaptive;
	struct ib_row *rows;
	json_object *plan = json_object_new_array();
	size_t nrows;
	int k;

	rows = build_rows(s, acc, &nrows);
	for (k = 0; k < o->nplan; k++)
		json_object_array_add(plan, json_object_new_string(ib_probes_name(o->plan[k])));
	json_object_object_add(s->meta, "batches_plan", plan);
	if (s->cycles_done)
		json_object_object_add(s->meta, "batches", batches_json(s, rows, nrows));
	if (s->cost.calls)
		json_object_object_add(s->meta, "probe_cost", ib_probe_cost_json(&s->cost));
	if (o->until_ci) {
		json_object_object_add(s->meta, "until_ci", adaptive_json(s));
		if (!ret && strcmp(a->stopped_by, "ci"))
			ib_warn("--until-ci %g%% not reached: stopped by the %s cap after %u cycles (%u looks): median %.1f us, CI %.1f-%.1f us at %.2f%% reaches %.1f%%; of this boot only",
				o->until_ci, a->stopped_by, a->cycles, a->looks,
				a->median_us, a->lo_us, a->hi_us, 100 * a->level,
				a->reach_pct);
		else if (!ret && !o->quiet)
			ib_info("--until-ci %g%% reached after %u cycles (%u looks): median %.1f us, CI %.1f-%.1f us at %.2f%% reaches %.1f%%; of this boot only",
				o->until_ci, a->cycles, a->looks, a->median_us,
				a->lo_us, a->hi_us, 100 * a->level, a->reach_pct);
	}
	if (s->ps) {
		json_object_object_add(s->meta, "probes", probes_json(s->ps));
		json_object_object_add(s->meta, "release_function",
				       string_or_null(span_symbol(s->ps, IB_ROLE_RELEASE)));
		json_object_object_add(s->meta, "core_function",
				       string_or_null(span_symbol(s->ps, IB_ROLE_CORE)));
	}
	if (acc) {
		json_object_object_add(s->meta, "trace", trace_json(s, acc));
		if (probe_misses(s->ps))
			ib_warn("probes missed %llu hits (meta.json probes[].misses): raise maxactive of the span probes in their pack",
				probe_misses(s->ps));
		if (lost_events(s))
			ib_warn("the trace lost events: counts in this run are incomplete (see meta.json trace.lost_events)");
		/* read after each chunk: a long chunk overruns it */
		if (ib_tracing_info(s->tr)->overruns)
			ib_warn("the trace buffer overran (%llu events): it is read after each chunk, so give more --chunks or more --buffer-kb",
				(unsigned long long)ib_tracing_info(s->tr)->overruns);
		if (ib_account_stats(acc)->incomplete_cycles)
			ib_warn("%llu of %zu cycles have no complete trace: their rows say traced 0 (meta.json trace.incomplete_cycles)",
				(unsigned long long)ib_account_stats(acc)->incomplete_cycles,
				ib_account_ncycles(acc));
	}
	if (write_cycles(s, rows, nrows) && !ret) {
		snprintf(s->error, sizeof(s->error), "cannot write cycles.csv: %s",
			 strerror(errno));
		ret = -EIO;
	}
	free(rows);
	if (acc && write_summary(s->partial, acc, s->o->icount_shift) && !ret) {
		snprintf(s->error, sizeof(s->error), "cannot write summary.json: %s",
			 strerror(errno));
		ret = -EIO;
	}
	return finish(s, ret);
}
