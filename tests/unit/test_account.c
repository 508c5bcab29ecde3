// SPDX-License-Identifier: GPL-2.0
/*
 * The accounting state machine on hand-made event streams shaped like the
 * kernels' real ones (6.1, 6.12, 6.12 with a traced release), and on the
 * edge cases a real trace can have: events outside any cycle, another
 * thread's or another device's, two devices' cycles at once.
 * test_account_switch_kinds.c: redundant, transient and driver-internal
 * switches; test_account_span.c: the release span and its probe hits.
 */
#include "account_stream.h"
#include "tap.h"

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

/* two cycles of 6.1, accounted: the second one's row */
static const struct ib_cycle *two_61_cycles(void)
{
	start();
	release_61(0);
	release_61(1);
	ib_account_finish(acc);
	return ib_account_cycle(acc, 1);
}

/* one cycle of 6.12, @traced or not, accounted: its row */
static const struct ib_cycle *one_612_cycle(int traced)
{
	start();
	release_612(0, traced);
	ib_account_finish(acc);
	return ib_account_cycle(acc, 0);
}

static void rows_61(void)
{
	const struct ib_cycle *c = two_61_cycles();

	is_int(ib_account_ncycles(acc), 2, "6.1: one row per cycle");
	is_str(c->dev, DEV, "6.1: row names the device");
	is_int(c->cycle, 1, "6.1: row carries the cycle number");
	ok(c->complete, "6.1: cycle complete");
}

static void release_61_switches_nothing(void)
{
	const struct ib_cycle *c = two_61_cycles();

	is_int(c->releases, 1, "6.1: one release per cycle");
	is_int(c->release_ns, 4000, "6.1: release latency is entry to return");
	is_int(c->sw[IB_WIN_RELEASE].total, 0, "6.1: no switch in the release");
	is_int(c->release_target, IB_TARGET_NONE, "6.1: no release target");
}

static void release_61_hw_work(void)
{
	const struct ib_cycle *c = two_61_cycles();

	is_int(c->hw[IB_WIN_RELEASE][IB_HW_INVAL], 2, "6.1: two invalidation waits");
	is_int(c->hw[IB_WIN_RELEASE][IB_HW_CTX], 1, "6.1: one context clear");
}

static void reprobe_61(void)
{
	const struct ib_cycle *c = two_61_cycles();

	is_int(c->sw[IB_WIN_PHASE2].total, 1, "6.1: re-probe attaches once");
	is_int(c->sw[IB_WIN_PHASE2].traced, 1, "6.1: ... through the core");
	is_int(c->phase_ns[0], 5, "6.1: first phase time from the module");
}

static void release_612_untraced_switch(void)
{
	const struct ib_cycle *c = one_612_cycle(0);

	is_int(c->sw[IB_WIN_RELEASE].total, 1, "6.12: one switch in the release");
	is_int(c->sw[IB_WIN_RELEASE].untraced, 1, "6.12: it is untraced");
	is_int(c->sw[IB_WIN_RELEASE].traced, 0, "6.12: the tracepoint does not show it");
}

static void release_612_targets(void)
{
	const struct ib_cycle *c = one_612_cycle(0);

	is_int(c->release_target, IB_DOM_BLOCKED, "6.12: to the blocked domain");
	is_int(c->sw[IB_WIN_PHASE2].traced, 1, "6.12: re-probe attach traced");
}

static void release_612_traced(void)
{
	const struct ib_cycle *c = one_612_cycle(1);

	is_int(c->sw[IB_WIN_RELEASE].traced, 1, "traced release: switch is traced");
	is_int(c->sw[IB_WIN_RELEASE].untraced, 0, "traced release: not counted twice");
}

/* A tracepoint with no driver probe hit: traced, target unknown. */
static void core_attach_alone(void)
{
	const struct ib_cycle *c;

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
}

/* Two attaches before one tracepoint: the first went around the core. */
static void attach_around_the_core(void)
{
	const struct ib_cycle *c;

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
}

/*
 * Edge cases: exits without entries, events outside any cycle, and the
 * trace ending inside a release: accounted, its stats.
 */
static const struct ib_account_stats *ragged_trace(void)
{
	start();
	REL_OUT();
	ATTACH(IB_DOM_BLOCKED);
	HW(IB_HW_INVAL);
	CYCLE_START(0);
	REL_IN();
	ib_account_finish(acc);
	return ib_account_stats(acc);
}

static void events_outside_cycles(void)
{
	const struct ib_account_stats *st = ragged_trace();

	is_int(st->unmatched_exits, 1, "return without entry is counted");
	is_int(st->outside_switches, 1, "switch outside cycles is counted, not attributed");
	is_int(st->outside_hw, 1, "hw work outside cycles is counted");
}

static void trace_ends_in_a_release(void)
{
	const struct ib_account_stats *st = ragged_trace();

	is_int(st->open_releases, 1, "entry without return is counted");
	is_int(st->incomplete_cycles, 1, "cycle without end is incomplete");
}

/* Another thread's event, attributed by the device it names. */
static void other_thread_by_device(void)
{
	const struct ib_account_stats *st;
	const struct ib_cycle *c;

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
}

/* An event naming a device no cycle of ours is for. */
static void other_device_not_ours(void)
{
	const struct ib_cycle *c;

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
}

/*
 * group mode: A's cycle is still running while B is removed; a release
 * names its device, and goes to that device's cycle.
 */
static void group_cycles_overlap(void)
{
	start();
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
}

static void events_sort(void)
{
	struct ib_event sorted[4] = {
		{ .ts = 30, .cycle = 1 }, { .ts = 10, .cycle = 2 },
		{ .ts = 30, .cycle = 3 }, { .ts = 20, .cycle = 4 },
	};

	ib_events_sort(sorted, 4);
	ok(sorted[0].ts == 10 && sorted[1].ts == 20, "events sort by time");
	ok(sorted[2].cycle == 1 && sorted[3].cycle == 3,
	   "equal stamps keep their recorded order");
}

static void names(void)
{
	is_str(ib_dom_type_name(IB_DOM_BLOCKED), "blocked", "domain type 0 is blocked");
	is_str(ib_window_name(IB_WIN_PHASE2), "phase2", "window names");
}

static const struct tap_case cases[] = {
	TAP_CASE(rows_61),
	TAP_CASE(release_61_switches_nothing),
	TAP_CASE(release_61_hw_work),
	TAP_CASE(reprobe_61),
	TAP_CASE(release_612_untraced_switch),
	TAP_CASE(release_612_targets),
	TAP_CASE(release_612_traced),
	TAP_CASE(core_attach_alone),
	TAP_CASE(attach_around_the_core),
	TAP_CASE(events_outside_cycles),
	TAP_CASE(trace_ends_in_a_release),
	TAP_CASE(other_thread_by_device),
	TAP_CASE(other_device_not_ours),
	TAP_CASE(group_cycles_overlap),
	TAP_CASE(events_sort),
	TAP_CASE(names),
};

TAP_MAIN(cases)
