// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench run: arm the probes, drive cycles through the module, read
 * the trace back and write one result directory.
 *
 * The directory is built as OUT.partial and renamed to OUT when the run
 * succeeded, or to OUT.failed (with the reason in meta.json) when it did
 * not: a reader never sees half a result under OUT.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <event-parse.h>
#include <tracefs.h>

#include "stats.h"
#include "account.h"
#include "commands.h"
#include "cycles_csv.h"
#include "decode.h"
#include "kmod_ctl.h"
#include "dev_inuse.h"
#include "modes.h"
#include "meta.h"
#include "probe_cost.h"
#include "probe_arm.h"
#include "summary.h"
#include "tracing.h"
#include "util.h"

#include "run_state.h"

/* Refuse early, with the device's name, what sysfs already tells. */
static int check_devices(const struct ib_run_opts *o)
{
	uint32_t i;

	for (i = 0; i <= o->ndevs; i++) {
		const char *name = i < o->ndevs ? o->names[i] : o->owner_name;
		char *p, *g, use[IB_DEV_IN_USE_LEN];
		int ok, grouped;

		if (!name[0])
			continue;
		if (ib_dev_in_use(name, i < o->ndevs &&
				  (o->devs[i].flags & IOMMU_BENCH_DEV_F_NET_UP),
				  use, sizeof(use)) < 0) {
			ib_err("%s: %s, refusing to remove it", name, use);
			return -EBUSY;
		}
		p = ib_xasprintf("/sys/bus/pci/devices/%s", name);
		g = ib_xasprintf("%s/iommu_group", p);
		ok = !access(p, F_OK);
		grouped = !access(g, F_OK);
		free(p);
		free(g);
		if (!ok) {
			ib_err("%s: no such PCI device", name);
			return -ENODEV;
		}
		if (!grouped) {
			ib_err("%s: has no IOMMU group (no IOMMU, or IOMMU off): nothing to measure",
			       name);
			return -EINVAL;
		}
	}
	return 0;
}

static int load_probes(struct ib_run_state *s)
{
	const char *dir = s->o->probes_dir;
	const char *drv = ib_meta_iommu_driver();
	char err[512], *defdir = NULL;
	int ret;

	if (!dir)
		dir = defdir = ib_xasprintf("%s/configs/probes", ib_data_dir());
	s->ps = ib_probeset_create();
	ret = ib_probeset_load_driver(s->ps, dir, drv, err, sizeof(err));
	if (ret == IB_NO_DRIVER_PACK) {
		ib_warn("no probe pack %s/%s.conf for IOMMU driver %s: core probes only",
			dir, drv, drv);
		ret = 0;
	} else if (ret) {
		snprintf(s->error, sizeof(s->error), "probe pack: %s", err);
	} else if (!drv) {
		ib_warn("no IOMMU driver recognised in /sys/class/iommu: core probes only");
	}
	free(defdir);
	return ret;
}

/* A batch that times a span this kernel has no probe for is dropped. */
static void fit_plan(struct ib_run_state *s)
{
	struct ib_run_opts *o = s->o;
	int k, i, keep = 0;

	for (k = 0; k < o->nplan; k++) {
		int armed = 0;

		if (o->plan[k] == IB_PROBES_RELEASE || o->plan[k] == IB_PROBES_CORE) {
			for (i = 0; i < s->ps->nprobes; i++)
				armed |= s->ps->probes[i].symbol &&
					 ib_probe_in_batch(&s->ps->probes[i], o->plan[k]);
			if (!armed) {
				ib_warn("no %s span probe armed: no '%s' batches",
					ib_probes_name(o->plan[k]),
					ib_probes_name(o->plan[k]));
				continue;
			}
		}
		o->plan[keep++] = o->plan[k];
	}
	o->nplan = keep;
}

/*
 * The armed probes' lines of kallsyms, for the trace.dat (only those: the
 * whole would make every trace.dat tens of MiB), from the copy read to
 * arm them: reading /proc/kallsyms again took a second under TCG.
 */
static char *probed_symbols(const struct ib_probeset *ps,
			    const struct ib_kallsyms *ks)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	int i, j;

	if (!f)
		return NULL;
	for (i = 0; i < ps->nprobes; i++) {
		const char *sym = ps->probes[i].symbol;

		for (j = 0; sym && j < i; j++)	/* each symbol once */
			if (ps->probes[j].symbol && !strcmp(ps->probes[j].symbol, sym))
				break;
		if (sym && j == i)
			ib_kallsyms_print(ks, sym, f);
	}
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

static int setup_tracing(struct ib_run_state *s)
{
	struct ib_kallsyms *ks;
	struct utsname u;
	char err[512], *name;
	int i, armed;

	name = ib_xasprintf("iommu_bench_%d", (int)getpid());
	s->tr = ib_tracing_create(s->o->tracefs, name, s->o->buffer_kb, s->o->clock, err,
				  sizeof(err));
	free(name);
	if (!s->tr) {
		snprintf(s->error, sizeof(s->error), "%s", err);
		return -ENODEV;
	}
	if (load_probes(s))
		return -EINVAL;
	ks = ib_kallsyms_load(NULL, s->error, sizeof(s->error));
	if (!ks)
		return -ENOENT;
	uname(&u);
	ib_probeset_set_release(s->ps, u.release);
	armed = ib_probeset_arm(s->ps, ks, u.machine);
	s->ksyms = probed_symbols(s->ps, ks);
	ib_kallsyms_free(ks);
	if (s->ps->held) {
		/* its events would land in the other tracer, ours count 0 */
		snprintf(s->error, sizeof(s->error),
			 "%s: stop that session first (trace-cmd reset; or echo 0 > its enable, then -:%s/... into kprobe_events)",
			 s->ps->held, IB_PROBE_SYSTEM);
		return -EBUSY;
	}
	for (i = 0; i < s->ps->nprobes; i++) {
		const struct ib_probe *p = &s->ps->probes[i];

		/* missing where its pack vouches for it: the pack is wrong */
		if (!p->symbol && (ib_probe_expected(p, u.release) || !p->arms_on[0]))
			ib_warn("probe %s: %s%s%s", p->name, p->note,
				p->lost[0] ? "; lost: " : "", p->lost);
		else if (!p->symbol && !s->o->quiet)
			ib_info("probe %s: not on this kernel (%s); lost: %s",
				p->name, p->note, p->lost);
		else if (p->note && !s->o->quiet)
			ib_info("probe %s: %s", p->name, p->note);
	}
	if (!armed)
		ib_warn("no probe could be armed: only module timing is recorded");

	if (ib_tracing_enable(s->tr, "iommu_bench", NULL)) {
		snprintf(s->error, sizeof(s->error),
			 "no iommu_bench trace events: is the module loaded?");
		return -ENOENT;
	}
	for (i = 0; i < s->ps->ntracepoints; i++) {
		char *sys = ib_xstrdup(s->ps->tracepoints[i]);
		char *ev = strchr(sys, ':');

		*ev++ = '\0';
		if (ib_tracing_enable(s->tr, sys, ev) && !s->o->quiet)
			ib_info("tracepoint %s:%s is not in this kernel", sys, ev);
		free(sys);
	}
	for (i = 0; ib_interrupt_events[i] && s->nirq < 32; i++) {
		char *sys = ib_xstrdup(ib_interrupt_events[i]);
		char *ev = strchr(sys, '/');

		*ev++ = '\0';
		if (!ib_tracing_enable(s->tr, sys, ev))
			s->irq[s->nirq++] = ib_xstrdup(ib_interrupt_events[i]);
		free(sys);
	}
	for (i = 0; i < s->ps->nprobes; i++) {
		const struct ib_probe *p = &s->ps->probes[i];

		/* the core function is timed alone, in batches of its own */
		if (!p->symbol || !ib_probe_in_batch(p, IB_PROBES_ALL))
			continue;
		ib_tracing_enable(s->tr, IB_PROBE_SYSTEM, p->name);
		if (p->kretprobe) {
			char *r = ib_xasprintf("%s_ret", p->name);

			ib_tracing_enable(s->tr, IB_PROBE_SYSTEM, r);
			free(r);
		}
	}
	fit_plan(s);
	return ib_run_tep_setup(s) ? -EIO : 0;
}

int cmd_run(int argc, char **argv)
{
	struct ib_run_opts o = { 0 };
	struct ib_run_state s = { .o = &o, .fd = -1 };
	struct ib_account *acc = NULL;
	struct utsname u;
	char now[32], why[256];
	double t0;
	int ret;

	if (ib_run_parse_opts(&o, argc, argv))
		return 2;
	/*
	 * From the start: a signal during setup, before the handlers, would
	 * leave OUT.partial and our tracefs instance behind.
	 */
	ib_run_catch_signals();
	uname(&u);
	if (!o.label)
		o.label = u.release;
	if (!access(o.out, F_OK)) {
		ib_err("%s exists: results are never overwritten", o.out);
		return 2;
	}
	ret = check_devices(&o);
	if (ret)	/* a name that is no device is a typo; the rest, refusals */
		return ret == -ENODEV ? 2 : IB_EXIT_REFUSED;
	s.fd = ib_kmod_open(o.control, why, sizeof(why));
	if (s.fd < 0) {
		ib_err("%s: %s", o.control, why);
		return IB_EXIT_REFUSED;
	}
	ret = ib_run_check_with_module(&s);
	if (ret)
		goto out;
	s.meta = json_object_new_object();
	json_object_object_add(s.meta, "tool", json_object_new_string("iommu-bench"));
	json_object_object_add(s.meta, "tool_version",
			       json_object_new_string(IB_VERSION));
	json_object_object_add(s.meta, "uapi_version",
			       json_object_new_int(IOMMU_BENCH_ABI_VERSION));
	json_object_object_add(s.meta, "label", json_object_new_string(o.label));
	ib_meta_now(now, sizeof(now));
	json_object_object_add(s.meta, "started", json_object_new_string(now));
	json_object_object_add(s.meta, "system", ib_meta_system());
	json_object_object_add(s.meta, "config", ib_run_opts_json(&o));
	ib_run_clock_json(s.meta, &o);
	/* Nothing is written until tracing is set up: bad setup, no result. */
	t0 = ib_now_ms();
	if (!o.no_trace && setup_tracing(&s)) {
		ib_err("%s", s.error);
		ret = IB_EXIT_REFUSED;
		goto out;
	}
	if (!o.nplan) {
		ib_err("no batch left to run (see the warnings above)");
		ret = IB_EXIT_REFUSED;
		goto out;
	}
	s.cycles_cap = (o.until_ci ? o.max_cycles : o.cycles) * o.nplan;
	s.timings = ib_xcalloc((size_t)s.cycles_cap * o.ndevs, sizeof(*s.timings));
	s.probes = ib_xcalloc(s.cycles_cap, 1);
	if (ib_run_stop_signal()) {
		ib_err("interrupted by signal %d before the first cycle: nothing written",
		       ib_run_stop_signal());
		ret = 1;
		goto out;
	}
	s.partial = ib_xasprintf("%s.partial", o.out);
	if (mkdir(s.partial, 0755)) {
		ib_err("cannot create %s: %s", s.partial, strerror(errno));
		ret = 1;
		goto out;
	}
	if (s.tr)
		ib_run_tracedat_begin(&s);
	s.setup_ms = ib_now_ms() - t0;

	t0 = ib_now_ms();
	ret = ib_run_drive(&s);
	s.drive_ms = ib_now_ms() - t0;
	t0 = ib_now_ms();
	if (!ret && o.probe_cost && s.tr) {
		char err[256];

		if (!o.quiet)
			ib_info("%s: measuring what one probe hit costs", o.label);
		if (ib_probe_cost_measure(s.fd, u.machine, &s.cost, err, sizeof(err)))
			ib_warn("probe cost not measured: %s", err);
	}
	s.cost_ms = ib_now_ms() - t0;
	if (s.tr) {
		if (!o.quiet)
			ib_info("%s: reading the trace back", o.label);
		if (ib_run_drain(&s)) {
			ib_err("%s", s.error);
			ret = ret ? ret : -EIO;
		}
		acc = ib_run_account(&s);
		if (ib_probeset_read_profile(s.ps))
			ib_warn("cannot read kprobe_profile: probe misses unknown");
		t0 = ib_now_ms();
		ib_run_tracedat_end(&s);
		s.tracedat_ms = ib_now_ms() - t0;
		json_object_object_add(s.meta, "trace_dat",
				       ib_run_tracedat_json(&s));
	}
	ret = ib_run_write_result(&s, acc, ret) ? 1 : 0;
out:
	ib_account_free(acc);
	ib_decoder_free(s.dec);
	if (s.tep)
		tep_free(s.tep);
	/* The instance first: an enabled kprobe cannot be removed. */
	ib_tracing_destroy(s.tr);
	if (s.ps)
		ib_probeset_disarm(s.ps);
	ib_probeset_free(s.ps);
	json_object_put(s.meta);
	free(s.ev);
	free(s.timings);
	free(s.probes);
	free(s.partial);
	free(s.pages);
	free(s.ksyms);
	free(s.tracedat_note);
	while (s.nirq)
		free(s.irq[--s.nirq]);
	close(s.fd);
	return ret;
}
