/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iommu_bench tracepoints: the collector's clock for whole cycles and
 * phases, and its markers for attributing IOMMU events to a cycle.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM iommu_bench

#if !defined(_IOMMU_BENCH_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _IOMMU_BENCH_TRACE_H

#include <linux/device/bus.h>
#include <linux/tracepoint.h>

#define show_iommu_bench_phase(p)					\
	__print_symbolic(p, { IOMMU_BENCH_PHASE_REMOVE, "remove" },	\
			    { IOMMU_BENCH_PHASE_RESCAN, "rescan" },	\
			    { IOMMU_BENCH_PHASE_UNBIND, "unbind" },	\
			    { IOMMU_BENCH_PHASE_BIND, "bind" },		\
			    { IOMMU_BENCH_PHASE_CLAIM, "claim" },	\
			    { IOMMU_BENCH_PHASE_RELEASE, "release" })

/*
 * bus_removed: this kernel's BUS_NOTIFY_REMOVED_DEVICE (3 up to 6.3, 2
 * since the events became an enum), so that the collector knows which
 * call of the IOMMU core's bus notifier is a release.
 */
TRACE_EVENT(run_start,
	TP_PROTO(u32 mode, u32 ndevs, u32 cycles, u32 first_cycle),
	TP_ARGS(mode, ndevs, cycles, first_cycle),
	TP_STRUCT__entry(
		__field(u32, mode)
		__field(u32, ndevs)
		__field(u32, cycles)
		__field(u32, first_cycle)
		__field(u32, bus_removed)
	),
	TP_fast_assign(
		__entry->mode = mode;
		__entry->ndevs = ndevs;
		__entry->cycles = cycles;
		__entry->first_cycle = first_cycle;
		__entry->bus_removed = BUS_NOTIFY_REMOVED_DEVICE;
	),
	TP_printk("mode=%u ndevs=%u cycles=%u first_cycle=%u bus_removed=%u",
		  __entry->mode, __entry->ndevs, __entry->cycles,
		  __entry->first_cycle, __entry->bus_removed)
);

TRACE_EVENT(run_end,
	TP_PROTO(int ret, u32 cycles_done),
	TP_ARGS(ret, cycles_done),
	TP_STRUCT__entry(
		__field(int, ret)
		__field(u32, cycles_done)
	),
	TP_fast_assign(
		__entry->ret = ret;
		__entry->cycles_done = cycles_done;
	),
	TP_printk("ret=%d cycles_done=%u", __entry->ret, __entry->cycles_done)
);

/* A fixed array, not __string: its helpers changed between 6.1 and 6.12. */
/*
 * dom, dtype: the domain the device is on as its cycle starts (0 and
 * U32_MAX: none), so that a first switch to it is known as redundant
 * even when what put it there (a VFIO claim) came before the trace.
 */
TRACE_EVENT(cycle_start,
	TP_PROTO(const char *dev, u32 cycle, u64 dom, u32 dtype),
	TP_ARGS(dev, cycle, dom, dtype),
	TP_STRUCT__entry(
		__array(char, dev, 32)
		__field(u32, cycle)
		__field(u32, dtype)
		__field(u64, dom)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, sizeof(__entry->dev));
		__entry->cycle = cycle;
		__entry->dtype = dtype;
		__entry->dom = dom;
	),
	TP_printk("dev=%s cycle=%u dom=0x%llx dtype=%u", __entry->dev,
		  __entry->cycle, __entry->dom, __entry->dtype)
);

TRACE_EVENT(phase_end,
	TP_PROTO(const char *dev, u32 cycle, u32 phase, u64 ns),
	TP_ARGS(dev, cycle, phase, ns),
	TP_STRUCT__entry(
		__array(char, dev, 32)
		__field(u32, cycle)
		__field(u32, phase)
		__field(u64, ns)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, sizeof(__entry->dev));
		__entry->cycle = cycle;
		__entry->phase = phase;
		__entry->ns = ns;
	),
	TP_printk("dev=%s cycle=%u phase=%s ns=%llu", __entry->dev,
		  __entry->cycle, show_iommu_bench_phase(__entry->phase), __entry->ns)
);

TRACE_EVENT(cycle_end,
	TP_PROTO(const char *dev, u32 cycle, int ret, u64 ns),
	TP_ARGS(dev, cycle, ret, ns),
	TP_STRUCT__entry(
		__array(char, dev, 32)
		__field(u32, cycle)
		__field(int, ret)
		__field(u64, ns)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, sizeof(__entry->dev));
		__entry->cycle = cycle;
		__entry->ret = ret;
		__entry->ns = ns;
	),
	TP_printk("dev=%s cycle=%u ret=%d ns=%llu", __entry->dev,
		  __entry->cycle, __entry->ret, __entry->ns)
);

/* Fired by IOMMU_BENCH_CALIBRATE: the cost of one tracepoint hit. */
TRACE_EVENT(probe_target,
	TP_PROTO(const char *dev),
	TP_ARGS(dev),
	TP_STRUCT__entry(
		__array(char, dev, 32)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, sizeof(__entry->dev));
	),
	TP_printk("dev=%s", __entry->dev)
);

#endif /* _IOMMU_BENCH_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE iommu_bench_trace
#include <trace/define_trace.h>
