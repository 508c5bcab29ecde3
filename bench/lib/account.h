/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_account: turn a time-ordered event stream into one row per device
 * per cycle: release latency, and the domain switches each release and
 * each phase made: traced by the core or made behind its back, redundant
 * (to the domain the device is already on) or transient (superseded
 * within the same operation).
 */
#ifndef IB_ACCOUNT_H
#define IB_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

/* Where a switch or hardware call happened. */
enum ib_window {
	IB_WIN_RELEASE,		/* inside the release span */
	IB_WIN_PHASE1,		/* the mode's first phase (remove, unbind, claim) */
	IB_WIN_PHASE2,		/* its second (rescan: re-probe, bind, release) */
	IB_WIN_OUTSIDE,		/* no cycle of ours was running */
	IB_WIN_NR,
};

#define IB_NWIN		(IB_WIN_NR - 1)	/* windows with counts */

#define IB_TARGET_NONE	(-2)	/* no release switch */
#define IB_TARGET_MIXED	(-3)	/* release switches to several types */

struct ib_switch_count {
	uint32_t total;
	uint32_t traced;	/* seen by iommu:attach_device_to_domain */
	uint32_t untraced;	/* a direct attach_dev call only */
	uint32_t redundant;	/* to the domain the device was on */
	uint32_t transient;	/* driver-internal block calls inside an attach
				 * to another domain (not in total) */
	uint32_t internal;	/* driver-internal blocks outside any attach:
				 * a detach the core never sees (not in total) */
};

/* @to += @from, count by count: totals over cycles, devices, boots. */
void ib_switch_count_add(struct ib_switch_count *to,
			 const struct ib_switch_count *from);

struct ib_cycle {
	char dev[IB_DEV_LEN];
	uint32_t cycle;
	int32_t ret;
	int complete;			/* saw cycle_start and cycle_end */
	uint32_t phase[2];		/* enum iommu_bench_phase of each phase */
	uint64_t cycle_ns;		/* module: whole cycle */
	uint64_t phase_ns[2];		/* module: each phase */
	int32_t probes;			/* enum ib_probes during the cycle */
	uint32_t releases;		/* release spans */
	uint64_t release_ns;		/* their summed entry->return time */
	uint32_t release_hits;		/* other events inside them */
	uint32_t span_irqs;		/* interrupts or task switches on any
					 * CPU while a timed span (release or
					 * core) of the cycle was open */
	uint32_t core_calls;		/* core release function spans */
	uint64_t core_ns;		/* their summed entry->return time */
	struct ib_switch_count sw[IB_NWIN];
	int32_t release_target;		/* IB_DOM_*, IB_TARGET_NONE or _MIXED */
	uint32_t hw[IB_NWIN][IB_HW_NR];
};

struct ib_account_stats {
	uint64_t events;
	uint64_t by_kind[IB_EV_NR];
	uint64_t unmatched_exits;	/* span return without entry */
	uint64_t open_releases;		/* span entry without return */
	uint64_t outside_switches;	/* switches outside our cycles */
	uint64_t outside_hw;
	uint64_t incomplete_cycles;
	uint64_t unknown_when;		/* span entries before any run_start
					 * said which bus event releases */
};

struct ib_account;

/* Return: a new, empty accounting (ib_account_free() it), never NULL. */
struct ib_account *ib_account_create(void);
/* Free @acc and its cycles; NULL is ignored. */
void ib_account_free(struct ib_account *acc);
/* Feed events in time order (ib_events_sort). */
void ib_account_event(struct ib_account *acc, const struct ib_event *ev);
/* Close the stream: pending switches are settled as untraced. */
void ib_account_finish(struct ib_account *acc);

/* Return: how many cycles @acc has seen (one per device per cycle). */
size_t ib_account_ncycles(const struct ib_account *acc);
/*
 * The @index-th cycle (from 0), in the order the cycles started.
 *
 * Return: the cycle (owned by @acc), or NULL past the end.
 */
const struct ib_cycle *ib_account_cycle(const struct ib_account *acc,
					size_t index);
/* Return: what @acc made of the events so far (owned by @acc). */
const struct ib_account_stats *ib_account_stats(const struct ib_account *acc);

/* Return: "release", "phase1", "phase2" or "outside"; "?" for no window. */
const char *ib_window_name(enum ib_window w);

#endif
