// SPDX-License-Identifier: GPL-2.0
/*
 * iommu_bench devices: look-up by address, the checks that keep the
 * machine alive (before the run and again before each cycle), and the
 * remove + rescan that every removing mode shares.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include <linux/iommu.h>
#include <linux/ktime.h>

#include "iommu_bench.h"

struct pci_dev *iommu_bench_dev_get(const struct iommu_bench_target *dev)
{
	return pci_get_domain_bus_and_slot(dev->segment, dev->bus, dev->devfn);
}

/* @pdev's IOMMU group id, or -1 for none */
int iommu_bench_group_id(struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	int id = group ? iommu_group_id(group) : -1;

	iommu_group_put(group);
	return id;
}

/* May @pdev be removed from its bus (or lose its driver) and come back? */
int iommu_bench_check_removable(const struct iommu_bench_target *dev,
				struct pci_dev *pdev)
{
	/* Host, ISA/LPC and PCI bridges: the machine itself hangs off them. */
	if (pci_is_bridge(pdev) ||
	    (pdev->class >> 16) == PCI_BASE_CLASS_BRIDGE) {
		pci_err(pdev, "is a bridge (class %06x), refusing to remove it\n",
			pdev->class);
		return -EINVAL;
	}
	if (pdev->is_virtfn) {
		pci_err(pdev, "is an SR-IOV VF, its PF owns its life cycle\n");
		return -EINVAL;
	}
	/*
	 * Removing or unbinding a PF destroys its VFs (and whatever guests
	 * they were given to); it comes back with none.
	 */
	if (pdev->is_physfn && pci_num_vf(pdev) > 0) {
		pci_err(pdev, "has %d SR-IOV VFs enabled, which its release would destroy; refusing (write 0 to its sriov_numvfs first)\n",
			pci_num_vf(pdev));
		return -EBUSY;
	}
	if (iommu_bench_group_id(pdev) < 0) {
		pci_err(pdev, "has no IOMMU group, its release does not reach the IOMMU core\n");
		return -EINVAL;
	}
	return iommu_bench_check_in_use(dev, pdev);
}

/* Every device of @ctx may be removed (or lose its driver). */
int iommu_bench_check_each_removable(struct iommu_bench_ctx *ctx)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ctx->ndevs && !ret; i++) {
		struct pci_dev *pdev = iommu_bench_dev_get(&ctx->devs[i]);

		if (!pdev)
			return -ENODEV;
		ret = iommu_bench_check_removable(&ctx->devs[i], pdev);
		pci_dev_put(pdev);
	}
	return ret;
}

/*
 * Before a cycle: @dev is there, on the driver the run left it on, in
 * the group it started in, and not in use.  What someone else changed is
 * theirs: the device is left as they made it.
 */
int iommu_bench_recheck(const struct iommu_bench_ctx *ctx,
			struct iommu_bench_target *dev, u32 cycle)
{
	const char *want = iommu_bench_expected_driver(ctx, dev);
	char now[IOMMU_BENCH_NAME_LEN];
	struct pci_dev *pdev = iommu_bench_dev_get(dev);
	int ret = 0, group;

	if (!pdev) {
		pr_err("%s: gone before cycle %u (removed by someone else): stopping\n",
		       dev->name, cycle);
		dev->hands_off = true;
		return -ENODEV;
	}
	iommu_bench_driver_name(pdev, now, sizeof(now));
	group = iommu_bench_group_id(pdev);
	if (strcmp(now, want)) {
		pci_err(pdev, "its driver changed during the run ('%s', now '%s'): stopping before cycle %u, leaving it so\n",
			want, now, cycle);
		dev->hands_off = true;
		ret = -EBUSY;
	} else if (group != dev->group) {
		pci_err(pdev, "its IOMMU group changed during the run (%d, now %d; -1 is none: on some kernels a device without a driver leaves its group): stopping before cycle %u\n",
			dev->group, group, cycle);
		ret = -EBUSY;
	} else if (dev != &ctx->owner) {
		ret = iommu_bench_check_removable(dev, pdev);
		if (ret)
			pr_err("%s: stopping before cycle %u\n", dev->name,
			       cycle);
	}
	pci_dev_put(pdev);
	return ret;
}

/* Is @pdev the device @dev names? */
bool iommu_bench_dev_is(const struct iommu_bench_target *dev,
			struct pci_dev *pdev)
{
	return (u32)pci_domain_nr(pdev->bus) == dev->segment &&
	       pdev->bus->number == dev->bus && pdev->devfn == dev->devfn;
}

/* Is @pdev one of the devices @ctx names? */
bool iommu_bench_ctx_names(const struct iommu_bench_ctx *ctx,
			   struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < ctx->ndevs; i++)
		if (iommu_bench_dev_is(&ctx->devs[i], pdev))
			return true;
	return false;
}

bool iommu_bench_dev_same_group(struct pci_dev *a, struct pci_dev *b)
{
	int ga = iommu_bench_group_id(a);

	return ga >= 0 && ga == iommu_bench_group_id(b);
}

/* Name, find and remember the driver of one device; no checks yet. */
int iommu_bench_dev_init(struct iommu_bench_target *dev,
			 const struct iommu_bench_dev *in)
{
	struct pci_dev *pdev;
	int ret;

	dev->segment = in->segment;
	dev->bus = in->bus;
	dev->devfn = in->devfn;
	dev->flags = in->flags;
	snprintf(dev->name, sizeof(dev->name), "%04x:%02x:%02x.%d",
		 in->segment, in->bus, PCI_SLOT(in->devfn),
		 PCI_FUNC(in->devfn));
	pdev = iommu_bench_dev_get(dev);
	if (!pdev) {
		pr_err("%s: no such PCI device\n", dev->name);
		return -ENODEV;
	}
	ret = iommu_bench_driver_name(pdev, dev->driver, sizeof(dev->driver));
	if (!ret)
		ret = iommu_bench_get_override(pdev, dev->override,
					       sizeof(dev->override));
	if (ret)
		pci_err(pdev, "its driver or driver_override name is longer than %d characters, which this module does not keep: refusing\n",
			IOMMU_BENCH_NAME_LEN - 1);
	dev->group = iommu_bench_group_id(pdev);
	pci_dev_put(pdev);
	return ret;
}

/*
 * After a rescan: @dev is there again, on @driver.  A rescanned device is
 * a new struct, which override.c kept off every other driver.  Call
 * under the rescan lock.
 */
int iommu_bench_dev_back(struct iommu_bench_target *dev, u32 cycle,
			 const char *driver)
{
	struct pci_dev *pdev = iommu_bench_dev_get(dev);
	int ret;

	if (!pdev) {
		pr_err("%s: did not come back after rescan in cycle %u\n",
		       dev->name, cycle);
		return -ENODEV;
	}
	ret = iommu_bench_rebind(dev, pdev, driver);
	if (ret)
		pci_err(pdev, "did not come back as it was in cycle %u\n",
			cycle);
	/*
	 * A new group may get another id (the lowest free one): this one is
	 * the run's from now on.  None: it left the release path.
	 */
	dev->group = iommu_bench_group_id(pdev);
	if (!ret && dev->group < 0) {
		pci_err(pdev, "came back with no IOMMU group in cycle %u (on some kernels a device joins its group only when a driver binds it): stopping\n",
			cycle);
		ret = -ENODEV;
	}
	pci_dev_put(pdev);
	return ret;
}

/*
 * Scan for the one function that was removed, not the whole bus: a
 * function an admin removed on purpose stays removed.  Function 0 is
 * scanned for as its slot: removing it took down the link's ASPM state,
 * which only a slot scan sets up again (a removed sibling in that slot
 * comes back with it).
 */
void iommu_bench_rescan_fn(struct pci_bus *bus, unsigned int devfn)
{
	if (PCI_FUNC(devfn) == 0)
		pci_scan_slot(bus, devfn);
	else
		pci_scan_single_device(bus, devfn);
	pci_assign_unassigned_bus_resources(bus);
	pci_bus_add_devices(bus);
}

/*
 * Stop and remove @dev, scan for it again; ns[0] remove, ns[1] rescan.
 * It must come back on @driver.
 */
int iommu_bench_remove_rescan(struct iommu_bench_target *dev, u32 cycle,
			      u64 ns[2], const char *driver)
{
	struct pci_dev *pdev;
	struct pci_bus *bus;
	u64 t0, t1, t2;
	int ret = 0;

	pci_lock_rescan_remove();
	pdev = iommu_bench_dev_get(dev);
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
	iommu_bench_trace_phase(dev, cycle, IOMMU_BENCH_PHASE_REMOVE, t1 - t0);

	iommu_bench_rescan_fn(bus, dev->devfn);
	t2 = ktime_get_ns();
	iommu_bench_trace_phase(dev, cycle, IOMMU_BENCH_PHASE_RESCAN, t2 - t1);
	ns[0] = t1 - t0;
	ns[1] = t2 - t1;

	ret = iommu_bench_dev_back(dev, cycle, driver);
unlock:
	pci_unlock_rescan_remove();
	return ret;
}
