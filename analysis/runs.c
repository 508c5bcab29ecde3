// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runs.h"
#include "../bench/util.h"

static json_object *jget(json_object *o, const char *path)
{
	char *copy = ib_xstrdup(path), *tok, *save = NULL;
	json_object *cur = o;

	for (tok = strtok_r(copy, ".", &save); tok && cur;
	     tok = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(cur, tok, &cur))
			cur = NULL;
	free(copy);
	return cur && json_object_get_type(cur) != json_type_null ? cur : NULL;
}

static void jcopy(char *dst, size_t len, json_object *m, const char *path,
		  const char *def)
{
	json_object *o = jget(m, path);

	snprintf(dst, len, "%s", o ? json_object_get_string(o) : def);
}

static void samples(struct ib_run_data *r)
{
	size_t i;
	int mixed = 0;

	/* cycles run without probes among probed ones: the probe effect */
	for (i = 0; i < r->nrows; i++)
		mixed |= r->rows[i].probes ? 1 : 2;
	r->release_us = ib_xcalloc(r->nrows, sizeof(double));
	r->phase_ms[0] = ib_xcalloc(r->nrows, sizeof(double));
	r->phase_ms[1] = ib_xcalloc(r->nrows, sizeof(double));
	r->bare_ms[0] = ib_xcalloc(r->nrows, sizeof(double));
	r->bare_ms[1] = ib_xcalloc(r->nrows, sizeof(double));
	r->target = IB_TARGET_NONE;
	snprintf(r->phase[0], sizeof(r->phase[0]), "%s",
		 r->rows[0].phase[0][0] ? r->rows[0].phase[0] : "phase1");
	snprintf(r->phase[1], sizeof(r->phase[1]), "%s",
		 r->rows[0].phase[1][0] ? r->rows[0].phase[1] : "phase2");
	for (i = 0; i < r->nrows; i++) {
		const struct ib_row *row = &r->rows[i];
		int w, k;

		if (mixed == 3 && !row->probes) {
			r->bare_ms[0][r->nbare] = row->phase_ns[0] / 1e6;
			r->bare_ms[1][r->nbare++] = row->phase_ns[1] / 1e6;
			continue;
		}
		r->phase_ms[0][r->ncycles] = row->phase_ns[0] / 1e6;
		r->phase_ms[1][r->ncycles++] = row->phase_ns[1] / 1e6;
		if (!row->traced)
			continue;
		r->traced_cycles++;
		if (row->releases) {
			r->release_us[r->nrelease++] =
				row->release_ns / 1e3 / row->releases;
			r->releases += row->releases;
		}
		for (w = 0; w < IB_NWIN; w++) {
			ib_switch_count_add(&r->sw[w], &row->sw[w]);
			for (k = 0; k < IB_HW_NR; k++)
				r->hw[w][k] += row->hw[w][k];
		}
		if (row->release_target == IB_TARGET_NONE)
			continue;
		if (r->target == IB_TARGET_NONE)
			r->target = row->release_target;
		else if (r->target != row->release_target)
			r->target = IB_TARGET_MIXED;
	}
}

int ib_run_load(struct ib_run_data *r, const char *dir, char *err,
		size_t errlen)
{
	char *path = ib_xasprintf("%s/meta.json", dir);
	json_object *m = json_object_from_file(path), *o;
	int ret;

	memset(r, 0, sizeof(*r));
	r->dir = dir;
	if (!m) {
		snprintf(err, errlen, "%s: missing or not JSON", path);
		free(path);
		return -EINVAL;
	}
	free(path);
	o = jget(m, "status");
	if (!o || strcmp(json_object_get_string(o), "ok")) {
		snprintf(err, errlen, "%s: run status is %s, not ok", dir,
			 o ? json_object_get_string(o) : "missing");
		json_object_put(m);
		return -EINVAL;
	}
	jcopy(r->label, sizeof(r->label), m, "label", dir);
	jcopy(r->kernel, sizeof(r->kernel), m, "system.kernel_release", "?");
	jcopy(r->release_fn, sizeof(r->release_fn), m, "release_function", "none");
	jcopy(r->iommu, sizeof(r->iommu), m, "system.iommu_driver", "no");
	jcopy(r->mode, sizeof(r->mode), m, "config.mode", "?");
	o = jget(m, "config.devices");
	r->ndevices = o ? json_object_array_length(o) : 0;
	o = jget(m, "config.cycles");
	r->cycles_per_boot = o ? json_object_get_int(o) : 0;
	o = jget(m, "boots");
	r->boots = o ? json_object_array_length(o) : 1;
	o = jget(m, "trace.lost_events");
	r->lost = o && json_object_get_boolean(o);
	/* a merged run: any boot that lost events taints it */
	if (jget(m, "boots")) {
		size_t i;

		for (i = 0; i < r->boots; i++) {
			json_object *b = json_object_array_get_idx(jget(m, "boots"), i);

			o = jget(b, "trace.lost_events");
			if (o && json_object_get_boolean(o))
				r->lost = 1;
		}
	}
	json_object_put(m);

	path = ib_xasprintf("%s/cycles.csv", dir);
	ret = ib_cycles_csv_read(path, &r->rows, &r->nrows, err, errlen);
	free(path);
	if (ret)
		return ret;
	if (!r->nrows) {
		snprintf(err, errlen, "%s: no cycles recorded", dir);
		return -EINVAL;
	}
	samples(r);
	return 0;
}

void ib_run_free(struct ib_run_data *r)
{
	free(r->rows);
	free(r->release_us);
	free(r->phase_ms[0]);
	free(r->phase_ms[1]);
	free(r->bare_ms[0]);
	free(r->bare_ms[1]);
	memset(r, 0, sizeof(*r));
}
