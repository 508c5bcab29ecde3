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

#include "../analysis/stats.h"
#include "account.h"
#include "cycles_csv.h"
#include "meta.h"
#include "modes.h"
#include "probes.h"
#include "summary.h"
#include "tracing.h"
#include "util.h"

#include "run_state.h"

static json_object *probes_json(const struct ib_probeset *ps)
{
	static const char *const roles[] = { "release", "attach", "hw", "block" };
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
		if (p->ret) {
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

static int write_cycles(struct run_state *s, const struct ib_account *acc)
{
	const struct run_opts *o = s->o;
	char *path = ib_xasprintf("%s/cycles.csv", s->partial);
	struct ib_afile *af = ib_afile_open(path);
	size_t nacc = acc ? ib_account_ncycles(acc) : 0, next = 0, k;
	uint32_t i;
	int ret;

	free(path);
	if (!af)
		return -errno;
	ib_cycles_csv_header(ib_afile_stream(af));
	for (i = 0; i < s->cycles_done * o->ndevs; i++) {
		const struct iommu_bench_timing *t = &s->timings[i];
		struct ib_row row = { 0 };

		row.boot = o->boot;
		strcpy(row.dev, o->names[t->dev_index]);
		row.cycle = t->cycle;
		row.probes = !o->no_trace && !s->bare[t->cycle];
		row.phase_ns[0] = t->ns[0];
		row.phase_ns[1] = t->ns[1];
		snprintf(row.phase[0], sizeof(row.phase[0]), "%s", o->mi->phase[0]);
		snprintf(row.phase[1], sizeof(row.phase[1]), "%s", o->mi->phase[1]);
		row.release_target = IB_TARGET_NONE;
		/*
		 * The accounted cycles come in the ioctl's order: look from
		 * just after the last match, so a long run stays linear.
		 */
		for (k = row.probes ? 0 : nacc; k < nacc;
		     k++, next = (next + 1) % nacc) {
			const struct ib_cycle *c = ib_account_cycle(acc, next);

			if (c->cycle == t->cycle && !strcmp(c->dev, row.dev)) {
				ib_row_from_cycle(&row, c);
				next = (next + 1) % nacc;
				break;
			}
		}
		ib_cycles_csv_row(ib_afile_stream(af), &row);
	}
	ret = ib_afile_commit(af);
	return ret;
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

static int lost_events(const struct run_state *s)
{
	const struct ib_tracing_info *ti = ib_tracing_info(s->tr);

	return ti->overruns || ti->missed || ti->read_timeouts ||
	       probe_misses(s->ps);
}

static json_object *trace_json(struct run_state *s, const struct ib_account *acc)
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
	return o;
}

/*
 * --untraced: each phase's median with probes against without, from the
 * module's own timing of the interleaved batches; printed and recorded.
 */
static json_object *probe_effect_json(const struct run_state *s)
{
	const struct run_opts *o = s->o;
	size_t n = (size_t)s->cycles_done * o->ndevs, i, np = 0, nb = 0;
	double *with = ib_xcalloc(n + 1, sizeof(double));
	double *without = ib_xcalloc(n + 1, sizeof(double));
	json_object *j = json_object_new_object();
	char line[256];
	int len = 0, ph;

	for (ph = 0; ph < 2; ph++) {
		json_object *x = json_object_new_object();
		double a, b;

		np = nb = 0;
		for (i = 0; i < n; i++) {
			const struct iommu_bench_timing *t = &s->timings[i];

			if (s->bare[t->cycle])
				without[nb++] = t->ns[ph];
			else
				with[np++] = t->ns[ph];
		}
		a = ib_median(with, np);
		b = ib_median(without, nb);
		json_object_object_add(x, "with_probes_median_ns", json_object_new_double(a));
		json_object_object_add(x, "without_median_ns", json_object_new_double(b));
		json_object_object_add(x, "change_pct",
				       json_object_new_double(b ? (a - b) / b * 100 : 0));
		json_object_object_add(j, o->mi->phase[ph], x);
		len += snprintf(line + len, sizeof(line) - len, "%s%s %+.1f%%",
				ph ? ", " : "", o->mi->phase[ph], b ? (a - b) / b * 100 : 0);
	}
	json_object_object_add(j, "cycles_with_probes", json_object_new_int64(np));
	json_object_object_add(j, "cycles_without", json_object_new_int64(nb));
	if (!o->quiet)
		ib_info("%s: probe effect (median, %zu device-cycles with probes, %zu without): %s",
			o->label, np, nb, line);
	free(with);
	free(without);
	return j;
}

static int write_summary(const char *dir, const struct ib_account *acc)
{
	char *path = ib_xasprintf("%s/summary.json", dir);
	json_object *j = ib_summary_json(acc);
	int ret = ib_meta_write(path, j);

	json_object_put(j);
	free(path);
	return ret;
}

static json_object *adaptive_json(const struct run_state *s)
{
	json_object *j = json_object_new_object();

	json_object_object_add(j, "target_pct", json_object_new_double(s->o->until_ci));
	json_object_object_add(j, "reached", json_object_new_boolean(
		s->adaptive.stopped_by && !strcmp(s->adaptive.stopped_by, "ci")));
	json_object_object_add(j, "stopped_by", s->adaptive.stopped_by ?
			       json_object_new_string(s->adaptive.stopped_by) :
			       json_object_new_string("error"));
	json_object_object_add(j, "halfwidth_pct",
			       json_object_new_double(s->adaptive.halfwidth_pct));
	json_object_object_add(j, "median_us",
			       json_object_new_double(s->adaptive.median_us));
	json_object_object_add(j, "releases", json_object_new_int64(s->adaptive.n));
	json_object_object_add(j, "max_cycles", json_object_new_int64(s->o->max_cycles));
	json_object_object_add(j, "max_seconds", json_object_new_int64(s->o->max_seconds));
	return j;
}

json_object *ib_run_opts_json(const struct run_opts *o)
{
	json_object *j = json_object_new_object(), *d = json_object_new_array();
	uint32_t i;

	for (i = 0; i < o->ndevs; i++)
		json_object_array_add(d, json_object_new_string(o->names[i]));
	json_object_object_add(j, "mode", json_object_new_string(o->mode_name));
	json_object_object_add(j, "devices", d);
	json_object_object_add(j, "cycles", json_object_new_int64(o->cycles));
	json_object_object_add(j, "boot", json_object_new_int64(o->boot));
	json_object_object_add(j, "traced", json_object_new_boolean(!o->no_trace));
	return j;
}

static const char *release_symbol(const struct ib_probeset *ps)
{
	int i;

	for (i = 0; ps && i < ps->nprobes; i++)
		if (ps->probes[i].role == IB_ROLE_RELEASE && ps->probes[i].symbol)
			return ps->probes[i].symbol;
	return NULL;
}

static int finish(struct run_state *s, int ret)
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

int ib_run_write_result(struct run_state *s, struct ib_account *acc, int ret)
{
	const struct run_opts *o = s->o;

	if (o->untraced && s->cycles_done)
		json_object_object_add(s->meta, "probe_effect", probe_effect_json(s));
	if (o->until_ci) {
		json_object_object_add(s->meta, "until_ci", adaptive_json(s));
		if (!ret && strcmp(s->adaptive.stopped_by, "ci"))
			ib_warn("--until-ci %.1f%% not reached: stopped by the %s cap at +-%.1f%% after %u cycles",
				o->until_ci, s->adaptive.stopped_by,
				s->adaptive.halfwidth_pct, s->cycles_done);
		else if (!ret && !o->quiet)
			ib_info("--until-ci %.1f%% reached after %u cycles: +-%.1f%%",
				o->until_ci, s->cycles_done, s->adaptive.halfwidth_pct);
	}
	if (s->ps) {
		json_object_object_add(s->meta, "probes", probes_json(s->ps));
		json_object_object_add(s->meta, "release_function",
				       release_symbol(s->ps) ?
				       json_object_new_string(release_symbol(s->ps)) :
				       NULL);
	}
	if (acc) {
		json_object_object_add(s->meta, "trace", trace_json(s, acc));
		if (probe_misses(s->ps))
			ib_warn("probes missed %llu hits (meta.json probes[].misses): raise maxactive of the release probe in its pack",
				probe_misses(s->ps));
		if (lost_events(s))
			ib_warn("the trace lost events: counts in this run are incomplete (see meta.json trace.lost_events)");
	}
	if (write_cycles(s, acc) && !ret) {
		snprintf(s->error, sizeof(s->error), "cannot write cycles.csv: %s",
			 strerror(errno));
		ret = -EIO;
	}
	if (acc && write_summary(s->partial, acc) && !ret) {
		snprintf(s->error, sizeof(s->error), "cannot write summary.json: %s",
			 strerror(errno));
		ret = -EIO;
	}
	return finish(s, ret);
}
