// SPDX-License-Identifier: GPL-2.0
/*
 * The accounting state machine.
 *
 * Attribution is by thread first: the module runs every cycle in the
 * collector's own ioctl, so a release, an attach or a hardware call made
 * by that thread between cycle_start and cycle_end belongs to that cycle.
 * Events of other threads fall back to the device name they carry.
 *
 * A driver attach_dev probe hit is a switch.  When the core made it
 * through __iommu_attach_device(), the iommu:attach_device_to_domain
 * tracepoint follows for the same device; that marks the switch traced.
 * A tracepoint with no probe hit before it (driver not probed) is a
 * traced switch of unknown target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "util.h"

enum cycle_state { ST_REMOVE, ST_RESCAN, ST_DONE };

struct thread {
	int32_t pid;
	long cycle;			/* index into cycles, -1 if none */
	enum cycle_state state;
	int release_depth;
	uint64_t release_ts[4];		/* entry stamps, innermost last */
};

struct sw_pending {
	char dev[IB_DEV_LEN];
	long cycle;
	enum ib_window win;
	int32_t dom_type;
};

struct ib_account {
	struct ib_cycle *cycles;
	size_t ncycles;
	struct thread *threads;
	size_t nthreads;
	struct sw_pending *pending;	/* attach_dev hits awaiting a tracepoint */
	size_t npending;
	struct ib_account_stats stats;
};

const char *ib_window_name(enum ib_window w)
{
	static const char *const names[IB_WIN_NR] = {
		"release", "remove", "probe", "outside",
	};

	return w < IB_WIN_NR ? names[w] : "?";
}

struct ib_account *ib_account_create(void)
{
	return ib_xcalloc(1, sizeof(struct ib_account));
}

void ib_account_free(struct ib_account *acc)
{
	if (!acc)
		return;
	free(acc->cycles);
	free(acc->threads);
	free(acc->pending);
	free(acc);
}

static struct thread *thread_get(struct ib_account *acc, int32_t pid)
{
	size_t i;

	for (i = 0; i < acc->nthreads; i++)
		if (acc->threads[i].pid == pid)
			return &acc->threads[i];
	acc->threads = ib_xrealloc(acc->threads,
				   (acc->nthreads + 1) * sizeof(*acc->threads));
	memset(&acc->threads[acc->nthreads], 0, sizeof(*acc->threads));
	acc->threads[acc->nthreads].pid = pid;
	acc->threads[acc->nthreads].cycle = -1;
	return &acc->threads[acc->nthreads++];
}

static long cycle_find(const struct ib_account *acc, const char *dev,
		       uint32_t cycle)
{
	size_t i = acc->ncycles;

	/* Newest first: the one asked for is almost always the last. */
	while (i-- > 0)
		if (acc->cycles[i].cycle == cycle &&
		    !strcmp(acc->cycles[i].dev, dev))
			return (long)i;
	return -1;
}

static long cycle_add(struct ib_account *acc, const char *dev, uint32_t cycle)
{
	struct ib_cycle *c;

	acc->cycles = ib_xrealloc(acc->cycles,
				  (acc->ncycles + 1) * sizeof(*acc->cycles));
	c = &acc->cycles[acc->ncycles];
	memset(c, 0, sizeof(*c));
	snprintf(c->dev, sizeof(c->dev), "%s", dev);
	c->cycle = cycle;
	c->release_target = IB_TARGET_NONE;
	return (long)acc->ncycles++;
}

/* The cycle and window an event of @t about @dev belongs to. */
static enum ib_window locate(struct ib_account *acc, struct thread *t,
			     const char *dev, long *cycle)
{
	size_t i;

	if (t->cycle >= 0) {
		*cycle = t->cycle;
		if (t->release_depth)
			return IB_WIN_RELEASE;
		return t->state == ST_REMOVE ? IB_WIN_REMOVE :
		       t->state == ST_RESCAN ? IB_WIN_PROBE : IB_WIN_OUTSIDE;
	}
	/* Another thread: a running cycle of the device it names. */
	for (i = 0; dev[0] && i < acc->nthreads; i++) {
		struct thread *o = &acc->threads[i];

		if (o->cycle >= 0 && !strcmp(acc->cycles[o->cycle].dev, dev)) {
			*cycle = o->cycle;
			return o->state == ST_RESCAN ? IB_WIN_PROBE :
			       IB_WIN_REMOVE;
		}
	}
	*cycle = -1;
	return IB_WIN_OUTSIDE;
}

static void count_switch(struct ib_account *acc, long cycle,
			 enum ib_window win, int32_t dom_type, int traced)
{
	struct ib_cycle *c;
	struct ib_switch_count *s;

	if (cycle < 0 || win == IB_WIN_OUTSIDE) {
		acc->stats.outside_switches++;
		return;
	}
	c = &acc->cycles[cycle];
	s = &c->sw[win];
	s->total++;
	if (traced)
		s->traced++;
	else
		s->untraced++;
	if (win != IB_WIN_RELEASE)
		return;
	if (c->release_target == IB_TARGET_NONE)
		c->release_target = dom_type;
	else if (c->release_target != dom_type)
		c->release_target = IB_TARGET_MIXED;
}

static void pending_settle(struct ib_account *acc, size_t i, int traced)
{
	struct sw_pending p = acc->pending[i];

	memmove(&acc->pending[i], &acc->pending[i + 1],
		(acc->npending - i - 1) * sizeof(*acc->pending));
	acc->npending--;
	count_switch(acc, p.cycle, p.win, p.dom_type, traced);
}

static long pending_find(struct ib_account *acc, const char *dev)
{
	size_t i;

	for (i = 0; i < acc->npending; i++)
		if (!strcmp(acc->pending[i].dev, dev))
			return (long)i;
	return -1;
}

static void on_attach(struct ib_account *acc, struct thread *t,
		      const struct ib_event *ev)
{
	struct sw_pending *p;
	long i = pending_find(acc, ev->dev);

	/* A second attach before any tracepoint: the first was untraced. */
	if (i >= 0)
		pending_settle(acc, i, 0);
	acc->pending = ib_xrealloc(acc->pending,
				   (acc->npending + 1) * sizeof(*acc->pending));
	p = &acc->pending[acc->npending++];
	memset(p, 0, sizeof(*p));
	snprintf(p->dev, sizeof(p->dev), "%s", ev->dev);
	p->dom_type = ev->dom_type;
	p->win = locate(acc, t, ev->dev, &p->cycle);
}

static void on_core_attach(struct ib_account *acc, struct thread *t,
			   const struct ib_event *ev)
{
	long i = pending_find(acc, ev->dev);
	enum ib_window win;
	long cycle;

	if (i >= 0) {
		pending_settle(acc, i, 1);
		return;
	}
	win = locate(acc, t, ev->dev, &cycle);
	count_switch(acc, cycle, win, IB_DOM_UNKNOWN, 1);
}

/* Settle a thread's pending attaches when its window closes. */
static void settle_cycle(struct ib_account *acc, long cycle)
{
	size_t i = 0;

	while (i < acc->npending) {
		if (acc->pending[i].cycle == cycle)
			pending_settle(acc, i, 0);
		else
			i++;
	}
}

void ib_account_event(struct ib_account *acc, const struct ib_event *ev)
{
	struct thread *t = thread_get(acc, ev->pid);
	enum ib_window win;
	long cycle;

	acc->stats.events++;
	if (ev->kind < IB_EV_NR)
		acc->stats.by_kind[ev->kind]++;

	switch (ev->kind) {
	case IB_EV_CYCLE_START:
		cycle = cycle_find(acc, ev->dev, ev->cycle);
		if (cycle < 0)
			cycle = cycle_add(acc, ev->dev, ev->cycle);
		t->cycle = cycle;
		t->state = ST_REMOVE;
		t->release_depth = 0;
		break;
	case IB_EV_PHASE_END:
		cycle = cycle_find(acc, ev->dev, ev->cycle);
		if (cycle < 0)
			break;
		if (ev->phase == IB_PHASE_REMOVE) {
			acc->cycles[cycle].remove_ns = ev->ns;
			if (t->cycle == cycle)
				t->state = ST_RESCAN;
		} else if (ev->phase == IB_PHASE_RESCAN) {
			acc->cycles[cycle].rescan_ns = ev->ns;
			if (t->cycle == cycle)
				t->state = ST_DONE;
		}
		break;
	case IB_EV_CYCLE_END:
		cycle = cycle_find(acc, ev->dev, ev->cycle);
		if (cycle < 0)
			break;
		acc->cycles[cycle].cycle_ns = ev->ns;
		acc->cycles[cycle].ret = ev->ret;
		acc->cycles[cycle].complete = 1;
		settle_cycle(acc, cycle);
		if (t->cycle == cycle) {
			if (t->release_depth)
				acc->stats.open_releases += t->release_depth;
			t->cycle = -1;
			t->release_depth = 0;
		}
		break;
	case IB_EV_RELEASE_ENTRY:
		if (t->release_depth <
		    (int)(sizeof(t->release_ts) / sizeof(t->release_ts[0])))
			t->release_ts[t->release_depth] = ev->ts;
		t->release_depth++;
		break;
	case IB_EV_RELEASE_EXIT:
		if (!t->release_depth) {
			acc->stats.unmatched_exits++;
			break;
		}
		t->release_depth--;
		if (t->cycle >= 0 && t->release_depth <
		    (int)(sizeof(t->release_ts) / sizeof(t->release_ts[0]))) {
			struct ib_cycle *c = &acc->cycles[t->cycle];

			c->releases++;
			c->release_ns += ev->ts - t->release_ts[t->release_depth];
		}
		break;
	case IB_EV_ATTACH:
		on_attach(acc, t, ev);
		break;
	case IB_EV_CORE_ATTACH:
		on_core_attach(acc, t, ev);
		break;
	case IB_EV_HW:
		win = locate(acc, t, ev->dev, &cycle);
		if (cycle < 0 || win == IB_WIN_OUTSIDE || ev->hw >= IB_HW_NR)
			acc->stats.outside_hw++;
		else
			acc->cycles[cycle].hw[win][ev->hw]++;
		break;
	default:
		break;
	}
}

void ib_account_finish(struct ib_account *acc)
{
	size_t i;

	while (acc->npending)
		pending_settle(acc, 0, 0);
	for (i = 0; i < acc->nthreads; i++)
		acc->stats.open_releases += acc->threads[i].release_depth;
	for (i = 0; i < acc->ncycles; i++)
		if (!acc->cycles[i].complete)
			acc->stats.incomplete_cycles++;
}

size_t ib_account_ncycles(const struct ib_account *acc)
{
	return acc->ncycles;
}

const struct ib_cycle *ib_account_cycle(const struct ib_account *acc,
					size_t index)
{
	return index < acc->ncycles ? &acc->cycles[index] : NULL;
}

const struct ib_account_stats *ib_account_stats(const struct ib_account *acc)
{
	return &acc->stats;
}
