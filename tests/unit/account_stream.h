/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand-made event streams for the accounting tests (test_account*.c):
 * one event a call, a microsecond apart, into a fresh ib_account.
 */
#ifndef IB_TEST_ACCOUNT_STREAM_H
#define IB_TEST_ACCOUNT_STREAM_H

#include <stdio.h>

#include "account.h"

#define PID 100
#define DEV "0000:00:10.0"

static struct ib_account *acc;
static uint64_t now;

static uint64_t dom_addr;	/* struct iommu_domain * of the next attach */

static inline void ev(enum ib_ev_kind kind, int pid, const char *dev,
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

/* @e as it is but for its time stamp, the next one */
static inline void ev_at_next(struct ib_event *e)
{
	e->ts = now += 1000;
	ib_account_event(acc, e);
}

/* A case's stream starts from nothing, whatever the last case left. */
static inline void start(void)
{
	ib_account_free(acc);
	acc = ib_account_create();
	now = 0;
	dom_addr = 0;
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

#endif
