// SPDX-License-Identifier: GPL-2.0
/*
 * The accounting's timed spans: a release or core function's entry and
 * return on each thread's stack of frames, their lengths, and what fired
 * inside them (probe hits; interrupts and task switches on any CPU).
 */
#include "account_state.h"

/* The cycle of @t's innermost open release span, -1 if none. */
long ib_acc_release_open(const struct thread *t)
{
	int i = t->depth < MAX_DEPTH ? t->depth : MAX_DEPTH;

	while (i--)
		if (!t->rel[i].other)
			return t->rel[i].cycle;
	return -1;
}

void ib_acc_span_push(struct frame *st, int *depth, uint64_t ts, long cycle,
		      int other)
{
	if (*depth < MAX_DEPTH)
		st[*depth] = (struct frame){ ts, cycle, other };
	(*depth)++;
}

/* The frame popped, or NULL: none open, or nested past MAX_DEPTH. */
static const struct frame *span_pop(struct ib_account *acc, struct frame *st,
				    int *depth)
{
	if (!*depth) {
		acc->stats.unmatched_exits++;
		return NULL;
	}
	(*depth)--;
	return *depth < MAX_DEPTH ? &st[*depth] : NULL;
}

void ib_acc_on_release_entry(struct ib_account *acc, struct thread *t,
			     const struct ib_event *ev)
{
	long cycle = ib_acc_cycle_of(acc, t, ev->dev);
	/* a notifier call for another bus event is no release */
	int other = ev->other ||
		    (ev->when_removed && ev->arg != acc->bus_removed);

	if (ev->when_removed && acc->bus_removed == ~0ULL)
		acc->stats.unknown_when++;
	ib_acc_span_push(t->rel, &t->depth, ev->ts, cycle, other);
	if (cycle >= 0 && !other)
		acc->cst[cycle].releasing++;
}

void ib_acc_on_release_exit(struct ib_account *acc, struct thread *t,
			    const struct ib_event *ev)
{
	const struct frame *f = span_pop(acc, t->rel, &t->depth);

	if (!f || f->other || f->cycle < 0)
		return;
	acc->cst[f->cycle].releasing--;
	acc->cycles[f->cycle].releases++;
	acc->cycles[f->cycle].release_ns += ev->ts - f->ts;
}

void ib_acc_on_core_exit(struct ib_account *acc, struct thread *t,
			 const struct ib_event *ev)
{
	const struct frame *f = span_pop(acc, t->core, &t->core_depth);

	if (!f || f->cycle < 0)
		return;
	acc->cycles[f->cycle].core_calls++;
	acc->cycles[f->cycle].core_ns += ev->ts - f->ts;
}

/*
 * Every event of @t while a release span of it is open fired inside that
 * span and added its cost to the latency: a hit, counted per span, but
 * for the span's own entry and return.  Called before the event is
 * handled, so a span's own entry is not open yet and its return is.
 */
void ib_acc_count_hits(struct ib_account *acc, const struct thread *t,
		       const struct ib_event *ev)
{
	int i = t->depth < MAX_DEPTH ? t->depth : MAX_DEPTH;

	/* a return closes the innermost frame: not a hit of that one */
	if (ev->kind == IB_EV_RELEASE_EXIT && i && i == t->depth)
		i--;
	while (i--)
		if (!t->rel[i].other && t->rel[i].cycle >= 0)
			acc->cycles[t->rel[i].cycle].release_hits++;
}

/*
 * An interrupt or a task switch on any CPU, while timed spans (release
 * or core) are open: on a clock that counts the instructions of every
 * vCPU (QEMU icount), each open span now holds work that is not its
 * path's, and a sleep, idle time the clock skipped.
 */
void ib_acc_count_irq(struct ib_account *acc)
{
	size_t k;
	int i;

	for (k = 0; k < acc->nthreads; k++) {
		const struct thread *t = &acc->threads[k];

		for (i = t->depth < MAX_DEPTH ? t->depth : MAX_DEPTH; i--;)
			if (!t->rel[i].other && t->rel[i].cycle >= 0)
				acc->cycles[t->rel[i].cycle].span_irqs++;
		for (i = t->core_depth < MAX_DEPTH ? t->core_depth : MAX_DEPTH; i--;)
			if (t->core[i].cycle >= 0)
				acc->cycles[t->core[i].cycle].span_irqs++;
	}
}
