// SPDX-License-Identifier: GPL-2.0
/*
 * unbind mode: driver unbind, then bind again.  The device stays on its
 * bus and in its IOMMU group: this path must show no IOMMU release.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include "iommu_bench.h"

static int iommu_bench_unbind_check(struct iommu_bench_ctx *ctx)
{
	unsigned int i;
	int ret = iommu_bench_check_each_removable(ctx);

	for (i = 0; i < ctx->ndevs && !ret; i++) {
		if (!ctx->devs[i].driver[0]) {
			pr_err("%s: has no driver bound, nothing to unbind\n",
			       ctx->devs[i].name);
			ret = -EINVAL;
		}
	}
	return ret;
}

static int iommu_bench_unbind_one(struct iommu_bench_ctx *ctx,
				  struct iommu_bench_target *dev,
			 u32 cycle, u64 ns[2])
{
	return iommu_bench_drive_then_restore(dev, cycle, iommu_bench_unbind,
				     iommu_bench_mode_unbind_ops.phases, ns);
}

static int iommu_bench_unbind_cycle(struct iommu_bench_ctx *ctx, u32 cycle,
			   struct iommu_bench_timing *t)
{
	return iommu_bench_each_device(ctx, cycle, t, iommu_bench_unbind_one);
}

const struct iommu_bench_mode_ops iommu_bench_mode_unbind_ops = {
	.name = "unbind",
	.phases = { IOMMU_BENCH_PHASE_UNBIND, IOMMU_BENCH_PHASE_BIND },
	.check = iommu_bench_unbind_check,
	.cycle = iommu_bench_unbind_cycle,
	/* a rebind that failed in a cycle gets one more try */
	.teardown = iommu_bench_restore_each_driver,
};
