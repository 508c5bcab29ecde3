// SPDX-License-Identifier: GPL-2.0
/*
 * While a run is live, a device of it that is added to the PCI bus (its
 * rescan) gets a driver_override naming the driver it had, before any
 * driver probes it, as vfio_pci_core.c does for its VFs: an NVMe kept on
 * vfio-pci is never probed by nvme on the way back (udev, LVM or md would
 * act on its volumes), and a device that is to have no driver (none, or
 * owned mode's) gets "none".  The override it had is given back once it
 * is on its driver again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include <linux/mutex.h>
#include <linux/notifier.h>

#include "iommu_bench.h"

static DEFINE_MUTEX(iommu_bench_live_lock);
static struct iommu_bench_ctx *iommu_bench_live;

/* The run's device @pdev is, or NULL. */
static const struct iommu_bench_target *
iommu_bench_live_target(struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < iommu_bench_live->ndevs; i++)
		if (iommu_bench_dev_is(&iommu_bench_live->devs[i], pdev))
			return &iommu_bench_live->devs[i];
	return NULL;
}

static int iommu_bench_bus_notify(struct notifier_block *nb,
				  unsigned long action, void *data)
{
	const struct iommu_bench_target *dev;
	struct pci_dev *pdev;
	const char *name;

	if (action != BUS_NOTIFY_ADD_DEVICE)
		return NOTIFY_DONE;
	pdev = to_pci_dev(data);
	mutex_lock(&iommu_bench_live_lock);
	dev = iommu_bench_live ? iommu_bench_live_target(pdev) : NULL;
	if (dev && !dev->hands_off) {
		name = iommu_bench_expected_driver(iommu_bench_live, dev);
		/* "none" matches no driver: sysfs-bus-pci's own opt-out */
		if (iommu_bench_set_override(pdev, name[0] ? name : "none"))
			pci_warn(pdev, "could not keep it for %s on its way back\n",
				 name[0] ? name : "no driver");
	}
	mutex_unlock(&iommu_bench_live_lock);
	return NOTIFY_OK;
}

static struct notifier_block iommu_bench_bus_nb = {
	.notifier_call = iommu_bench_bus_notify,
};

/* @ctx is the live run from now on; NULL: none is. */
void iommu_bench_override_live(struct iommu_bench_ctx *ctx)
{
	mutex_lock(&iommu_bench_live_lock);
	iommu_bench_live = ctx;
	mutex_unlock(&iommu_bench_live_lock);
}

int iommu_bench_override_register(void)
{
	return bus_register_notifier(&pci_bus_type, &iommu_bench_bus_nb);
}

void iommu_bench_override_unregister(void)
{
	bus_unregister_notifier(&pci_bus_type, &iommu_bench_bus_nb);
}
