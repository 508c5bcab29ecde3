// SPDX-License-Identifier: GPL-2.0
/*
 * iommu_bench tracepoints, defined here once (as iommu-traces.c does for
 * the IOMMU core), and the helpers the run loop and the modes call.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include <linux/iommu.h>

#include "iommu_bench.h"

#define CREATE_TRACE_POINTS
#include "iommu_bench_trace.h"

void iommu_bench_trace_run_start(const struct iommu_bench_run *arg)
{
	trace_run_start(arg->mode, arg->ndevs, arg->cycles, arg->first_cycle);
}

void iommu_bench_trace_run_end(int ret, u32 cycles_done)
{
	trace_run_end(ret, cycles_done);
}

void iommu_bench_trace_phase(const struct iommu_bench_target *dev, u32 cycle,
			     u32 phase, u64 ns)
{
	trace_phase_end(dev->name, cycle, phase, ns);
}

/*
 * The domain @dev is on as its cycle starts.  Its address is only read,
 * under a reference on the group, and compared with the probe packs'
 * fetches of it (the trace buffer, root's only, holds those raw too).
 * Its type is read only when no one else owns the group: a VFIO user's
 * domain can be freed under us, while an unowned group's default domain,
 * and an owned mode's blocked one, live as long as the run.
 */
void iommu_bench_trace_cycle_start(const struct iommu_bench_ctx *ctx,
				   const struct iommu_bench_target *dev,
				   u32 cycle)
{
	struct iommu_domain *dom = NULL;
	struct iommu_group *group;
	struct pci_dev *pdev;
	u32 type = U32_MAX;

	if (!trace_cycle_start_enabled())
		return;
	pdev = iommu_bench_dev_get(dev);
	group = pdev ? iommu_group_get(&pdev->dev) : NULL;
	if (group)
		dom = iommu_get_domain_for_dev(&pdev->dev);
	if (dom && (ctx->owner_changed || !iommu_group_dma_owner_claimed(group)))
		type = dom->type;
	trace_cycle_start(dev->name, cycle, (u64)(unsigned long)dom, type);
	iommu_group_put(group);
	pci_dev_put(pdev);
}

void iommu_bench_trace_cycle_end(const struct iommu_bench_target *dev,
				 u32 cycle, int ret, u64 ns)
{
	trace_cycle_end(dev->name, cycle, ret, ns);
}
