// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runs.h"
#include "stats.h"
#include "meta.h"
#include "util.h"

static void jcopy(char *dst, size_t len, json_object *m, const char *path,
		  const char *def)
{
	json_object *o = ib_meta_get(m, path, NULL);

	snprintf(dst, len, "%s", o ? json_object_get_string(o) : def);
}

/* A time of 0 is no measurement (and has no logarithm): left out. */
static void push(struct ib_values *x, double v, uint32_t boot, size_t cap)
{
	if (!(v > 0))
		return;
	if (!x->v) {
		x->v = ib_xcalloc(cap, sizeof(double));
		x->boot = ib_xcalloc(cap, sizeof(uint32_t));
	}
	x->v[x->n] = v;
	x->boot[x->n++] = boot;
}

static void count_row(struct ib_run_data *r, const struct ib_row *row)
{
	int w, k;

	r->traced_cycles++;
	r->releases += row->releases;
	r->release_hits += row->release_hits;
	for (w = 0; w < IB_NWIN; w++) {
		ib_switch_count_add(&r->sw[w], &row->sw[w]);
		for (k = 0; k < IB_HW_NR; k++)
			r->hw[w][k] += row->hw[w][k];
	}
	if (row->release_target == IB_TARGET_NONE)
		return;
	if (r->target == IB_TARGET_NONE)
		r->target = row->release_target;
	else if (r->target != row->release_target)
		r->target = IB_TARGET_MIXED;
}

static void samples(struct ib_run_data *r, unsigned int flags)
{
	size_t i, cap = r->nrows;
	int lean = 0;

	/* cycles with fewer probes than all time the phases, if any ran */
	r->boots = 0;
	for (i = 0; i < r->nrows; i++) {
		lean |= r->rows[i].probes != IB_PROBES_ALL;
		r->timed |= r->rows[i].probes == IB_PROBES_RELEASE &&
			    !(flags & IB_LOAD_PROBED);
		/* boots as the rows have them: the unit of the statistics */
		if (!i || r->rows[i].boot != r->rows[i - 1].boot) {
			size_t j;

			for (j = 0; j < i && r->rows[j].boot != r->rows[i].boot; j++)
				;
			r->boots += j == i;
		}
	}
	r->target = IB_TARGET_NONE;
	snprintf(r->phase[0], sizeof(r->phase[0]), "%s",
		 r->rows[0].phase[0][0] ? r->rows[0].phase[0] : "phase1");
	snprintf(r->phase[1], sizeof(r->phase[1]), "%s",
		 r->rows[0].phase[1][0] ? r->rows[0].phase[1] : "phase2");
	/* time in us and ms; instructions as counted */
	double per_span = r->unit == IB_UNIT_INSN ? 1 : 1e3;
	double per_phase = r->unit == IB_UNIT_INSN ? 1 : 1e6;

	for (i = 0; i < r->nrows; i++) {
		const struct ib_row *row = &r->rows[i];
		int all = row->probes == IB_PROBES_ALL;
		double rel = row->releases ? row->release_len / per_span / row->releases : 0;
		struct ib_values *ph = lean && all ? r->probed : r->s;

		push(&ph[IB_S_PHASE1], row->phase_len[0] / per_phase, row->boot, cap);
		push(&ph[IB_S_PHASE2], row->phase_len[1] / per_phase, row->boot, cap);
		if (!row->traced)
			continue;
		if (all)
			count_row(r, row);
		/*
		 * On an instruction clock, a span that an interrupt or a
		 * task switch entered holds other work: shown apart, never
		 * in the figure.
		 */
		if (r->unit == IB_UNIT_INSN && !all &&
		    (row->releases || row->core_calls)) {
			r->timed_cycles++;
			if (row->span_irqs) {
				r->disturbed++;
				continue;
			}
		}
		if (all && row->releases)
			push(&r->probed[IB_S_RELEASE], rel, row->boot, cap);
		if (row->releases && (r->timed ? row->probes == IB_PROBES_RELEASE : all))
			push(&r->s[IB_S_RELEASE], rel, row->boot, cap);
		if (row->core_calls && row->probes == IB_PROBES_CORE)
			push(&r->s[IB_S_CORE], row->core_len / per_span / row->core_calls,
			     row->boot, cap);
	}
}

/* One probe hit's cost per kind: the median of the boots' own. */
static void probe_cost(struct ib_run_data *r, json_object *m)
{
	json_object *boots = ib_meta_get(m, "boots", NULL);
	size_t nb = boots && json_object_get_type(boots) == json_type_array ?
		    json_object_array_length(boots) : 0, i;
	double *v = ib_xcalloc(nb + 1, sizeof(double));
	int k;

	for (k = 0; k < IB_COST_NR; k++) {
		char *path = ib_xasprintf("probe_cost.hit_ns.%s",
					  ib_cost_kind_name(k));
		size_t n = 0;
		json_object *o;

		for (i = 0; i < nb; i++) {
			o = ib_meta_get(json_object_array_get_idx(boots, i), path, NULL);
			if (o)
				v[n++] = json_object_get_double(o);
		}
		if (!nb && (o = ib_meta_get(m, path, NULL)))
			v[n++] = json_object_get_double(o);
		if (n) {
			r->cost.hit_ns[k] = ib_median(v, n);
			r->cost.measured[k] = 1;
		}
		free(path);
	}
	free(v);
}

int ib_run_load(struct ib_run_data *r, const char *dir, unsigned int flags,
		char *err, size_t errlen)
{
	char *path = ib_xasprintf("%s/meta.json", dir);
	json_object *m = json_object_from_file(path), *o, *boots;
	size_t i;
	int ret;

	memset(r, 0, sizeof(*r));
	r->dir = dir;
	if (!m) {
		snprintf(err, errlen, "%s: missing or not JSON", path);
		free(path);
		return -EINVAL;
	}
	ret = ib_meta_validate(m, path, err, errlen);
	free(path);
	if (ret) {
		json_object_put(m);
		return ret;
	}
	o = ib_meta_get(m, "status", NULL);
	if (!o || strcmp(json_object_get_string(o), "ok")) {
		snprintf(err, errlen, "%s: run status is %s, not ok", dir,
			 o ? json_object_get_string(o) : "missing");
		json_object_put(m);
		return -EINVAL;
	}
	jcopy(r->label, sizeof(r->label), m, "label", dir);
	jcopy(r->kernel, sizeof(r->kernel), m, "system.kernel_release", "?");
	jcopy(r->release_fn, sizeof(r->release_fn), m, "release_function", "none");
	jcopy(r->core_fn, sizeof(r->core_fn), m, "core_function", "none");
	jcopy(r->iommu, sizeof(r->iommu), m, "system.iommu_driver", "no");
	jcopy(r->mode, sizeof(r->mode), m, "config.mode", "?");
	o = ib_meta_get(m, "config.devices", NULL);
	r->ndevices = o ? json_object_array_length(o) : 0;
	o = ib_meta_get(m, "config.cycles", NULL);
	r->cycles_per_boot = o ? json_object_get_int(o) : 0;
	boots = ib_meta_get(m, "boots", NULL);
	r->boots = boots ? json_object_array_length(boots) : 1; /* as meta says */
	o = ib_meta_get(m, "trace.lost_events", NULL);
	r->lost = o && json_object_get_boolean(o);
	/* a merged run: any boot that lost events taints it */
	for (i = 0; boots && i < r->boots; i++) {
		o = ib_meta_get(json_object_array_get_idx(boots, i),
				"trace.lost_events", NULL);
		if (o && json_object_get_boolean(o))
			r->lost = 1;
	}
	probe_cost(r, m);
	o = ib_meta_get(m, "icount_shift", NULL);
	r->icount_shift = o ? json_object_get_int(o) : -1;
	json_object_put(m);

	path = ib_xasprintf("%s/cycles.csv", dir);
	ret = ib_cycles_csv_read(path, &r->rows, &r->nrows, &r->unit, err, errlen);
	free(path);
	if (ret)
		return ret;
	if (!r->nrows) {
		snprintf(err, errlen, "%s: no cycles recorded", dir);
		return -EINVAL;
	}
	samples(r, flags);
	return 0;
}

void ib_run_free(struct ib_run_data *r)
{
	int k;

	free(r->rows);
	for (k = 0; k < IB_S_NR; k++) {
		free(r->s[k].v);
		free(r->s[k].boot);
		free(r->probed[k].v);
		free(r->probed[k].boot);
	}
	memset(r, 0, sizeof(*r));
}
