/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_event: one trace event reduced to what the accounting needs.  The
 * collector fills these from libtraceevent records (live or from a file);
 * tests build them by hand.
 */
#ifndef IB_EVENT_H
#define IB_EVENT_H

#include <stdint.h>

#include "iommu_bench.h"

#define IB_DEV_LEN	32

enum ib_ev_kind {
	IB_EV_CYCLE_START,	/* iommu_bench:cycle_start */
	IB_EV_PHASE_END,	/* iommu_bench:phase_end */
	IB_EV_CYCLE_END,	/* iommu_bench:cycle_end */
	IB_EV_RELEASE_ENTRY,	/* kprobe on the release span's function */
	IB_EV_RELEASE_EXIT,	/* its kretprobe */
	IB_EV_CORE_ENTRY,	/* kprobe on the kernel's own release function */
	IB_EV_CORE_EXIT,	/* its kretprobe */
	IB_EV_ATTACH,		/* kprobe on a driver attach_dev */
	IB_EV_CORE_ATTACH,	/* iommu:attach_device_to_domain */
	IB_EV_HW,		/* kprobe on a driver's hardware work */
	IB_EV_BLOCK,		/* kprobe on a driver-internal block */
	IB_EV_MARK,		/* the collector's trace marker: a probe set */
	IB_EV_RUN_START,	/* iommu_bench:run_start: one ioctl's cycles */
	IB_EV_IRQ,		/* an interrupt, softirq, IPI or task switch:
				 * ib_interrupt_events */
	IB_EV_OTHER,		/* any other event of the trace: a probe hit */
	IB_EV_NR,
};

/* enum iommu_bench_phase of the module's phase_end tracepoint */
#define IB_PHASE_REMOVE		IOMMU_BENCH_PHASE_REMOVE
#define IB_PHASE_RESCAN		IOMMU_BENCH_PHASE_RESCAN
#define IB_PHASE_NR		(IOMMU_BENCH_PHASE_RELEASE + 1)

/* Return: the name of module phase @phase ("remove", ...), "?" for none. */
const char *ib_phase_name(uint32_t phase);

enum ib_hw_kind {
	IB_HW_INVAL,		/* invalidation submitted and waited for */
	IB_HW_CTX,		/* context / DTE / STE entry written */
	IB_HW_NR,
};

/*
 * Which probes were on during a cycle.  Latency is timed with nothing but
 * the span's own two ends armed (a probe that fires inside a timed span
 * adds its cost to it); switches are counted in other cycles, with all.
 */
enum ib_probes {
	IB_PROBES_NONE,		/* nothing: run --untraced, --no-trace */
	IB_PROBES_ALL,		/* every probe but the core span: the counts */
	IB_PROBES_RELEASE,	/* the release span's ends only: its latency */
	IB_PROBES_CORE,		/* the core function's ends only */
	IB_PROBES_NR,
};

/* Return: "none", "all", "release" or "core"; "?" for another value. */
const char *ib_probes_name(int32_t probes);
/*
 * The batch @s names, as ib_probes_name() writes it; "0" and "1" are read
 * as none and all (old files).
 *
 * Return: the enum ib_probes, or -EINVAL if @s names none.
 */
int32_t ib_probes_parse(const char *s);
/* The text of the collector's trace marker before a batch of @probes. */
#define IB_MARK_PREFIX	"iommu_bench: probes="

/* struct iommu_domain.type as the kernel defines it, or unknown. */
#define IB_DOM_UNKNOWN	(-1)
#define IB_DOM_BLOCKED	0
#define IB_DOM_UNMANAGED 1
#define IB_DOM_DMA	3
#define IB_DOM_IDENTITY	4
#define IB_DOM_DMA_FQ	11

struct ib_event {
	uint64_t ts;		/* trace clock, ns */
	int32_t cpu;
	int32_t pid;
	enum ib_ev_kind kind;
	char dev[IB_DEV_LEN];	/* "" when the event does not name one */
	uint32_t cycle;
	uint32_t phase;
	uint64_t ns;		/* in-kernel duration (module events) */
	int32_t ret;
	int32_t dom_type;	/* IB_DOM_* or IB_DOM_UNKNOWN */
	uint64_t dom;		/* struct iommu_domain address, 0 unknown */
	enum ib_hw_kind hw;
	int other;		/* the pack's "when" does not hold: a
				 * RELEASE_ENTRY of a call that is no release,
				 * a probe's hit of another meaning */
	int driver_release;	/* ATTACH: inside a release, the driver's own
				 * detach (the pack's "in_release = driver") */
	int when_removed;	/* RELEASE_ENTRY: a release if @arg is the
				 * kernel's BUS_NOTIFY_REMOVED_DEVICE */
	uint64_t arg;		/* RELEASE_ENTRY: the "when" field; RUN_START:
				 * BUS_NOTIFY_REMOVED_DEVICE, ~0 unknown */
	int32_t probes;		/* MARK: enum ib_probes of the cycles after it */
};

/*
 * The events that say a CPU left the path it was on: an interrupt of any
 * kind, a softirq, or a task switch ("system/event", NULL-ended).  Under
 * a clock that counts instructions (QEMU icount, one count for every
 * vCPU) a span with one of them on any CPU holds work not its own.  Each
 * is enabled where the kernel has it; none is required.
 */
extern const char *const ib_interrupt_events[];

/* Return: the name of event kind @kind ("cycle_start", ...), "?" for none. */
const char *ib_ev_kind_name(enum ib_ev_kind kind);
/*
 * Return: the name of domain type @type ("blocked", "dma", ...):
 * "unknown" for IB_DOM_UNKNOWN, "other" for a type it does not know.
 */
const char *ib_dom_type_name(int32_t type);

/* Stable sort by timestamp: equal stamps keep their recorded order. */
void ib_events_sort(struct ib_event *ev, size_t n);

#endif
