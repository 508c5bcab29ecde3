/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The accounting's own state, shared by its two halves only: the switch
 * and window bookkeeping (account.c) and the timed spans (account_span.c).
 * Not for any other file: struct ib_account is opaque outside.
 */
#ifndef IB_ACCOUNT_STATE_H
#define IB_ACCOUNT_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "account.h"

#define MAX_DEPTH 4

enum cycle_state { ST_PHASE1, ST_PHASE2, ST_DONE };

/* An open span on a thread's stack. */
struct frame {
	uint64_t ts;
	long cycle;
	int other;			/* an entry the pack's "when" rejects */
};

struct thread {
	int32_t pid;
	long cycle;			/* its running cycle, -1 if none */
	int32_t probes;			/* enum ib_probes, from the last marker */
	int depth;			/* open release spans */
	struct frame rel[MAX_DEPTH];
	int core_depth;			/* open core spans */
	struct frame core[MAX_DEPTH];
};

struct cyc_state {
	enum cycle_state state;
	int releasing;			/* inside a release of this cycle */
};

/* What a device is attached to, as far as the trace has shown. */
struct devstate {
	char dev[IB_DEV_LEN];
	uint64_t dom;			/* current domain, 0 unknown */
	int32_t last_type;		/* type of the last attach, for blocks */
	long attach_cycle;		/* where its last attach was, so a */
	enum ib_window attach_win;	/* block can be placed inside it */
	long newest;			/* its newest cycle, -1 if none yet */
	int running;			/* ... and that one has not ended */
};

struct sw_pending {
	char dev[IB_DEV_LEN];
	long cycle;
	enum ib_window win;
	int32_t dom_type;
	int redundant;
};

struct ib_account {
	struct ib_cycle *cycles;
	struct cyc_state *cst;
	size_t ncycles;
	struct thread *threads;
	size_t nthreads;
	struct devstate *devs;
	size_t ndevs;
	struct sw_pending *pending;	/* attach_dev hits awaiting a tracepoint */
	size_t npending;
	uint64_t bus_removed;		/* BUS_NOTIFY_REMOVED_DEVICE, ~0 unknown */
	struct ib_account_stats stats;
};

/*
 * account.c: the cycle an event of @t about @dev belongs to: @dev's
 * running cycle, else @t's.
 *
 * Return: the cycle's index in @acc->cycles, or -1 when there is none.
 */
long ib_acc_cycle_of(struct ib_account *acc, const struct thread *t,
		     const char *dev);

/*
 * account_span.c, the timed spans: the cycle of @t's innermost open
 * release span (one the pack's "when" takes).
 *
 * Return: the cycle's index, or -1 when no such span is open.
 */
long ib_acc_release_open(const struct thread *t);
/* Open a span at @ts of @cycle on the stack @st of *@depth frames. */
void ib_acc_span_push(struct frame *st, int *depth, uint64_t ts, long cycle,
		      int other);
/* A release span's entry @ev on thread @t: opened, its cycle releasing. */
void ib_acc_on_release_entry(struct ib_account *acc, struct thread *t,
			     const struct ib_event *ev);
/* A release span's return @ev: closed, its length added to its cycle. */
void ib_acc_on_release_exit(struct ib_account *acc, struct thread *t,
			    const struct ib_event *ev);
/* A core release function's return @ev: closed, its length added. */
void ib_acc_on_core_exit(struct ib_account *acc, struct thread *t,
			 const struct ib_event *ev);
/* Count @ev of @t as a hit inside each release span of @t open around it. */
void ib_acc_count_hits(struct ib_account *acc, const struct thread *t,
		       const struct ib_event *ev);
/* An interrupt or task switch: counted in every open timed span. */
void ib_acc_count_irq(struct ib_account *acc);

#endif
