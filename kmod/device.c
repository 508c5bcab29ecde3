// SPDX-License-Identifier: GPL-2.0
/*
 * iommu_bench devices: look-up by address, the checks that keep the
 * machine alive, and the remove + rescan that every removing mode shares.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/path.h>
#include <linux/sched.h>

#include "iommu_bench.h"

struct pci_dev *ib_dev_get(const struct ib_dev *dev)
{
	return pci_get_domain_bus_and_slot(dev->segment, dev->bus, dev->devfn);
}

/* Does the caller's root file system live on a disk below @pdev? */
static bool ib_dev_holds_root(struct pci_dev *pdev)
{
	struct block_device *bdev;
	struct device *d;
	struct path root;
	bool found = false;

	get_fs_root(current->fs, &root);
	bdev = root.mnt->mnt_sb->s_bdev;
	if (bdev && bdev->bd_disk)
		for (d = disk_to_dev(bdev->bd_disk); d; d = d->parent)
			if (d == &pdev->dev)
				found = true;
	path_put(&root);
	return found;
}

/* May @pdev be removed from its bus and come back? */
int ib_dev_check_removable(struct pci_dev *pdev)
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
	/*
	 * Removing or unbinding a PF destroys its VFs (and whatever guests
	 * they were given to); it comes back with none.
	 */
	if (pdev->is_physfn && pci_num_vf(pdev) > 0) {
		pr_err("%s: has %d SR-IOV VFs enabled, which its release would destroy; refusing (write 0 to its sriov_numvfs first)\n",
		       pci_name(pdev), pci_num_vf(pdev));
		return -EINVAL;
	}
	if (ib_dev_holds_root(pdev)) {
		pr_err("%s: holds the root file system, refusing to remove it\n",
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

/* Every device of @run may be removed (or lose its driver). */
int ib_check_each_removable(struct ib_run *run)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < run->ndevs && !ret; i++) {
		struct pci_dev *pdev = ib_dev_get(&run->devs[i]);

		if (!pdev)
			return -ENODEV;
		ret = ib_dev_check_removable(pdev);
		pci_dev_put(pdev);
	}
	return ret;
}

/* Is @pdev the device @dev names? */
bool ib_dev_is(const struct ib_dev *dev, struct pci_dev *pdev)
{
	return (u32)pci_domain_nr(pdev->bus) == dev->segment &&
	       pdev->bus->number == dev->bus && pdev->devfn == dev->devfn;
}

/* Is @pdev one of the devices @run names? */
bool ib_run_names(const struct ib_run *run, struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < run->ndevs; i++)
		if (ib_dev_is(&run->devs[i], pdev))
			return true;
	return false;
}

bool ib_dev_same_group(struct pci_dev *a, struct pci_dev *b)
{
	struct iommu_group *ga = iommu_group_get(&a->dev);
	struct iommu_group *gb = iommu_group_get(&b->dev);
	bool same = ga && ga == gb;

	iommu_group_put(ga);
	iommu_group_put(gb);
	return same;
}

/* Name, find and remember the driver of one device; no checks yet. */
int ib_dev_init(struct ib_dev *dev, const struct iommu_bench_dev *in)
{
	struct pci_dev *pdev;

	dev->segment = in->segment;
	dev->bus = in->bus;
	dev->devfn = in->devfn;
	snprintf(dev->name, sizeof(dev->name), "%04x:%02x:%02x.%d",
		 in->segment, in->bus, PCI_SLOT(in->devfn),
		 PCI_FUNC(in->devfn));
	pdev = ib_dev_get(dev);
	if (!pdev) {
		pr_err("%s: no such PCI device\n", dev->name);
		return -ENODEV;
	}
	ib_driver_name(pdev, dev->driver, sizeof(dev->driver));
	ib_get_override(pdev, dev->override, sizeof(dev->override));
	pci_dev_put(pdev);
	return 0;
}

/*
 * After a rescan: @dev is there again, on @driver.  A rescanned device is
 * a new struct: its driver_override is gone and the first matching driver
 * bound it (e1000e where vfio-pci was).  Call under the rescan lock.
 */
int ib_dev_back(const struct ib_dev *dev, u32 cycle, const char *driver)
{
	struct pci_dev *pdev = ib_dev_get(dev);
	int ret;

	if (!pdev) {
		pr_err("%s: did not come back after rescan in cycle %u\n",
		       dev->name, cycle);
		return -ENODEV;
	}
	ret = ib_rebind(dev, pdev, driver);
	if (ret)
		pr_err("%s: did not come back as it was in cycle %u\n",
		       dev->name, cycle);
	pci_dev_put(pdev);
	return ret;
}

/*
 * Stop and remove @dev, rescan its bus; ns[0] remove, ns[1] rescan.  It
 * must come back on @driver.
 */
int ib_remove_rescan(const struct ib_dev *dev, u32 cycle, u64 ns[2],
		     const char *driver)
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
	ib_trace_phase(dev, cycle, IOMMU_BENCH_PHASE_REMOVE, t1 - t0);

	pci_rescan_bus(bus);
	t2 = ktime_get_ns();
	ib_trace_phase(dev, cycle, IOMMU_BENCH_PHASE_RESCAN, t2 - t1);
	ns[0] = t1 - t0;
	ns[1] = t2 - t1;

	ret = ib_dev_back(dev, cycle, driver);
unlock:
	pci_unlock_rescan_remove();
	return ret;
}
