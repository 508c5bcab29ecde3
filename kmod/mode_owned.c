// SPDX-License-Identifier: GPL-2.0
/*
 * owned mode: the owner device is bound to iommu_bench_owner, which
 * claims DMA ownership of the group (blocked domain, as under VFIO); then
 * the other named devices of that group are removed and rescanned.  On a
 * kernel that attaches the release domain without looking, each release
 * is a switch to the domain the group is already on: a redundant switch.
 * The owner itself is never removed: the core WARNs when the last device
 * of an owned group goes.
 *
 * claim mode: bind iommu_bench_owner (claim: the group goes to blocked)
 * and unbind it (release: back to the default domain), as a cycle.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/pci.h>

#include "iommu_bench.h"

/*
 * A group member that is neither the owner nor named, bound to a driver
 * that uses the DMA API, makes the claim fail (-EPERM): refuse before any
 * driver is unbound, naming it.  The claim stays the authority (a driver
 * may bind in between); teardown restores the owner either way.
 */
static int ib_owned_group_user(struct device *d, void *data)
{
	struct ib_run *run = data;
	struct pci_driver *drv;

	if (!dev_is_pci(d) || !d->driver ||
	    ib_dev_is(&run->owner, to_pci_dev(d)) ||
	    ib_run_names(run, to_pci_dev(d)))
		return 0;
	drv = to_pci_driver(d->driver);
	if (drv->driver_managed_dma)
		return 0;
	pr_err("%s: in the group of owner %s and bound to %s, which uses the DMA API: the claim would fail; name it or unbind it\n",
	       dev_name(d), run->owner.name, drv->name);
	return -EBUSY;
}

static int ib_owned_check(struct ib_run *run)
{
	struct pci_dev *owner = ib_dev_get(&run->owner);
	unsigned int i;
	int ret;

	if (!owner)
		return -ENODEV;
	/* its driver is unbound for ours: the same care as a removal */
	ret = ib_dev_check_removable(owner);
	for (i = 0; i < run->ndevs && !ret; i++) {
		struct pci_dev *pdev = ib_dev_get(&run->devs[i]);

		if (!strcmp(run->devs[i].name, run->owner.name)) {
			pr_err("%s: is the owner, and the owner is never removed\n",
			       run->owner.name);
			ret = -EINVAL;
		} else if (!pdev) {
			ret = -ENODEV;
		} else {
			ret = ib_dev_check_removable(pdev);
			if (!ret && !ib_dev_same_group(owner, pdev)) {
				pr_err("%s: not in the IOMMU group of owner %s\n",
				       run->devs[i].name, run->owner.name);
				ret = -EINVAL;
			}
		}
		pci_dev_put(pdev);
	}
	if (!ret) {
		struct iommu_group *group = iommu_group_get(&owner->dev);

		ret = group ? iommu_group_for_each_dev(group, run,
						       ib_owned_group_user) :
			      -ENODEV;
		iommu_group_put(group);
	}
	pci_dev_put(owner);
	return ret;
}

/*
 * The group must have no DMA-API user for the claim: the devices named
 * for removal lose their drivers first (a rescan could not rebind them
 * while the group is owned anyway); teardown gives them back.
 */
static int ib_owned_setup(struct ib_run *run)
{
	unsigned int i;
	int ret;

	for (i = 0; i < run->ndevs; i++) {
		ret = ib_unbind(&run->devs[i]);
		if (ret)
			return ret;
	}
	run->drivers_off = true;
	/* the owner loses its driver even when the claim then fails */
	run->owner_changed = true;
	return ib_bind_owner(&run->owner);
}

static void ib_owned_teardown(struct ib_run *run)
{
	/* owner first: its group must be released before drivers rebind */
	if (run->owner_changed)
		ib_restore_driver(&run->owner);
	run->owner_changed = false;
	ib_restore_each_driver(run);
}

const struct ib_mode_ops ib_mode_owned_ops = {
	.name = "owned",
	.phases = { IOMMU_BENCH_PHASE_REMOVE, IOMMU_BENCH_PHASE_RESCAN },
	.needs_owner = true,
	.check = ib_owned_check,
	.setup = ib_owned_setup,
	/* the cycle is remove mode's: only the group's state differs */
	.cycle = ib_remove_cycle,
	.teardown = ib_owned_teardown,
};

static int ib_claim_one(struct ib_run *run, const struct ib_dev *dev,
			u32 cycle, u64 ns[2])
{
	return ib_drive_then_restore(dev, cycle, ib_bind_owner,
				     ib_mode_claim_ops.phases, ns);
}

static int ib_claim_cycle(struct ib_run *run, u32 cycle,
			  struct iommu_bench_timing *t)
{
	return ib_each_device(run, cycle, t, ib_claim_one);
}

const struct ib_mode_ops ib_mode_claim_ops = {
	.name = "claim",
	.phases = { IOMMU_BENCH_PHASE_CLAIM, IOMMU_BENCH_PHASE_RELEASE },
	/* binding our driver unbinds theirs: the same care as a removal */
	.check = ib_check_each_removable,
	.cycle = ib_claim_cycle,
	.teardown = ib_restore_each_driver,
};
