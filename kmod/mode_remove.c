// SPDX-License-Identifier: GPL-2.0
/*
 * remove mode: PCI stop + remove, then rescan, of each device in turn.
 * This is the path that reaches iommu_release_device() through the bus
 * notifier, and the rescan probes the device into the IOMMU core again.
 *
 * group mode: every non-bridge device of one IOMMU group, all named,
 * removed in turn (the group empties as they go), then a rescan of each
 * of their buses.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/ktime.h>

#include "iommu_bench.h"

static int ib_remove_one(struct ib_run *run, const struct ib_dev *dev,
			 u32 cycle, u64 ns[2])
{
	return ib_remove_rescan(dev, cycle, ns,
				run->drivers_off ? "" : dev->driver);
}

int ib_remove_cycle(struct ib_run *run, u32 cycle,
		    struct iommu_bench_timing *t)
{
	return ib_each_device(run, cycle, t, ib_remove_one);
}

const struct ib_mode_ops ib_mode_remove_ops = {
	.name = "remove",
	.phases = { IOMMU_BENCH_PHASE_REMOVE, IOMMU_BENCH_PHASE_RESCAN },
	.check = ib_check_each_removable,
	.cycle = ib_remove_cycle,
	/* a device whose driver did not come back gets one more try */
	.teardown = ib_restore_each_driver,
};

struct ib_group_count {
	struct ib_run *run;
	unsigned int members, named;
};

static int ib_group_count_one(struct device *dev, void *data)
{
	struct ib_group_count *gc = data;
	struct pci_dev *pdev;

	if (!dev_is_pci(dev))
		return 0;
	pdev = to_pci_dev(dev);
	if ((pdev->class >> 16) == PCI_BASE_CLASS_BRIDGE)
		return 0;
	gc->members++;
	if (ib_run_names(gc->run, pdev))
		gc->named++;
	return 0;
}

/* All named devices form one whole group, bridges aside. */
static int ib_group_check(struct ib_run *run)
{
	struct ib_group_count gc = { .run = run };
	struct iommu_group *group;
	struct pci_dev *first;
	int ret = ib_check_each_removable(run);
	unsigned int i;

	if (ret)
		return ret;
	first = ib_dev_get(&run->devs[0]);
	if (!first)
		return -ENODEV;
	for (i = 1; i < run->ndevs && !ret; i++) {
		struct pci_dev *pdev = ib_dev_get(&run->devs[i]);

		if (!pdev || !ib_dev_same_group(first, pdev)) {
			pr_err("%s: not in the IOMMU group of %s\n",
			       run->devs[i].name, run->devs[0].name);
			ret = -EINVAL;
		}
		pci_dev_put(pdev);
	}
	group = iommu_group_get(&first->dev);
	pci_dev_put(first);
	if (ret || !group)
		goto out;
	iommu_group_for_each_dev(group, &gc, ib_group_count_one);
	if (gc.named != gc.members) {
		pr_err("group mode: %u devices named, the group of %s has %u besides bridges: name them all\n",
		       gc.named, run->devs[0].name, gc.members);
		ret = -EINVAL;
	}
out:
	iommu_group_put(group);
	return ret;
}

static int ib_group_cycle(struct ib_run *run, u32 cycle,
			  struct iommu_bench_timing *t)
{
	u64 start[IOMMU_BENCH_MAX_DEVICES], t0, t1, rescan;
	struct pci_bus *bus[IOMMU_BENCH_MAX_DEVICES];
	unsigned int i, j, n = 0, nbus = 0;
	int ret = 0;

	pci_lock_rescan_remove();
	for (i = 0; i < run->ndevs; i++) {
		struct pci_dev *pdev = ib_dev_get(&run->devs[i]);

		if (!pdev) {
			pr_err("%s: gone before cycle %u\n", run->devs[i].name,
			       cycle);
			ret = -ENODEV;
			break;
		}
		/*
		 * A group can span buses (ports without ACS): each parent
		 * bus is rescanned.  Bridges are never named, so no bus
		 * goes with a removal; the reference is for safety.
		 */
		for (j = 0; j < nbus && bus[j] != pdev->bus; j++)
			;
		if (j == nbus) {
			bus[nbus++] = pdev->bus;
			get_device(&pdev->bus->dev);
		}
		ib_trace_cycle_start(&run->devs[i], cycle);
		start[i] = ktime_get_ns();
		pci_stop_and_remove_bus_device(pdev);
		t0 = ktime_get_ns();
		pci_dev_put(pdev);
		t[i].ns[0] = t0 - start[i];
		ib_trace_phase(&run->devs[i], cycle, IOMMU_BENCH_PHASE_REMOVE,
			       t[i].ns[0]);
		n++;
	}
	/* Whatever was removed comes back, also after an error. */
	t0 = ktime_get_ns();
	for (j = 0; j < nbus; j++) {
		pci_rescan_bus(bus[j]);
		put_device(&bus[j]->dev);
	}
	t1 = ktime_get_ns();
	rescan = t1 - t0;
	for (i = 0; i < n; i++) {
		int r;

		t[i].ns[1] = rescan;
		ib_trace_phase(&run->devs[i], cycle, IOMMU_BENCH_PHASE_RESCAN, rescan);
		r = ib_dev_back(&run->devs[i], cycle, run->devs[i].driver);
		ret = ret ? ret : r;
		ib_trace_cycle_end(&run->devs[i], cycle, r, t1 - start[i]);
	}
	pci_unlock_rescan_remove();
	return ret;
}

const struct ib_mode_ops ib_mode_group_ops = {
	.name = "group",
	.phases = { IOMMU_BENCH_PHASE_REMOVE, IOMMU_BENCH_PHASE_RESCAN },
	.check = ib_group_check,
	.cycle = ib_group_cycle,
	.teardown = ib_restore_each_driver,
};
