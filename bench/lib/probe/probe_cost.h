/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_probe_cost: what one probe hit costs on this machine.  Each kind of
 * probe the packs use is armed in turn on the module's empty function
 * (IOMMU_BENCH_CALIBRATE), in a scratch instance of its own, and its
 * calls are timed against unprobed calls before and after.  A probe
 * that fires inside a timed span adds about this much to it.
 */
#ifndef IB_PROBE_COST_H
#define IB_PROBE_COST_H

#include <json-c/json.h>
#include <stdint.h>

enum ib_cost_kind {
	IB_COST_TRACEPOINT,	/* a static tracepoint (iommu:*) */
	IB_COST_KPROBE,		/* a kprobe, no fetch (hardware work) */
	IB_COST_KPROBE_DEV,	/* a kprobe fetching a device name (block) */
	IB_COST_KPROBE_ATTACH,	/* ... a domain, its type and a name */
	IB_COST_SPAN,		/* a span's two ends: kprobe + kretprobe */
	IB_COST_NR,
};

struct ib_probe_cost {
	uint32_t calls;		/* per timed ioctl */
	uint32_t rounds;	/* timed ioctls per kind, and bare before
				 * and after */
	double bare_ns;		/* per unprobed call, median */
	double hit_ns[IB_COST_NR];	/* per hit: median of the rounds */
	int measured[IB_COST_NR];	/* 0: could not be armed */
};

#define IB_COST_CALLS	10000
#define IB_COST_ROUNDS	3

/*
 * Measure on the module's control file @fd; @arch as uname -m.  A kind
 * the kernel refuses, or whose timed calls fail, is left unmeasured
 * (@pc->measured), not an error.
 *
 * Return: 0, or a negative errno with the reason in @err when the module
 * cannot calibrate (too old) or no tracefs instance can be made.
 */
int ib_probe_cost_measure(int fd, const char *arch, struct ib_probe_cost *pc,
			  char *err, size_t errlen);
/*
 * Only the calls, with nothing of ours armed: @pc->bare_ns.  With another
 * tool's probe on iommu_bench_probe_target, the difference to a bare run
 * is that tool's cost per call.
 *
 * Return: 0, or the negative errno of the module's ioctl.
 */
int ib_probe_cost_bare(int fd, struct ib_probe_cost *pc);
/* Return: the name of kind @k in meta.json ("kprobe", ...), "?" for none. */
const char *ib_cost_kind_name(enum ib_cost_kind k);
/*
 * @pc as meta.json's probe_cost: calls, rounds, bare_call_ns and each
 * kind's hit_ns (null when unmeasured).
 *
 * Return: a new JSON object (json_object_put() it), never NULL.
 */
json_object *ib_probe_cost_json(const struct ib_probe_cost *pc);

#endif
