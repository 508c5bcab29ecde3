// SPDX-License-Identifier: GPL-2.0
/*
 * The module's two PCI drivers, bound only through driver_override:
 *
 * iommu_bench_owner is driver_managed_dma: binding it claims DMA
 * ownership of the device's IOMMU group, which parks the group on the
 * blocked domain, as VFIO does; unbinding releases it.
 *
 * iommu_bench_dma is an ordinary DMA-API driver that does nothing: a
 * stand-in for a real driver where the lab has none (unbind mode).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>

#include "iommu_bench.h"

#define IB_OWNER_DRIVER	"iommu_bench_owner"
#define IB_DMA_DRIVER	"iommu_bench_dma"

static int ib_owner_cookie;

/*
 * The one device a run is binding to the owning driver now (runs are
 * serialised): a new_id written by hand, or a stale driver_override,
 * must not make it claim some other group.
 */
static struct pci_dev *ib_owner_expected;

/*
 * iommu_group_claim_dma_owner() is kept for VFIO's group interface;
 * kernels that have it claim through the device, as iommufd does.
 */
static int ib_claim(struct pci_dev *pdev, struct iommu_group *group)
{
#ifdef IB_HAVE_DEVICE_CLAIM_DMA_OWNER
	return iommu_device_claim_dma_owner(&pdev->dev, &ib_owner_cookie);
#else
	return iommu_group_claim_dma_owner(group, &ib_owner_cookie);
#endif
}

static void ib_release(struct pci_dev *pdev, struct iommu_group *group)
{
#ifdef IB_HAVE_DEVICE_CLAIM_DMA_OWNER
	iommu_device_release_dma_owner(&pdev->dev);
#else
	iommu_group_release_dma_owner(group);
#endif
}

static int ib_owner_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct iommu_group *group;
	int ret;

	if (READ_ONCE(ib_owner_expected) != pdev) {
		pr_err("%s: %s binds only the owner of a run, refusing\n",
		       pci_name(pdev), IB_OWNER_DRIVER);
		return -EPERM;
	}
	group = iommu_group_get(&pdev->dev);
	if (!group)
		return -ENODEV;
	ret = ib_claim(pdev, group);
	if (ret) {
		pr_err("%s: cannot claim DMA ownership of group %d: %d (another driver uses the DMA API in it?)\n",
		       pci_name(pdev), iommu_group_id(group), ret);
		iommu_group_put(group);
		return ret;
	}
	pci_set_drvdata(pdev, group);
	return 0;
}

static void ib_owner_remove(struct pci_dev *pdev)
{
	struct iommu_group *group = pci_get_drvdata(pdev);

	ib_release(pdev, group);
	iommu_group_put(group);
}

static struct pci_driver ib_owner_driver = {
	.name = IB_OWNER_DRIVER,
	.probe = ib_owner_probe,
	.remove = ib_owner_remove,
	.driver_managed_dma = true,
	/* no sysfs bind/unbind: only a run binds it, only a run unbinds it */
	.driver.suppress_bind_attrs = true,
};

/* fault injection for the tests: a rebind that fails must be retried */
static unsigned int dma_probe_failures;
module_param(dma_probe_failures, uint, 0600);
MODULE_PARM_DESC(dma_probe_failures,
		 "iommu_bench_dma fails this many probes to come (-EIO)");

static unsigned int dma_probe_wait_ms;
module_param(dma_probe_wait_ms, uint, 0600);
MODULE_PARM_DESC(dma_probe_wait_ms,
		 "iommu_bench_dma's probe waits this long (at most 1000 ms), interruptibly, as a driver loading firmware does: -EINTR if a signal is pending");

static int ib_dma_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	unsigned int fail = READ_ONCE(dma_probe_failures);
	unsigned int wait = min(READ_ONCE(dma_probe_wait_ms), 1000U);

	if (fail) {
		WRITE_ONCE(dma_probe_failures, fail - 1);
		return -EIO;
	}
	if (wait && msleep_interruptible(wait))
		return -EINTR;
	return 0;
}

static void ib_dma_remove(struct pci_dev *pdev)
{
}

static struct pci_driver ib_dma_driver = {
	.name = IB_DMA_DRIVER,
	.probe = ib_dma_probe,
	.remove = ib_dma_remove,
};

int ib_drivers_register(void)
{
	int ret = pci_register_driver(&ib_owner_driver);

	if (ret)
		return ret;
	ret = pci_register_driver(&ib_dma_driver);
	if (ret)
		pci_unregister_driver(&ib_owner_driver);
	return ret;
}

void ib_drivers_unregister(void)
{
	pci_unregister_driver(&ib_dma_driver);
	pci_unregister_driver(&ib_owner_driver);
}

void ib_driver_name(struct pci_dev *pdev, char *buf, size_t len)
{
	device_lock(&pdev->dev);
	strscpy(buf, pdev->dev.driver ? pdev->dev.driver->name : "", len);
	device_unlock(&pdev->dev);
}

/* @pdev's driver_override into @buf, "" for none */
void ib_get_override(struct pci_dev *pdev, char *buf, size_t len)
{
#ifdef IB_HAVE_DEVICE_DRIVER_OVERRIDE
	spin_lock(&pdev->dev.driver_override.lock);
	strscpy(buf, pdev->dev.driver_override.name ?: "", len);
	spin_unlock(&pdev->dev.driver_override.lock);
#else
	device_lock(&pdev->dev);
	strscpy(buf, pdev->driver_override ?: "", len);
	device_unlock(&pdev->dev);
#endif
}

/* @name "" clears the override */
int ib_set_override(struct pci_dev *pdev, const char *name)
{
#ifdef IB_HAVE_DEVICE_DRIVER_OVERRIDE
	return device_set_driver_override(&pdev->dev, name);
#else
	return driver_set_override(&pdev->dev, &pdev->driver_override, name,
				   strlen(name));
#endif
}

/*
 * Bind @pdev to the driver named @name, as a sysfs bind does: one bound
 * by new_id or by hand is not the first match device_attach() takes.
 */
int ib_attach_named(struct pci_dev *pdev, const char *name)
{
	struct device_driver *drv = driver_find(name, &pci_bus_type);

	return drv ? device_driver_attach(drv, &pdev->dev) : -ENOENT;
}

/* Bind @dev to the owning driver, whatever it was bound to. */
int ib_bind_owner(const struct ib_dev *dev)
{
	struct pci_dev *pdev = ib_dev_get(dev);
	int ret;

	if (!pdev)
		return -ENODEV;
	ret = ib_set_override(pdev, IB_OWNER_DRIVER);
	if (ret)
		goto out;
	device_release_driver(&pdev->dev);
	WRITE_ONCE(ib_owner_expected, pdev);
	ret = device_driver_attach(&ib_owner_driver.driver, &pdev->dev);
	WRITE_ONCE(ib_owner_expected, NULL);
	if (ret) {
		pr_err("%s: binding %s failed: %d\n", dev->name,
		       IB_OWNER_DRIVER, ret);
		ib_set_override(pdev, dev->override);
	}
out:
	pci_dev_put(pdev);
	return ret;
}

/* Unbind whatever driver @dev has. */
int ib_unbind(const struct ib_dev *dev)
{
	struct pci_dev *pdev = ib_dev_get(dev);

	if (!pdev)
		return -ENODEV;
	device_release_driver(&pdev->dev);
	pci_dev_put(pdev);
	return 0;
}

/*
 * @pdev back on @driver ("" for none) with @dev's driver_override, from
 * whatever it is bound to now; -EIO if it will not go.
 */
int ib_rebind(const struct ib_dev *dev, struct pci_dev *pdev,
	      const char *driver)
{
	char now[IB_NAME_LEN];
	int ret;

	/*
	 * The override it had (vfio-pci, say), not ours; our stand-in is
	 * only ever bound by override, so it keeps one.
	 */
	ret = ib_set_override(pdev, strcmp(driver, IB_DMA_DRIVER) ?
			      dev->override : IB_DMA_DRIVER);
	if (ret)
		return ret;
	ib_driver_name(pdev, now, sizeof(now));
	if (!strcmp(now, driver))
		return 0;
	if (now[0])
		device_release_driver(&pdev->dev);
	if (driver[0])
		ret = ib_attach_named(pdev, driver);
	ib_driver_name(pdev, now, sizeof(now));
	if (!strcmp(now, driver))
		return 0;
	pr_err("%s: bound to '%s', not '%s' (%d)\n", dev->name, now, driver,
	       ret);
	return -EIO;
}

/* Give @dev back the driver it had when the run started. */
int ib_restore_driver(const struct ib_dev *dev)
{
	struct pci_dev *pdev = ib_dev_get(dev);
	int ret;

	if (!pdev) {
		pr_err("%s: gone, cannot restore its driver\n", dev->name);
		return -ENODEV;
	}
	ret = ib_rebind(dev, pdev, dev->driver);
	pci_dev_put(pdev);
	return ret;
}

/* Every device of @run back on the driver it had when the run started. */
void ib_restore_each_driver(struct ib_run *run)
{
	unsigned int i;

	for (i = 0; i < run->ndevs; i++)
		ib_restore_driver(&run->devs[i]);
}

/*
 * One cycle of a binding mode: @op (unbind, or bind the owner), then give
 * the device its driver back; ns[0] and ns[1] time each, traced as
 * @phases.
 */
int ib_drive_then_restore(const struct ib_dev *dev, u32 cycle,
			  int (*op)(const struct ib_dev *dev),
			  const u32 phases[2], u64 ns[2])
{
	u64 t0, t1, t2;
	int ret;

	t0 = ktime_get_ns();
	ret = op(dev);
	t1 = ktime_get_ns();
	if (ret)
		return ret;
	ib_trace_phase(dev, cycle, phases[0], t1 - t0);
	ret = ib_restore_driver(dev);
	t2 = ktime_get_ns();
	ib_trace_phase(dev, cycle, phases[1], t2 - t1);
	ns[0] = t1 - t0;
	ns[1] = t2 - t1;
	return ret;
}
