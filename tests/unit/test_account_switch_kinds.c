// SPDX-License-Identifier: GPL-2.0
/*
 * The accounting of switches that are not plain ones: redundant (to the
 * domain the device is on), transient (a block on the way to another
 * domain) and driver-internal (a detach of the driver's own, which the
 * core never sees).  One rule for every driver: a release that takes the
 * device off its domain itself is a driver-internal block.
 */
#include "account_stream.h"
#include "tap.h"

/*
 * owned: the group is on the blocked domain when the release attaches
 * the same blocked domain again.  Accounted: the cycle's row.
 */
static const struct ib_cycle *owned_cycle(void)
{
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
	return ib_account_cycle(acc, 0);
}

static void owned_release_redundant(void)
{
	const struct ib_cycle *c = owned_cycle();

	is_int(c->sw[IB_WIN_RELEASE].redundant, 1, "owned: the release switch is redundant");
	is_int(c->sw[IB_WIN_RELEASE].transient, 0, "... its internal block is part of it");
	is_int(c->sw[IB_WIN_PHASE2].redundant, 1, "... and so is the re-probe's");
}

static void owned_claim_outside(void)
{
	owned_cycle();
	is_int(ib_account_stats(acc)->outside_switches, 1, "the claim before the cycle is outside");
}

/* 6.12 probe: intel_iommu_attach_device() blocks on its way to DMA */
static void block_inside_attach_transient(void)
{
	const struct ib_cycle *c;

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
}

/*
 * AMD 6.12: amd_iommu_release_device() detaches by itself, no
 * attach_dev; a second cycle's release does it again.
 */
static void amd_release_detaches(void)
{
	const struct ib_cycle *c;

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
}

/*
 * 6.1 Intel: a compiler clone armed without its fetch names no device
 * (the release's is meant), on every cycle.
 */
static void block_naming_no_device(void)
{
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
}

/*
 * 6.12 SMMUv3: its own attach in the release ("in_release = driver"),
 * then the same probe in the re-probe; and a hit the pack's "when"
 * rejects (6.12 AMD's dev_update_dte setting a DTE).  Accounted: the
 * cycle's row.
 */
static const struct ib_cycle *driver_attach_cycle(void)
{
	struct ib_event e = { .pid = PID };

	start();
	CYCLE_START(0);
	REL_IN();
	e.kind = IB_EV_ATTACH;
	e.dom_type = IB_DOM_BLOCKED;
	e.driver_release = 1;
	snprintf(e.dev, sizeof(e.dev), DEV);
	ev_at_next(&e);
	e.kind = IB_EV_HW;
	e.hw = IB_HW_CTX;
	e.other = 1;
	ev_at_next(&e);
	REL_OUT();
	PHASE(0, IB_PHASE_REMOVE);
	e.kind = IB_EV_ATTACH;
	e.dom_type = IB_DOM_DMA;
	e.other = 0;
	ev_at_next(&e);
	PHASE(0, IB_PHASE_RESCAN);
	CYCLE_END(0);
	ib_account_finish(acc);
	return ib_account_cycle(acc, 0);
}

static void driver_attach_in_release(void)
{
	const struct ib_cycle *c = driver_attach_cycle();

	is_int(c->sw[IB_WIN_RELEASE].internal, 1,
	       "in_release = driver: the driver's attach in its release is its own detach");
	is_int(c->sw[IB_WIN_RELEASE].total, 0, "... not a release switch");
	is_int(c->sw[IB_WIN_PHASE2].total, 1, "... the same probe outside a release is a switch");
}

/* a hit the pack's "when" rejects counts nowhere, but as a hit */
static void hit_when_rejects(void)
{
	const struct ib_cycle *c = driver_attach_cycle();

	is_int(c->hw[IB_WIN_RELEASE][IB_HW_CTX], 0, "a hit 'when' rejects is not counted");
	ok(c->release_hits == 2, "... but it is a probe hit all the same");
}

/*
 * a group claimed before the trace: the module's cycle_start says the
 * device is on the blocked domain 0xb10c already
 */
static void domain_at_cycle_start(void)
{
	struct ib_event e = { .pid = PID, .kind = IB_EV_CYCLE_START,
			      .dom = 0xb10c, .dom_type = IB_DOM_BLOCKED };
	const struct ib_cycle *c;

	start();
	snprintf(e.dev, sizeof(e.dev), DEV);
	ev_at_next(&e);
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

static const struct tap_case cases[] = {
	TAP_CASE(owned_release_redundant),
	TAP_CASE(owned_claim_outside),
	TAP_CASE(block_inside_attach_transient),
	TAP_CASE(amd_release_detaches),
	TAP_CASE(block_naming_no_device),
	TAP_CASE(driver_attach_in_release),
	TAP_CASE(hit_when_rejects),
	TAP_CASE(domain_at_cycle_start),
};

TAP_MAIN(cases)
