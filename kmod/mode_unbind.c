// SPDX-License-Identifier: GPL-2.0
/*
 * unbind mode: driver unbind, then bind again.  The device stays on its
 * bus and in its IOMMU group: this path must show no IOMMU release.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "iommu_bench.h"

static int ib_unbind_check(struct ib_run *run)
{
	unsigned int i;
	int ret = ib_check_each_removable(run);

	for (i = 0; i < run->ndevs && !ret; i++) {
		if (!run->devs[i].driver[0]) {
			pr_err("%s: has no driver bound, nothing to unbind\n",
			       run->devs[i].name);
			ret = -EINVAL;
		}
	}
	return ret;
}

static int ib_unbind_one(struct ib_run *run, const struct ib_dev *dev,
			 u32 cycle, u64 ns[2])
{
	return ib_drive_then_restore(dev, cycle, ib_unbind,
				     ib_mode_unbind_ops.phases, ns);
}

static int ib_unbind_cycle(struct ib_run *run, u32 cycle,
			   struct iommu_bench_timing *t)
{
	return ib_each_device(run, cycle, t, ib_unbind_one);
}

const struct ib_mode_ops ib_mode_unbind_ops = {
	.name = "unbind",
	.phases = { IOMMU_BENCH_PHASE_UNBIND, IOMMU_BENCH_PHASE_BIND },
	.check = ib_unbind_check,
	.cycle = ib_unbind_cycle,
	/* a rebind that failed in a cycle gets one more try */
	.teardown = ib_restore_each_driver,
};
