// SPDX-License-Identifier: GPL-2.0
/*
 * remove mode: PCI stop + remove, then rescan of the parent bus.  This is
 * the path that reaches iommu_release_device() through the bus notifier,
 * and the rescan re-probes the device into the IOMMU core.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/ktime.h>

#include "iommu_bench.h"
#include "iommu_bench_trace.h"

static int ib_remove_check(struct pci_dev *pdev)
{
	struct iommu_group *group;

	/* Host, ISA/LPC and PCI bridges: the machine itself hangs off them. */
	if (pci_is_bridge(pdev) ||
	    (pdev->class >> 16) == PCI_BASE_CLASS_BRIDGE) {
		pr_err("%s: is a bridge (class %06x), refusing to remove it\n",
		       pci_name(pdev), pdev->class);
		return -EINVAL;
	}
	if (pdev->is_virtfn) {
		pr_err("%s: is an SR-IOV VF, its PF owns its life cycle\n",
		       pci_name(pdev));
		return -EINVAL;
	}
	group = iommu_group_get(&pdev->dev);
	if (!group) {
		pr_err("%s: has no IOMMU group, its release does not reach the IOMMU core\n",
		       pci_name(pdev));
		return -EINVAL;
	}
	iommu_group_put(group);
	return 0;
}

static int ib_remove_cycle(struct ib_run *run, const struct ib_dev *dev,
			   u32 cycle, struct iommu_bench_timing *t)
{
	struct pci_dev *pdev;
	struct pci_bus *bus;
	u64 t0, t1, t2;
	int ret = 0;

	pci_lock_rescan_remove();
	pdev = ib_dev_get(dev);
	if (!pdev) {
		pr_err("%s: gone before cycle %u\n", dev->name, cycle);
		ret = -ENODEV;
		goto unlock;
	}
	/* Only endpoints are removed, so the parent bus outlives pdev. */
	bus = pdev->bus;

	t0 = ktime_get_ns();
	pci_stop_and_remove_bus_device(pdev);
	t1 = ktime_get_ns();
	pci_dev_put(pdev);
	trace_phase_end(dev->name, cycle, IB_PHASE_REMOVE, t1 - t0);

	pci_rescan_bus(bus);
	t2 = ktime_get_ns();
	trace_phase_end(dev->name, cycle, IB_PHASE_RESCAN, t2 - t1);
	t->remove_ns = t1 - t0;
	t->rescan_ns = t2 - t1;

	pdev = ib_dev_get(dev);
	if (!pdev) {
		pr_err("%s: did not come back after rescan in cycle %u\n",
		       dev->name, cycle);
		ret = -ENODEV;
	}
	pci_dev_put(pdev);
unlock:
	pci_unlock_rescan_remove();
	return ret;
}

const struct ib_mode_ops ib_mode_remove_ops = {
	.name = "remove",
	.check = ib_remove_check,
	.cycle = ib_remove_cycle,
};
