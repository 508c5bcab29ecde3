// SPDX-License-Identifier: GPL-2.0
/*
 * remove mode: PCI stop + remove, then rescan, of each device in turn.
 * This is the path that reaches iommu_release_device() through the bus
 * notifier, and the rescan probes the device into the IOMMU core again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include "iommu_bench.h"

static int iommu_bench_remove_one(struct iommu_bench_ctx *ctx,
				  struct iommu_bench_target *dev,
				  u32 cycle, u64 ns[2])
{
	return iommu_bench_remove_rescan(dev, cycle, ns,
					 iommu_bench_expected_driver(ctx, dev));
}

int iommu_bench_remove_cycle(struct iommu_bench_ctx *ctx, u32 cycle,
			     struct iommu_bench_timing *t)
{
	return iommu_bench_each_device(ctx, cycle, t, iommu_bench_remove_one);
}

const struct iommu_bench_mode_ops iommu_bench_mode_remove_ops = {
	.name = "remove",
	.phases = { IOMMU_BENCH_PHASE_REMOVE, IOMMU_BENCH_PHASE_RESCAN },
	.check = iommu_bench_check_each_removable,
	.cycle = iommu_bench_remove_cycle,
	/* a device whose driver did not come back gets one more try */
	.teardown = iommu_bench_restore_each_driver,
};
