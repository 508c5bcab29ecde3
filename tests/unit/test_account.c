// SPDX-License-Identifier: GPL-2.0
/*
 * The accounting state machine on hand-made event streams shaped like the
 * kernels' real ones (6.1, 6.12, 6.12 with a traced release), and on the
 * edge cases a real trace can have.
 */
#include "account.h"
#include "tap.h"

#define PID 100
#define DEV "0000:00:10.0"

static struct ib_account *acc;
static uint64_t now;

static uint64_t dom_addr;	/* struct iommu_domain * of the next attach */

static void ev(enum ib_ev_kind kind, int pid, const char *dev,
	       uint32_t cycle, uint32_t phase, int32_t dom, enum ib_hw_kind hw)
{
	struct ib_event e = {
		.ts = now += 1000, .pid = pid, .kind = kind, .cycle = cycle,
		.phase = phase, .dom_type = dom, .hw = hw, .ns = 5,
		.dom = kind == IB_EV_ATTACH ? dom_addr : 0,
	};

	snprintf(e.dev, sizeof(e.dev), "%s", dev);
	ib_account_event(acc, &e);
}

static void start(void)
{
	ib_account_free(acc);
	acc = ib_account_create();
	now = 0;
}

#define CYCLE_START(c)	ev(IB_EV_CYCLE_START, PID, DEV, c, 0, -1, 0)
#define REL_IN()	ev(IB_EV_RELEASE_ENTRY, PID, DEV, 0, 0, -1, 0)
#define REL_OUT()	ev(IB_EV_RELEASE_EXIT, PID, "", 0, 0, -1, 0)
#define ATTACH(d)	ev(IB_EV_ATTACH, PID, DEV, 0, 0, d, 0)
#define CORE()		ev(IB_EV_CORE_ATTACH, PID, DEV, 0, 0, -1, 0)
#define HW(k)		ev(IB_EV_HW, PID, "", 0, 0, -1, k)
#define PHASE(c, p)	ev(IB_EV_PHASE_END, PID, DEV, c, p, -1, 0)
#define CYCLE_END(c)	ev(IB_EV_CYCLE_END, PID, DEV, c, 0, -1, 0)
#define BLOCK()		ev(IB_EV_BLOCK, PID, DEV, 0, 0, -1, 0)

static void release_61(uint32_t c)
{
	/* intel_iommu_release_device: context clear + 2 waits, no attach */
	CYCLE_START(c);
	REL_IN();
	HW(IB_HW_INVAL);
	HW(IB_HW_CTX);
	HW(IB_HW_INVAL);
	REL_OUT();
	PHASE(c, IB_PHASE_REMOVE);
	ATTACH(IB_DOM_DMA);
	CORE();
	PHASE(c, IB_PHASE_RESCAN);
	CYCLE_END(c);
}

static void release_612(uint32_t c, int traced)
{
	/* iommu_deinit_device: ops->release_domain->ops->attach_dev() */
	CYCLE_START(c);
	REL_IN();
	ATTACH(IB_DOM_BLOCKED);
	if (traced)
		CORE();
	HW(IB_HW_INVAL);
	REL_OUT();
	PHASE(c, IB_PHASE_REMOVE);
	ATTACH(IB_DOM_DMA);
	CORE();
	PHASE(c, IB_PHASE_RESCAN);
	CYCLE_END(c);
}

int main(void)
{
	const struct ib_cycle *c;
	const struct ib_account_stats *st;
	struct ib_event sorted[4] = {
		{ .ts = 30, .cycle = 1 }, { .ts = 10, .cycle = 2 },
		{ .ts = 30, .cycle = 3 }, { .ts = 20, .cycle = 4 },
	};

	tap_plan(72);

	start();
	release_61(0);
	release_61(1);
	ib_account_finish(acc);
	is_int(ib_account_ncycles(acc), 2, "6.1: one row per cycle");
	c = ib_account_cycle(acc, 1);
	is_str(c->dev, DEV, "6.1: row names the device");
	is_int(c->cycle, 1, "6.1: row carries the cycle number");
	ok(c->complete, "6.1: cycle complete");
	is_int(c->releases, 1, "6.1: one release per cycle");
	is_int(c->release_ns, 4000, "6.1: release latency is entry to return");
	is_int(c->sw[IB_WIN_RELEASE].total, 0, "6.1: no switch in the release");
	is_int(c->release_target, IB_TARGET_NONE, "6.1: no release target");
	is_int(c->hw[IB_WIN_RELEASE][IB_HW_INVAL], 2, "6.1: two invalidation waits");
	is_int(c->hw[IB_WIN_RELEASE][IB_HW_CTX], 1, "6.1: one context clear");
	is_int(c->sw[IB_WIN_PHASE2].total, 1, "6.1: re-probe attaches once");
	is_int(c->sw[IB_WIN_PHASE2].traced, 1, "6.1: ... through the core");
	is_int(c->phase_ns[0], 5, "6.1: first phase time from the module");

	start();
	release_612(0, 0);
	ib_account_finish(acc);
	c = ib_account_cycle(acc, 0);
	is_int(c->sw[IB_WIN_RELEASE].total, 1, "6.12: one switch in the release");
	is_int(c->sw[IB_WIN_RELEASE].untraced, 1, "6.12: it is untraced");
	is_int(c->sw[IB_WIN_RELEASE].traced, 0, "6.12: the tracepoint does not show it");
	is_int(c->release_target, IB_DOM_BLOCKED, "6.12: to the blocked domain");
	is_int(c->sw[IB_WIN_PHASE2].traced, 1, "6.12: re-probe attach traced");

	start();
	release_612(0, 1);
	ib_account_finish(acc);
	c = ib_account_cycle(acc, 0);
	is_int(c->sw[IB_WIN_RELEASE].traced, 1, "traced release: switch is traced");
	is_int(c->sw[IB_WIN_RELEASE].untraced, 0, "traced release: not counted twice");

	/* A tracepoint with no driver probe hit: traced, target unknown. */
	start();
	CYCLE_START(0);
	REL_IN();
	CORE();
	REL_OUT();
	CYCLE_END(0);
	ib_account_finish(acc);
	c = ib_account_cycle(acc, 0);
	is_int(c->sw[IB_WIN_RELEASE].traced, 1, "core attach alone is a traced switch");
	is_int(c->release_target, IB_DOM_UNKNOWN, "... of unknown target");

	/* Two attaches before one tracepoint: the first went around the core. */
	start();
	CYCLE_START(0);
	REL_IN();
	ATTACH(IB_DOM_BLOCKED);
	ATTACH(IB_DOM_IDENTITY);
	CORE();
	REL_OUT();
	CYCLE_END(0);
	ib_account_finish(acc);
	c = ib_account_cycle(acc, 0);
	is_int(c->sw[IB_WIN_RELEASE].total, 2, "two attaches are two switches");
	is_int(c->sw[IB_WIN_RELEASE].untraced, 1, "the first one untraced");
	is_int(c->release_target, IB_TARGET_MIXED, "targets differ: mixed");

	/* Edge cases: exits without entries, events outside any cycle. */
	start();
	REL_OUT();
	ATTACH(IB_DOM_BLOCKED);
	HW(IB_HW_INVAL);
	CYCLE_START(0);
	REL_IN();
	ib_account_finish(acc);
	st = ib_account_stats(acc);
	is_int(st->unmatched_exits, 1, "return without entry is counted");
	is_int(st->outside_switches, 1, "switch outside cycles is counted, not attributed");
	is_int(st->outside_hw, 1, "hw work outside cycles is counted");
	is_int(st->open_releases, 1, "entry without return is counted");
	is_int(st->incomplete_cycles, 1, "cycle without end is incomplete");

	/* Another thread's event, attributed by the device it names. */
	start();
	CYCLE_START(0);
	PHASE(0, IB_PHASE_REMOVE);
	ev(IB_EV_ATTACH, PID + 1, DEV, 0, 0, IB_DOM_DMA, 0);
	ev(IB_EV_ATTACH, PID + 1, "0000:00:11.0", 0, 0, IB_DOM_DMA, 0);
	CYCLE_END(0);
	ib_account_finish(acc);
	c = ib_account_cycle(acc, 0);
	st = ib_account_stats(acc);
	is_int(c->sw[IB_WIN_PHASE2].total, 1, "other thread's switch goes to the device's cycle");
	is_int(st->outside_switches, 1, "... and an unknown device's does not");
	is_int(st->events, 5, "every event is counted");

	ib_events_sort(sorted, 4);
	ok(sorted[0].ts == 10 && sorted[1].ts == 20, "events sort by time");
	ok(sorted[2].cycle == 1 && sorted[3].cycle == 3,
	   "equal stamps keep their recorded order");

	/* owned: the group is on the blocked domain when the release
	 * attaches the same blocked domain again. */
	start();
	dom_addr = 0xb10c;
	ATTACH(IB_DOM_BLOCKED);		/* the claim */
	CORE();
	CYCLE_START(0);
	REL_IN();
	ATTACH(IB_DOM_BLOCKED);		/* 6.12's release_domain */
	BLOCK();			/* inside blocking_domain_attach_dev */
	REL_OUT();
	PHASE(0, IB_PHASE_REMOVE);
	ATTACH(IB_DOM_BLOCKED);		/* re-probe into the owned group */
	CORE();
	PHASE(0, IB_PHASE_RESCAN);
	CYCLE_END(0);
	ib_account_finish(acc);
	c = ib_account_cycle(acc, 0);
	is_int(c->sw[IB_WIN_RELEASE].redundant, 1, "owned: the release switch is redundant");
	is_int(c->sw[IB_WIN_RELEASE].transient, 0, "... its internal block is part of it");
	is_int(c->sw[IB_WIN_PHASE2].redundant, 1, "... and so is the re-probe's");
	is_int(ib_account_stats(acc)->outside_switches, 1, "the claim before the cycle is outside");

	/* 6.12 probe: intel_iommu_attach_device() blocks on its way to DMA */
	start();
	CYCLE_START(0);
	PHASE(0, IB_PHASE_REMOVE);
	dom_addr = 0xd3a;
	ATTACH(IB_DOM_DMA);
	BLOCK();
	CORE();
	PHASE(0, IB_PHASE_RESCAN);
	CYCLE_END(0);
	ib_account_finish(acc);
	c = ib_account_cycle(acc, 0);
	is_int(c->sw[IB_WIN_PHASE2].transient, 1, "a block inside an attach to DMA is transient");
	is_int(c->sw[IB_WIN_PHASE2].total, 1, "... and not a switch of its own");
	is_int(c->sw[IB_WIN_PHASE2].redundant, 0, "a first attach is not redundant");

	/* AMD 6.12: amd_iommu_release_device() detaches by itself, no
	 * attach_dev; a second cycle's release does it again. */
	start();
	dom_addr = 0xa3d;
	CYCLE_START(0);
	PHASE(0, IB_PHASE_REMOVE);
	ATTACH(IB_DOM_DMA);		/* the probe at boot, as a re-probe */
	CORE();
	PHASE(0, IB_PHASE_RESCAN);
	CYCLE_END(0);
	CYCLE_START(1);
	REL_IN();
	BLOCK();
	HW(IB_HW_INVAL);
	REL_OUT();
	PHASE(1, IB_PHASE_REMOVE);
	ATTACH(IB_DOM_DMA);
	CORE();
	PHASE(1, IB_PHASE_RESCAN);
	CYCLE_END(1);
	ib_account_finish(acc);
	c = ib_account_cycle(acc, 1);
	is_int(c->sw[IB_WIN_RELEASE].internal, 1,
	       "a block in a release with no attach is the driver's own detach");
	is_int(c->sw[IB_WIN_RELEASE].transient, 0, "... not a transient one");
	is_int(c->sw[IB_WIN_RELEASE].total, 0, "... and not a switch through attach_dev");
	is_int(c->sw[IB_WIN_PHASE2].redundant, 0,
	       "after it, the re-probe's attach is not redundant");

	/* An event naming a device no cycle of ours is for. */
	start();
	CYCLE_START(0);
	ev(IB_EV_ATTACH, PID + 1, "0000:7f:00.0", 0, 0, IB_DOM_DMA, 0);
	ev(IB_EV_BLOCK, PID + 1, "0000:7f:00.0", 0, 0, -1, 0);
	PHASE(0, IB_PHASE_REMOVE);
	PHASE(0, IB_PHASE_RESCAN);
	CYCLE_END(0);
	ib_account_finish(acc);
	c = ib_account_cycle(acc, 0);
	ok(ib_account_ncycles(acc) == 1 && c->sw[IB_WIN_PHASE1].total == 0 &&
	   c->sw[IB_WIN_PHASE2].total == 0,
	   "another device's switch is not counted in our cycle");
	is_int(ib_account_stats(acc)->outside_switches, 2,
	       "... it is counted outside, with its block");

	/* group mode: A's cycle is still running while B is removed; a
	 * release names its device, and goes to that device's cycle. */
	start();
	dom_addr = 0;
	ev(IB_EV_CYCLE_START, PID, "A", 0, 0, -1, 0);
	ev(IB_EV_RELEASE_ENTRY, PID, "A", 0, 0, -1, 0);
	ev(IB_EV_RELEASE_EXIT, PID, "", 0, 0, -1, 0);
	ev(IB_EV_PHASE_END, PID, "A", 0, IB_PHASE_REMOVE, -1, 0);
	ev(IB_EV_CYCLE_START, PID, "B", 0, 0, -1, 0);
	ev(IB_EV_RELEASE_ENTRY, PID, "B", 0, 0, -1, 0);
	ev(IB_EV_HW, PID, "", 0, 0, -1, IB_HW_CTX);
	ev(IB_EV_RELEASE_EXIT, PID, "", 0, 0, -1, 0);
	ev(IB_EV_PHASE_END, PID, "B", 0, IB_PHASE_REMOVE, -1, 0);
	ev(IB_EV_ATTACH, PID, "A", 0, 0, IB_DOM_DMA, 0);
	ev(IB_EV_ATTACH, PID, "B", 0, 0, IB_DOM_DMA, 0);
	ev(IB_EV_PHASE_END, PID, "A", 0, IB_PHASE_RESCAN, -1, 0);
	ev(IB_EV_PHASE_END, PID, "B", 0, IB_PHASE_RESCAN, -1, 0);
	ev(IB_EV_CYCLE_END, PID, "A", 0, 0, -1, 0);
	ev(IB_EV_CYCLE_END, PID, "B", 0, 0, -1, 0);
	ib_account_finish(acc);
	ok(ib_account_cycle(acc, 0)->releases == 1 &&
	   ib_account_cycle(acc, 1)->releases == 1, "group: one release in each device's row");
	ok(ib_account_cycle(acc, 1)->hw[IB_WIN_RELEASE][IB_HW_CTX] == 1 &&
	   ib_account_cycle(acc, 0)->hw[IB_WIN_RELEASE][IB_HW_CTX] == 0,
	   "group: hardware work goes to the open release");
	ok(ib_account_cycle(acc, 0)->sw[IB_WIN_PHASE2].total == 1 &&
	   ib_account_cycle(acc, 1)->sw[IB_WIN_PHASE2].total == 1,
	   "group: each re-probe switch to its own device");

	/*
	 * One span on every kernel: iommu_bus_notifier(), a release only
	 * for BUS_NOTIFY_REMOVED_DEVICE.  Its other calls (the re-probe's
	 * BUS_NOTIFY_ADD_DEVICE) open no release window; every other event
	 * inside a release is a probe hit; markers say which probes were on.
	 */
	{
		struct ib_event mark = { .kind = IB_EV_MARK, .pid = PID,
					 .probes = IB_PROBES_RELEASE };
		/* 6.12's numbers: ADD_DEVICE 0, REMOVED_DEVICE 2 */
		struct ib_event add = { .kind = IB_EV_RELEASE_ENTRY, .pid = PID,
					.when_removed = 1, .arg = 0 };
		struct ib_event run = { .kind = IB_EV_RUN_START, .pid = PID,
					.arg = 2 };
		struct ib_event rel = { .kind = IB_EV_RELEASE_ENTRY, .pid = PID,
					.when_removed = 1, .arg = 2 };
		const struct ib_cycle *c;

		start();
		mark.ts = now += 1000;
		ib_account_event(acc, &mark);
		run.ts = now += 1000;
		ib_account_event(acc, &run);
		CYCLE_START(0);
		rel.ts = now += 1000;
		snprintf(rel.dev, sizeof(rel.dev), DEV);
		ib_account_event(acc, &rel);
		REL_OUT();
		PHASE(0, IB_PHASE_REMOVE);
		add.ts = now += 1000;
		snprintf(add.dev, sizeof(add.dev), DEV);
		ib_account_event(acc, &add);
		ATTACH(IB_DOM_DMA);
		CORE();
		REL_OUT();
		PHASE(0, IB_PHASE_RESCAN);
		CYCLE_END(0);
		mark.probes = IB_PROBES_ALL;
		mark.ts = now += 1000;
		ib_account_event(acc, &mark);
		CYCLE_START(1);
		REL_IN();
		ATTACH(IB_DOM_BLOCKED);
		ev(IB_EV_OTHER, PID, "", 0, 0, -1, 0);
		HW(IB_HW_INVAL);
		ev(IB_EV_OTHER, 999, "", 0, 0, -1, 0);	/* another thread */
		REL_OUT();
		ev(IB_EV_CORE_ENTRY, PID, DEV, 0, 0, -1, 0);
		ev(IB_EV_CORE_EXIT, PID, "", 0, 0, -1, 0);
		PHASE(1, IB_PHASE_REMOVE);
		PHASE(1, IB_PHASE_RESCAN);
		CYCLE_END(1);
		ib_account_finish(acc);
		c = ib_account_cycle(acc, 0);
		ok(c->probes == IB_PROBES_RELEASE && ib_account_cycle(acc, 1)->probes == IB_PROBES_ALL,
		   "each cycle takes the probes of the marker before it");
		ok(c->releases == 1 && c->release_ns == 1000,
		   "the notifier's other call is no release");
		ok(c->sw[IB_WIN_PHASE2].total == 1 && c->sw[IB_WIN_RELEASE].total == 0,
		   "a switch inside the other call counts in its phase, not the release");
		ok(c->release_hits == 0, "nothing fired inside the span: 0 hits");
		c = ib_account_cycle(acc, 1);
		is_int(c->release_hits, 3, "every event of the thread inside the span is a hit, the span's own ends not");
		ok(c->sw[IB_WIN_RELEASE].total == 1 && c->hw[IB_WIN_RELEASE][IB_HW_INVAL] == 1,
		   "switches and hardware work inside the span are the release's");
		ok(c->core_calls == 1 && c->core_ns == 1000 && c->releases == 1,
		   "the core function's span is timed apart");
		is_int(ib_account_stats(acc)->unmatched_exits, 0, "every return matched its entry");
		is_int(ib_account_stats(acc)->unknown_when, 0, "run_start said which bus event releases");
		is_int(ib_probes_parse("1"), IB_PROBES_ALL, "a file's old probes = 1 reads as all");
	}


	/*
	 * One rule for every driver: a release that takes the device off its
	 * domain itself is a driver-internal block.  6.1 Intel: a compiler
	 * clone armed without its fetch names no device (the release's is
	 * meant), on every cycle.  6.12 SMMUv3: its own attach in the
	 * release ("in_release = driver").  A hit the pack's "when" rejects
	 * (6.12 AMD's dev_update_dte setting a DTE) counts nowhere.
	 */
	{
		struct ib_event e = { .pid = PID };
		int k;

		start();
		for (k = 0; k < 2; k++) {
			CYCLE_START(k);
			REL_IN();
			ev(IB_EV_BLOCK, PID, "", 0, 0, -1, 0);
			HW(IB_HW_CTX);
			REL_OUT();
			PHASE(k, IB_PHASE_REMOVE);
			ATTACH(IB_DOM_DMA);
			CORE();
			PHASE(k, IB_PHASE_RESCAN);
			CYCLE_END(k);
		}
		ib_account_finish(acc);
		ok(ib_account_cycle(acc, 0)->sw[IB_WIN_RELEASE].internal == 1 &&
		   ib_account_cycle(acc, 1)->sw[IB_WIN_RELEASE].internal == 1,
		   "a block naming no device is the release's device's, each cycle");
		is_int(ib_account_cycle(acc, 1)->sw[IB_WIN_RELEASE].total, 0,
		       "... and no switch");

		start();
		CYCLE_START(0);
		REL_IN();
		e.kind = IB_EV_ATTACH;
		e.dom_type = IB_DOM_BLOCKED;
		e.driver_release = 1;
		e.ts = now += 1000;
		snprintf(e.dev, sizeof(e.dev), DEV);
		ib_account_event(acc, &e);
		e.kind = IB_EV_HW;
		e.hw = IB_HW_CTX;
		e.other = 1;
		e.ts = now += 1000;
		ib_account_event(acc, &e);
		REL_OUT();
		PHASE(0, IB_PHASE_REMOVE);
		e.kind = IB_EV_ATTACH;
		e.dom_type = IB_DOM_DMA;
		e.other = 0;
		e.ts = now += 1000;
		ib_account_event(acc, &e);
		PHASE(0, IB_PHASE_RESCAN);
		CYCLE_END(0);
		ib_account_finish(acc);
		c = ib_account_cycle(acc, 0);
		is_int(c->sw[IB_WIN_RELEASE].internal, 1,
		       "in_release = driver: the driver's attach in its release is its own detach");
		is_int(c->sw[IB_WIN_RELEASE].total, 0, "... not a release switch");
		is_int(c->sw[IB_WIN_PHASE2].total, 1, "... the same probe outside a release is a switch");
		is_int(c->hw[IB_WIN_RELEASE][IB_HW_CTX], 0, "a hit 'when' rejects is not counted");
		ok(c->release_hits == 2, "... but it is a probe hit all the same");

		/* a group claimed before the trace: the module's cycle_start
		 * says the device is on the blocked domain 0xb10c already */
		start();
		e = (struct ib_event){ .pid = PID, .kind = IB_EV_CYCLE_START,
				       .dom = 0xb10c, .dom_type = IB_DOM_BLOCKED,
				       .ts = now += 1000 };
		snprintf(e.dev, sizeof(e.dev), DEV);
		ib_account_event(acc, &e);
		REL_IN();
		dom_addr = 0xb10c;
		ATTACH(IB_DOM_BLOCKED);
		BLOCK();
		REL_OUT();
		PHASE(0, IB_PHASE_REMOVE);
		PHASE(0, IB_PHASE_RESCAN);
		CYCLE_END(0);
		ib_account_finish(acc);
		c = ib_account_cycle(acc, 0);
		is_int(c->sw[IB_WIN_RELEASE].redundant, 1,
		       "cycle_start's domain: the first release switch back to it is redundant");
		is_int(c->sw[IB_WIN_RELEASE].internal, 0,
		       "... and a block of a device already blocked is no detach");
	}

	is_str(ib_dom_type_name(IB_DOM_BLOCKED), "blocked", "domain type 0 is blocked");
	is_str(ib_window_name(IB_WIN_PHASE2), "phase2", "window names");
	ib_account_free(acc);
	return tap_done();
}
