// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tracefs.h>

#include "stats.h"
#include "kmod_ctl.h"
#include "probe_cost.h"
#include "probe_symbol.h"
#include "util.h"

#define TARGET	"iommu_bench_probe_target"

/* Each kind's events, as the packs write them: $arg1 dom, $arg2 dev. */
static const struct {
	const char *name;	/* the event, in IB_PROBE_SYSTEM */
	const char *fetch;
	int ret;		/* with a kretprobe NAME_ret */
} kinds[IB_COST_NR] = {
	[IB_COST_TRACEPOINT] = { NULL, NULL, 0 },
	[IB_COST_KPROBE] = { "cal_kprobe", "", 0 },
	[IB_COST_KPROBE_DEV] = { "cal_dev", "dev=+0(+0($arg2)):string", 0 },
	[IB_COST_KPROBE_ATTACH] = { "cal_attach",
		"dom=$arg1:x64 dtype=+0($arg1):u32 dev=+0(+0($arg2)):string", 0 },
	[IB_COST_SPAN] = { "cal_span", "action=$arg1:u64 dev=+0(+0($arg2)):string", 1 },
};

static const char *const kind_names[IB_COST_NR] = {
	[IB_COST_TRACEPOINT] = "tracepoint",
	[IB_COST_KPROBE] = "kprobe",
	[IB_COST_KPROBE_DEV] = "kprobe_dev",
	[IB_COST_KPROBE_ATTACH] = "kprobe_attach",
	[IB_COST_SPAN] = "span_ends",
};

const char *ib_cost_kind_name(enum ib_cost_kind k)
{
	return k < IB_COST_NR ? kind_names[k] : "?";
}

/* A definition left behind by a killed run is ours to replace. */
static struct tracefs_dynevent *define(const char *event, int ret,
				       const char *fetch)
{
	struct tracefs_dynevent *ev;
	char *cmd = ib_xasprintf("-:%s/%s", IB_PROBE_SYSTEM, event);

	tracefs_instance_file_append(NULL, "kprobe_events", cmd);
	free(cmd);
	ev = ret ? tracefs_kretprobe_alloc(IB_PROBE_SYSTEM, event, TARGET, fetch, 0) :
		   tracefs_kprobe_alloc(IB_PROBE_SYSTEM, event, TARGET, fetch);
	if (ev && tracefs_dynevent_create(ev)) {
		tracefs_dynevent_free(ev);
		ev = NULL;
	}
	return ev;
}

static void undefine(struct tracefs_dynevent **ev)
{
	if (!*ev)
		return;
	/*
	 * Not forced first: forcing disables the event in every instance,
	 * a walk of all event files that takes 70 ms a probe under TCG.
	 * Ours is off already; another instance may hold it, then force.
	 */
	if (tracefs_dynevent_destroy(*ev, false))
		tracefs_dynevent_destroy(*ev, true);
	tracefs_dynevent_free(*ev);
	*ev = NULL;
}

/* Turn kind @k's events on or off in @inst. */
static int toggle(struct tracefs_instance *inst, enum ib_cost_kind k, int on)
{
	int (*fn)(struct tracefs_instance *, const char *, const char *) =
		on ? tracefs_event_enable : tracefs_event_disable;
	char *r;
	int ret;

	if (k == IB_COST_TRACEPOINT)
		return fn(inst, "iommu_bench", "probe_target") ? -EIO : 0;
	ret = fn(inst, IB_PROBE_SYSTEM, kinds[k].name) ? -EIO : 0;
	if (!ret && kinds[k].ret) {
		r = ib_xasprintf("%s_ret", kinds[k].name);
		ret = fn(inst, IB_PROBE_SYSTEM, r) ? -EIO : 0;
		free(r);
	}
	return ret;
}

/* @n timed ioctls of @flags into @ns, per call; 0 or -errno. */
static int timed(int fd, const struct ib_probe_cost *pc, uint32_t flags,
		 double *ns, uint32_t n)
{
	uint64_t t;
	uint32_t r;
	int ret;

	for (r = 0; r < n; r++) {
		ret = ib_kmod_calibrate(fd, pc->calls, flags, 0, &t);
		if (ret)
			return ret;
		ns[r] = (double)t / pc->calls;
	}
	return 0;
}

/*
 * Kind @k armed, its calls timed @rounds times: the median less the
 * bare calls' is one hit.  Arming is the slow part under TCG (the kernel
 * patches its text), so each kind is armed once.
 */
static int measure_kind(int fd, struct tracefs_instance *inst,
			enum ib_cost_kind k, struct ib_probe_cost *pc)
{
	uint32_t flags = k == IB_COST_TRACEPOINT ? IOMMU_BENCH_CAL_F_TRACEPOINT : 0;
	double ns[IB_COST_ROUNDS];
	int ret = toggle(inst, k, 1);

	if (!ret)
		ret = timed(fd, pc, flags, ns, pc->rounds);
	toggle(inst, k, 0);
	if (ret)
		return ret;
	pc->hit_ns[k] = ib_median(ns, pc->rounds) - pc->bare_ns;
	pc->measured[k] = 1;
	return 0;
}

int ib_probe_cost_bare(int fd, struct ib_probe_cost *pc)
{
	double ns[2 * IB_COST_ROUNDS];
	int ret;

	memset(pc, 0, sizeof(*pc));
	pc->calls = IB_COST_CALLS;
	pc->rounds = 2 * IB_COST_ROUNDS;
	ret = timed(fd, pc, 0, ns, pc->rounds);
	if (!ret)
		pc->bare_ns = ib_median(ns, pc->rounds);
	return ret;
}

int ib_probe_cost_measure(int fd, const char *arch, struct ib_probe_cost *pc,
			  char *err, size_t errlen)
{
	struct tracefs_dynevent *ev[IB_COST_NR][2] = { { NULL } };
	double bare[2 * IB_COST_ROUNDS];
	struct tracefs_instance *inst;
	char *name;
	int k, ret = 0;
	uint64_t ns;

	memset(pc, 0, sizeof(*pc));
	pc->calls = IB_COST_CALLS;
	pc->rounds = IB_COST_ROUNDS;
	/* a module from before IOMMU_BENCH_CALIBRATE says so here */
	ret = ib_kmod_calibrate(fd, 1, 0, 0, &ns);
	if (ret) {
		snprintf(err, errlen, "the module cannot calibrate: %s",
			 strerror(-ret));
		return ret;
	}
	name = ib_xasprintf("iommu_bench_cal_%d", (int)getpid());
	inst = tracefs_instance_create(name);
	free(name);
	if (!inst) {
		snprintf(err, errlen, "cannot create a tracefs instance: %s",
			 strerror(errno));
		return -errno ? -errno : -EIO;
	}
	/* a small buffer that overwrites: the hits are written, not kept */
	tracefs_instance_set_buffer_size(inst, 256, -1);
	for (k = 0; k < IB_COST_NR; k++) {
		char *fetch, *r;

		if (!kinds[k].name)
			continue;
		fetch = ib_probe_fetch_for_arch(kinds[k].fetch, arch);
		if (!fetch)
			continue;
		ev[k][0] = define(kinds[k].name, 0, fetch);
		if (kinds[k].ret) {
			r = ib_xasprintf("%s_ret", kinds[k].name);
			ev[k][1] = define(r, 1, "");
			free(r);
		}
		free(fetch);
	}
	/* unprobed calls before and after: the baseline of every kind */
	ret = timed(fd, pc, 0, bare, pc->rounds);
	if (!ret)
		pc->bare_ns = ib_median(bare, pc->rounds);
	for (k = 0; !ret && k < IB_COST_NR; k++) {
		if (kinds[k].name && (!ev[k][0] || (kinds[k].ret && !ev[k][1])))
			continue;	/* refused: not measured */
		measure_kind(fd, inst, k, pc);
	}
	if (!ret && !timed(fd, pc, 0, bare + pc->rounds, pc->rounds)) {
		/* the hits against the baseline of both ends */
		double b = ib_median(bare, 2 * pc->rounds);

		for (k = 0; k < IB_COST_NR; k++)
			if (pc->measured[k])
				pc->hit_ns[k] += pc->bare_ns - b;
		pc->bare_ns = b;
	}
	for (k = 0; k < IB_COST_NR; k++) {
		undefine(&ev[k][1]);
		undefine(&ev[k][0]);
	}
	tracefs_instance_destroy(inst);
	tracefs_instance_free(inst);
	return 0;
}

json_object *ib_probe_cost_json(const struct ib_probe_cost *pc)
{
	json_object *j = json_object_new_object(), *h = json_object_new_object();
	int k;

	json_object_object_add(j, "calls", json_object_new_int64(pc->calls));
	json_object_object_add(j, "rounds", json_object_new_int64(pc->rounds));
	json_object_object_add(j, "bare_call_ns", json_object_new_double(pc->bare_ns));
	for (k = 0; k < IB_COST_NR; k++)
		json_object_object_add(h, kind_names[k], pc->measured[k] ?
				       json_object_new_double(pc->hit_ns[k]) : NULL);
	json_object_object_add(j, "hit_ns", h);
	return j;
}
