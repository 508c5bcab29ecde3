// SPDX-License-Identifier: GPL-2.0
/*
 * unbind mode: driver unbind, then bind again.  The device stays on its
 * bus and in its IOMMU group: this path must show no IOMMU release.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/ktime.h>

#include "iommu_bench.h"

static int ib_unbind_check(struct ib_run *run)
{
	unsigned int i;

	for (i = 0; i < run->ndevs; i++) {
		struct pci_dev *pdev = ib_dev_get(&run->devs[i]);
		int ret;

		if (!pdev)
			return -ENODEV;
		ret = ib_dev_check_removable(pdev);
		pci_dev_put(pdev);
		if (ret)
			return ret;
		if (!run->devs[i].driver[0]) {
			pr_err("%s: has no driver bound, nothing to unbind\n",
			       run->devs[i].name);
			return -EINVAL;
		}
	}
	return 0;
}

static int ib_unbind_one(struct ib_run *run, const struct ib_dev *dev,
			 u32 cycle, u64 ns[2])
{
	u64 t0, t1, t2;
	int ret;

	t0 = ktime_get_ns();
	ret = ib_unbind(dev);
	t1 = ktime_get_ns();
	if (ret)
		return ret;
	ib_trace_phase(dev, cycle, IB_PHASE_UNBIND, t1 - t0);
	ret = ib_restore_driver(dev);
	t2 = ktime_get_ns();
	ib_trace_phase(dev, cycle, IB_PHASE_BIND, t2 - t1);
	ns[0] = t1 - t0;
	ns[1] = t2 - t1;
	return ret;
}

static int ib_unbind_cycle(struct ib_run *run, u32 cycle,
			   struct iommu_bench_timing *t)
{
	return ib_each_device(run, cycle, t, ib_unbind_one);
}

const struct ib_mode_ops ib_mode_unbind_ops = {
	.name = "unbind",
	.phases = { IB_PHASE_UNBIND, IB_PHASE_BIND },
	.check = ib_unbind_check,
	.cycle = ib_unbind_cycle,
};
