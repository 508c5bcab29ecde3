// SPDX-License-Identifier: GPL-2.0
/*
 * The release span on every kernel: iommu_bus_notifier(), a release only
 * for BUS_NOTIFY_REMOVED_DEVICE.  Its other calls (the re-probe's
 * BUS_NOTIFY_ADD_DEVICE) open no release window; every other event
 * inside a release is a probe hit; markers say which probes were on.
 */
#include "account_stream.h"
#include "tap.h"

/*
 * Cycle 0 with the release probes on, the notifier's other call in its
 * re-probe; cycle 1 with every probe on, hits inside its release and
 * the core function's span after it.  Accounted.
 */
static void notifier_cycles(void)
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

	start();
	ev_at_next(&mark);
	ev_at_next(&run);
	CYCLE_START(0);
	snprintf(rel.dev, sizeof(rel.dev), DEV);
	ev_at_next(&rel);
	REL_OUT();
	PHASE(0, IB_PHASE_REMOVE);
	snprintf(add.dev, sizeof(add.dev), DEV);
	ev_at_next(&add);
	ATTACH(IB_DOM_DMA);
	CORE();
	REL_OUT();
	PHASE(0, IB_PHASE_RESCAN);
	CYCLE_END(0);
	mark.probes = IB_PROBES_ALL;
	ev_at_next(&mark);
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
}

static void probes_from_marker(void)
{
	const struct ib_cycle *c;

	notifier_cycles();
	c = ib_account_cycle(acc, 0);
	ok(c->probes == IB_PROBES_RELEASE && ib_account_cycle(acc, 1)->probes == IB_PROBES_ALL,
	   "each cycle takes the probes of the marker before it");
}

static void notifier_other_call(void)
{
	const struct ib_cycle *c;

	notifier_cycles();
	c = ib_account_cycle(acc, 0);
	ok(c->releases == 1 && c->release_ns == 1000,
	   "the notifier's other call is no release");
	ok(c->sw[IB_WIN_PHASE2].total == 1 && c->sw[IB_WIN_RELEASE].total == 0,
	   "a switch inside the other call counts in its phase, not the release");
	ok(c->release_hits == 0, "nothing fired inside the span: 0 hits");
}

static void hits_inside_span(void)
{
	const struct ib_cycle *c;

	notifier_cycles();
	c = ib_account_cycle(acc, 1);
	is_int(c->release_hits, 3, "every event of the thread inside the span is a hit, the span's own ends not");
	ok(c->sw[IB_WIN_RELEASE].total == 1 && c->hw[IB_WIN_RELEASE][IB_HW_INVAL] == 1,
	   "switches and hardware work inside the span are the release's");
}

static void core_span_timed(void)
{
	const struct ib_cycle *c;

	notifier_cycles();
	c = ib_account_cycle(acc, 1);
	ok(c->core_calls == 1 && c->core_ns == 1000 && c->releases == 1,
	   "the core function's span is timed apart");
}

static void span_ends_matched(void)
{
	notifier_cycles();
	is_int(ib_account_stats(acc)->unmatched_exits, 0, "every return matched its entry");
	is_int(ib_account_stats(acc)->unknown_when, 0, "run_start said which bus event releases");
}

static void old_probes_value(void)
{
	is_int(ib_probes_parse("1"), IB_PROBES_ALL, "a file's old probes = 1 reads as all");
}

static const struct tap_case cases[] = {
	TAP_CASE(probes_from_marker),
	TAP_CASE(notifier_other_call),
	TAP_CASE(hits_inside_span),
	TAP_CASE(core_span_timed),
	TAP_CASE(span_ends_matched),
	TAP_CASE(old_probes_value),
};

TAP_MAIN(cases)
