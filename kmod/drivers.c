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
#define dev_fmt(fmt) pr_fmt(fmt)

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/module.h>

#include "iommu_bench.h"

static int iommu_bench_owner_cookie;

/*
 * The one device a run is binding to the owning driver now (runs are
 * serialised): a new_id written by hand, or a stale driver_override,
 * must not make it claim some other group.
 */
static struct pci_dev *iommu_bench_owner_expected;

/*
 * iommu_group_claim_dma_owner() is kept for VFIO's group interface;
 * kernels that have it claim through the device, as iommufd does.
 */
static int iommu_bench_claim(struct pci_dev *pdev, struct iommu_group *group)
{
#ifdef IOMMU_BENCH_HAVE_DEVICE_CLAIM_DMA_OWNER
	return iommu_device_claim_dma_owner(&pdev->dev, &iommu_bench_owner_cookie);
#else
	return iommu_group_claim_dma_owner(group, &iommu_bench_owner_cookie);
#endif
}

static void iommu_bench_release(struct pci_dev *pdev, struct iommu_group *group)
{
#ifdef IOMMU_BENCH_HAVE_DEVICE_CLAIM_DMA_OWNER
	iommu_device_release_dma_owner(&pdev->dev);
#else
	iommu_group_release_dma_owner(group);
#endif
}

static int iommu_bench_owner_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct iommu_group *group;
	int ret;

	if (READ_ONCE(iommu_bench_owner_expected) != pdev) {
		pci_err(pdev, "%s binds only the owner of a run, refusing\n",
			IOMMU_BENCH_OWNER_DRIVER);
		return -EPERM;
	}
	group = iommu_group_get(&pdev->dev);
	if (!group)
		return -ENODEV;
	ret = iommu_bench_claim(pdev, group);
	if (ret) {
		pci_err(pdev, "cannot claim DMA ownership of group %d: %d (another driver uses the DMA API in it?)\n",
			iommu_group_id(group), ret);
		iommu_group_put(group);
		return ret;
	}
	pci_set_drvdata(pdev, group);
	return 0;
}

static void iommu_bench_owner_remove(struct pci_dev *pdev)
{
	struct iommu_group *group = pci_get_drvdata(pdev);

	iommu_bench_release(pdev, group);
	iommu_group_put(group);
}

static struct pci_driver iommu_bench_owner_driver = {
	.name = IOMMU_BENCH_OWNER_DRIVER,
	.probe = iommu_bench_owner_probe,
	.remove = iommu_bench_owner_remove,
	.driver_managed_dma = true,
	/* no sysfs bind/unbind: only a run binds it, only a run unbinds it */
	.driver.suppress_bind_attrs = true,
};

static int iommu_bench_dma_probe(struct pci_dev *pdev,
				 const struct pci_device_id *id)
{
	return iommu_bench_fault_probe();
}

static void iommu_bench_dma_remove(struct pci_dev *pdev)
{
}

static struct pci_driver iommu_bench_dma_driver = {
	.name = IOMMU_BENCH_DMA_DRIVER,
	.probe = iommu_bench_dma_probe,
	.remove = iommu_bench_dma_remove,
};

int iommu_bench_drivers_register(void)
{
	int ret = pci_register_driver(&iommu_bench_owner_driver);

	if (ret)
		return ret;
	ret = pci_register_driver(&iommu_bench_dma_driver);
	if (ret)
		pci_unregister_driver(&iommu_bench_owner_driver);
	return ret;
}

bool iommu_bench_driver_is_ours(const struct device_driver *drv)
{
	return drv == &iommu_bench_owner_driver.driver ||
	       drv == &iommu_bench_dma_driver.driver;
}

void iommu_bench_drivers_unregister(void)
{
	pci_unregister_driver(&iommu_bench_dma_driver);
	pci_unregister_driver(&iommu_bench_owner_driver);
}

/* @pdev's driver's name into @buf, "" for none; -E2BIG if cut */
int iommu_bench_driver_name(struct pci_dev *pdev, char *buf, size_t len)
{
	ssize_t n;

	device_lock(&pdev->dev);
	n = strscpy(buf, pdev->dev.driver ? pdev->dev.driver->name : "", len);
	device_unlock(&pdev->dev);
	return n < 0 ? n : 0;
}

/* @pdev's driver_override into @buf, "" for none; -E2BIG if cut */
int iommu_bench_get_override(struct pci_dev *pdev, char *buf, size_t len)
{
	ssize_t n;

#ifdef IOMMU_BENCH_HAVE_DEVICE_DRIVER_OVERRIDE
	spin_lock(&pdev->dev.driver_override.lock);
	n = strscpy(buf, pdev->dev.driver_override.name ?: "", len);
	spin_unlock(&pdev->dev.driver_override.lock);
#else
	device_lock(&pdev->dev);
	n = strscpy(buf, pdev->driver_override ?: "", len);
	device_unlock(&pdev->dev);
#endif
	return n < 0 ? n : 0;
}

/* @name "" clears the override */
int iommu_bench_set_override(struct pci_dev *pdev, const char *name)
{
#ifdef IOMMU_BENCH_HAVE_DEVICE_DRIVER_OVERRIDE
	return device_set_driver_override(&pdev->dev, name);
#else
	return driver_set_override(&pdev->dev, &pdev->driver_override, name,
				   strlen(name));
#endif
}

struct iommu_bench_find {
	const char *name;
	struct device_driver *drv;
};

/*
 * Called with the bus's reference on @drv: a reference on its module
 * keeps it registered (no rmmod) until the attach is done.
 */
static int iommu_bench_find_one(struct device_driver *drv, void *data)
{
	struct iommu_bench_find *f = data;

	if (strcmp(drv->name, f->name) || !try_module_get(drv->owner))
		return 0;
	f->drv = drv;
	return 1;
}

/*
 * Bind @pdev to the driver named @name, as a sysfs bind does: one bound
 * by new_id or by hand is not the first match device_attach() takes.
 */
static int iommu_bench_attach_named(struct pci_dev *pdev, const char *name)
{
	struct iommu_bench_find f = { .name = name };
	int ret;

	bus_for_each_drv(&pci_bus_type, NULL, &f, iommu_bench_find_one);
	if (!f.drv)
		return -ENOENT;
	ret = device_driver_attach(f.drv, &pdev->dev);
	module_put(f.drv->owner);
	return ret;
}

/* Bind @dev to the owning driver, whatever it was bound to. */
int iommu_bench_bind_owner(const struct iommu_bench_target *dev)
{
	struct pci_dev *pdev = iommu_bench_dev_get(dev);
	int ret;

	if (!pdev)
		return -ENODEV;
	ret = iommu_bench_set_override(pdev, IOMMU_BENCH_OWNER_DRIVER);
	if (ret)
		goto out;
	device_release_driver(&pdev->dev);
	WRITE_ONCE(iommu_bench_owner_expected, pdev);
	ret = device_driver_attach(&iommu_bench_owner_driver.driver, &pdev->dev);
	WRITE_ONCE(iommu_bench_owner_expected, NULL);
	if (ret) {
		pr_err("%s: binding %s failed: %d\n", dev->name,
		       IOMMU_BENCH_OWNER_DRIVER, ret);
		iommu_bench_set_override(pdev, dev->override);
	}
out:
	pci_dev_put(pdev);
	return ret;
}

/* Unbind whatever driver @dev has. */
int iommu_bench_unbind(const struct iommu_bench_target *dev)
{
	struct pci_dev *pdev = iommu_bench_dev_get(dev);

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
int iommu_bench_rebind(const struct iommu_bench_target *dev,
		       struct pci_dev *pdev, const char *driver)
{
	char now[IOMMU_BENCH_NAME_LEN];
	int ret;

	/*
	 * On neither its driver, nor ours, nor none: someone else bound it
	 * (the rescan's probe was kept for its own driver).  Theirs: left so.
	 */
	iommu_bench_driver_name(pdev, now, sizeof(now));
	if (now[0] && strcmp(now, driver) &&
	    strcmp(now, IOMMU_BENCH_OWNER_DRIVER) &&
	    strcmp(now, IOMMU_BENCH_DMA_DRIVER)) {
		pci_err(pdev, "its driver changed during the run ('%s', now '%s'): leaving it so\n",
			driver, now);
		return -EBUSY;
	}
	/*
	 * The override it had (vfio-pci, say), not ours; our stand-in is
	 * only ever bound by override, so it keeps one.
	 */
	ret = iommu_bench_set_override(pdev, strcmp(driver, IOMMU_BENCH_DMA_DRIVER) ?
				       dev->override : IOMMU_BENCH_DMA_DRIVER);
	if (ret)
		return ret;
	if (!strcmp(now, driver))
		return 0;
	if (now[0])
		device_release_driver(&pdev->dev);
	if (driver[0])
		ret = iommu_bench_attach_named(pdev, driver);
	iommu_bench_driver_name(pdev, now, sizeof(now));
	if (!strcmp(now, driver))
		return 0;
	pci_err(pdev, "bound to '%s', not '%s' (%d)\n", now, driver, ret);
	/* a probe that a signal interrupted says so: the run was stopped */
	return ret == -EINTR || ret == -ERESTARTSYS ? -EINTR : -EIO;
}

/* Give @dev back the driver it had when the run started. */
int iommu_bench_restore_driver(const struct iommu_bench_target *dev)
{
	struct pci_dev *pdev = iommu_bench_dev_get(dev);
	int ret;

	if (!pdev) {
		pr_err("%s: gone, cannot restore its driver\n", dev->name);
		return -ENODEV;
	}
	ret = iommu_bench_rebind(dev, pdev, dev->driver);
	pci_dev_put(pdev);
	return ret;
}

/* Every device of @run back on the driver it had when the run started. */
void iommu_bench_restore_each_driver(struct iommu_bench_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ctx->ndevs; i++)
		if (!ctx->devs[i].hands_off)
			iommu_bench_restore_driver(&ctx->devs[i]);
}

/*
 * One cycle of a binding mode: @op (unbind, or bind the owner), then give
 * the device its driver back; ns[0] and ns[1] time each, traced as
 * @phases.
 */
int iommu_bench_drive_then_restore(const struct iommu_bench_target *dev, u32 cycle,
			  int (*op)(const struct iommu_bench_target *dev),
			  const u32 phases[2], u64 ns[2])
{
	u64 t0, t1, t2;
	int ret;

	t0 = ktime_get_ns();
	ret = op(dev);
	t1 = ktime_get_ns();
	if (ret)
		return ret;
	iommu_bench_trace_phase(dev, cycle, phases[0], t1 - t0);
	ret = iommu_bench_restore_driver(dev);
	t2 = ktime_get_ns();
	iommu_bench_trace_phase(dev, cycle, phases[1], t2 - t1);
	ns[0] = t1 - t0;
	ns[1] = t2 - t1;
	return ret;
}
