// SPDX-License-Identifier: GPL-2.0
/*
 * The accounting state machine.
 *
 * Attribution: an event that names a device belongs to that device's
 * running cycle, in the window its cycle is in (first phase, second
 * phase, or inside a release).  An event that names no device, or a
 * device with no running cycle, belongs to the running cycle of its
 * thread: the module runs every cycle in the collector's own ioctl.
 *
 * Switches: a driver attach_dev probe hit is a switch.  When the core
 * made it through __iommu_attach_device(), iommu:attach_device_to_domain
 * follows for the same device: the switch is traced.  A tracepoint with
 * no probe hit before it (driver not probed) is a traced switch of
 * unknown target.  A switch to the domain the device is already on is
 * redundant.  A driver-internal block call inside an attach to another
 * domain is transient: blocked on the way to the attach's target.  (Such
 * a call may do nothing, on a device with no domain yet: the hardware
 * work counted in the same window tells.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "account_state.h"
#include "util.h"

struct ib_account *ib_account_create(void)
{
	struct ib_account *acc = ib_xcalloc(1, sizeof(struct ib_account));

	acc->bus_removed = ~0ULL;
	return acc;
}

void ib_account_free(struct ib_account *acc)
{
	if (!acc)
		return;
	free(acc->cycles);
	free(acc->cst);
	free(acc->threads);
	free(acc->devs);
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
	/* a trace without markers had every probe on */
	acc->threads[acc->nthreads].probes = IB_PROBES_ALL;
	return &acc->threads[acc->nthreads++];
}

static struct devstate *dev_get(struct ib_account *acc, const char *dev)
{
	size_t i;

	for (i = 0; i < acc->ndevs; i++)
		if (!strcmp(acc->devs[i].dev, dev))
			return &acc->devs[i];
	acc->devs = ib_xrealloc(acc->devs, (acc->ndevs + 1) * sizeof(*acc->devs));
	memset(&acc->devs[acc->ndevs], 0, sizeof(*acc->devs));
	ib_strlcpy(acc->devs[acc->ndevs].dev, dev, IB_DEV_LEN);
	acc->devs[acc->ndevs].last_type = IB_DOM_UNKNOWN;
	acc->devs[acc->ndevs].newest = -1;
	acc->devs[acc->ndevs].attach_cycle = -1;
	return &acc->devs[acc->ndevs++];
}

/*
 * A device's cycles come one after another, and the module's events of a
 * cycle name it: the one asked for is the device's newest.  Looking it up
 * through the device keeps a long trace linear.
 */
static long cycle_find(struct ib_account *acc, const char *dev,
		       uint32_t cycle)
{
	struct devstate *d = dev_get(acc, dev);

	return d->newest >= 0 && acc->cycles[d->newest].cycle == cycle ?
	       d->newest : -1;
}

/* The running cycle of @dev, or -1. */
static long cycle_running(struct ib_account *acc, const char *dev)
{
	struct devstate *d;

	if (!dev[0])
		return -1;
	d = dev_get(acc, dev);
	return d->running ? d->newest : -1;
}

static long cycle_add(struct ib_account *acc, const char *dev, uint32_t cycle)
{
	struct ib_cycle *c;

	acc->cycles = ib_xrealloc(acc->cycles,
				  (acc->ncycles + 1) * sizeof(*acc->cycles));
	acc->cst = ib_xrealloc(acc->cst, (acc->ncycles + 1) * sizeof(*acc->cst));
	c = &acc->cycles[acc->ncycles];
	memset(c, 0, sizeof(*c));
	memset(&acc->cst[acc->ncycles], 0, sizeof(*acc->cst));
	ib_strlcpy(c->dev, dev, sizeof(c->dev));
	c->cycle = cycle;
	c->release_target = IB_TARGET_NONE;
	return (long)acc->ncycles++;
}

/* The cycle an event of @t about @dev belongs to: @dev's, else @t's. */
long ib_acc_cycle_of(struct ib_account *acc, const struct thread *t,
		     const char *dev)
{
	long c = cycle_running(acc, dev);

	return c >= 0 ? c : t->cycle;
}

/* The cycle and window an event of @t about @dev belongs to. */
static enum ib_window locate(struct ib_account *acc, struct thread *t,
			     const char *dev, long *cycle)
{
	long c = ib_acc_cycle_of(acc, t, dev);

	*cycle = c;
	if (c < 0)
		return IB_WIN_OUTSIDE;
	/* releases nested deeper than MAX_DEPTH are counted, not kept */
	if (acc->cst[c].releasing || ib_acc_release_open(t) == c)
		return IB_WIN_RELEASE;
	switch (acc->cst[c].state) {
	case ST_PHASE1:
		return IB_WIN_PHASE1;
	case ST_PHASE2:
		return IB_WIN_PHASE2;
	default:
		return IB_WIN_OUTSIDE;
	}
}

static void count_switch(struct ib_account *acc, long cycle,
			 enum ib_window win, int32_t dom_type, int traced,
			 int redundant)
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
	if (redundant)
		s->redundant++;
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
	count_switch(acc, p.cycle, p.win, p.dom_type, traced, p.redundant);
}

static long pending_find(struct ib_account *acc, const char *dev)
{
	size_t i;

	for (i = 0; i < acc->npending; i++)
		if (!strcmp(acc->pending[i].dev, dev))
			return (long)i;
	return -1;
}

static void on_attach(struct ib_account *acc, const struct ib_event *ev,
		      enum ib_window win, long cycle)
{
	struct devstate *d = dev_get(acc, ev->dev);
	struct sw_pending *p;
	long i = pending_find(acc, ev->dev);

	/* A second attach before any tracepoint: the first was untraced. */
	if (i >= 0)
		pending_settle(acc, i, 0);
	acc->pending = ib_xrealloc(acc->pending,
				   (acc->npending + 1) * sizeof(*acc->pending));
	p = &acc->pending[acc->npending++];
	memset(p, 0, sizeof(*p));
	ib_strlcpy(p->dev, ev->dev, sizeof(p->dev));
	p->dom_type = ev->dom_type;
	p->win = win;
	p->cycle = cycle;
	d->attach_cycle = p->cycle;
	d->attach_win = p->win;
	p->redundant = ev->dom && d->dom == ev->dom;
	if (ev->dom)
		d->dom = ev->dom;
	d->last_type = ev->dom_type;
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
	dev_get(acc, ev->dev)->dom = 0;	/* to a domain we cannot see */
	count_switch(acc, cycle, win, IB_DOM_UNKNOWN, 1, 0);
}

/*
 * A driver-internal block call: part of a switch to blocked (the device
 * is blocked already, or going to be); transient when it follows an
 * attach to another domain in the same window (blocked on the way
 * there); else a detach of the driver's own that the core never sees
 * (AMD clears the device-table entry in release_device).  A probe that
 * cannot name the device (a compiler clone armed without its fetches)
 * is the device of the cycle its thread is in.
 */
static void on_block(struct ib_account *acc, const struct ib_event *ev,
		     enum ib_window win, long cycle)
{
	struct devstate *d;

	if (ev->dev[0])
		d = dev_get(acc, ev->dev);
	else if (cycle >= 0)
		d = dev_get(acc, acc->cycles[cycle].dev);
	else {
		acc->stats.outside_switches++;
		return;
	}
	if (d->last_type == IB_DOM_BLOCKED)
		return;
	if (cycle < 0 || win == IB_WIN_OUTSIDE) {
		acc->stats.outside_switches++;
		return;
	}
	if (d->attach_cycle == cycle && d->attach_win == win) {
		acc->cycles[cycle].sw[win].transient++;
		return;
	}
	acc->cycles[cycle].sw[win].internal++;
	d->last_type = IB_DOM_BLOCKED;
	d->dom = 0;
}

static void on_cycle_start(struct ib_account *acc, struct thread *t,
			   const struct ib_event *ev)
{
	long cycle = cycle_find(acc, ev->dev, ev->cycle);
	struct devstate *d;

	if (cycle < 0)
		cycle = cycle_add(acc, ev->dev, ev->cycle);
	d = dev_get(acc, ev->dev);
	d->newest = cycle;
	d->running = 1;
	/*
	 * The domain it is on as the cycle starts, as the module saw it: a
	 * first switch back to it is redundant even when what put it there
	 * (a VFIO claim) came before the trace.
	 */
	if (ev->dom) {
		d->dom = ev->dom;
		d->last_type = ev->dom_type;
	}
	acc->cst[cycle].state = ST_PHASE1;
	acc->cycles[cycle].probes = t->probes;
	t->cycle = cycle;
}

/* Settle a cycle's pending attaches when it ends. */
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
	struct thread *t;
	enum ib_window win;
	long cycle;

	acc->stats.events++;
	if (ev->kind < IB_EV_NR)
		acc->stats.by_kind[ev->kind]++;
	/* no thread of ours: the switch's or interrupt's pid is anyone's */
	if (ev->kind == IB_EV_IRQ) {
		ib_acc_count_irq(acc);
		return;
	}
	t = thread_get(acc, ev->pid);
	if (t->depth)
		ib_acc_count_hits(acc, t, ev);
	/* a hit the pack's "when" rejects: the function's other meaning */
	if (ev->other && (ev->kind == IB_EV_ATTACH || ev->kind == IB_EV_BLOCK ||
			  ev->kind == IB_EV_HW))
		return;

	switch (ev->kind) {
	case IB_EV_MARK:
		if (ev->probes >= 0 && ev->probes < IB_PROBES_NR)
			t->probes = ev->probes;
		break;
	case IB_EV_RUN_START:
		if (ev->arg != ~0ULL)
			acc->bus_removed = ev->arg;
		break;
	case IB_EV_CORE_ENTRY:
		ib_acc_span_push(t->core, &t->core_depth, ev->ts,
				 ib_acc_cycle_of(acc, t, ev->dev), 0);
		break;
	case IB_EV_CORE_EXIT:
		ib_acc_on_core_exit(acc, t, ev);
		break;
	case IB_EV_CYCLE_START:
		on_cycle_start(acc, t, ev);
		break;
	case IB_EV_PHASE_END:
		cycle = cycle_find(acc, ev->dev, ev->cycle);
		if (cycle < 0)
			break;
		if (acc->cst[cycle].state == ST_PHASE1) {
			acc->cycles[cycle].phase[0] = ev->phase;
			acc->cycles[cycle].phase_ns[0] = ev->ns;
			acc->cst[cycle].state = ST_PHASE2;
		} else if (acc->cst[cycle].state == ST_PHASE2) {
			acc->cycles[cycle].phase[1] = ev->phase;
			acc->cycles[cycle].phase_ns[1] = ev->ns;
			acc->cst[cycle].state = ST_DONE;
		}
		break;
	case IB_EV_CYCLE_END:
		cycle = cycle_find(acc, ev->dev, ev->cycle);
		if (cycle < 0)
			break;
		acc->cycles[cycle].cycle_ns = ev->ns;
		acc->cycles[cycle].ret = ev->ret;
		acc->cycles[cycle].complete = 1;
		dev_get(acc, ev->dev)->running = 0;
		settle_cycle(acc, cycle);
		if (t->cycle == cycle)
			t->cycle = -1;
		break;
	case IB_EV_RELEASE_ENTRY:
		ib_acc_on_release_entry(acc, t, ev);
		break;
	case IB_EV_RELEASE_EXIT:
		ib_acc_on_release_exit(acc, t, ev);
		break;
	case IB_EV_ATTACH:
		win = locate(acc, t, ev->dev, &cycle);
		/* a driver with no release_domain detaching in its release */
		if (ev->driver_release && win == IB_WIN_RELEASE)
			on_block(acc, ev, win, cycle);
		else
			on_attach(acc, ev, win, cycle);
		break;
	case IB_EV_CORE_ATTACH:
		on_core_attach(acc, t, ev);
		break;
	case IB_EV_BLOCK:
		win = locate(acc, t, ev->dev, &cycle);
		on_block(acc, ev, win, cycle);
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
		acc->stats.open_releases += acc->threads[i].depth +
					    acc->threads[i].core_depth;
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
