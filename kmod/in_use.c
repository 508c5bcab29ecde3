// SPDX-License-Identifier: GPL-2.0
/*
 * What a server is using, looked for in the device tree below a PCI
 * device, so that the module itself refuses it: the uapi is public, and
 * the collector's own checks are only a courtesy.
 *
 *  - an IOMMU group claimed by a user (a VM, VFIO or iommufd);
 *  - a network interface that is up (an SSH session, an NFS root);
 *  - the device of an enabled console;
 *  - an open block device: mounted, swapped on, held by dm or md, or
 *    opened by a process, whatever the caller's root is (a chroot, a
 *    container, overlayfs, NFS); and a path of an NVMe multipath disk,
 *    whose own disk is elsewhere in the tree.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include <linux/blkdev.h>
#include <linux/console.h>
#include <linux/iommu.h>
#include <linux/netdevice.h>

#include "iommu_bench.h"

#define IOMMU_BENCH_MAX_CONSOLES	8

struct iommu_bench_use {
	const struct iommu_bench_target *dev;
	struct pci_dev *pdev;
	char consoles[IOMMU_BENCH_MAX_CONSOLES][IOMMU_BENCH_NAME_LEN];
	unsigned int nconsoles;
	bool vt;		/* a virtual terminal is a console */
};

/* The names of the enabled consoles, as /sys/class/tty/console/active. */
static void iommu_bench_consoles(struct iommu_bench_use *use)
{
	struct console *con;

#ifdef IOMMU_BENCH_HAVE_CONSOLE_LIST_LOCK
	console_list_lock();
#else
	console_lock();
#endif
	for_each_console(con) {
		if (!(con->flags & CON_ENABLED) || con->index < 0)
			continue;
		if (!strcmp(con->name, "tty"))
			use->vt = true;
		if (use->nconsoles < IOMMU_BENCH_MAX_CONSOLES)
			snprintf(use->consoles[use->nconsoles++],
				 IOMMU_BENCH_NAME_LEN, "%s%d", con->name,
				 con->index);
	}
#ifdef IOMMU_BENCH_HAVE_CONSOLE_LIST_LOCK
	console_list_unlock();
#else
	console_unlock();
#endif
}

static bool iommu_bench_class_is(struct device *d, const char *name)
{
	return d->class && !strcmp(d->class->name, name);
}

static int iommu_bench_in_use_one(struct device *d, void *data)
{
	struct iommu_bench_use *use = data;
	unsigned int i;

	if (iommu_bench_class_is(d, "net")) {
		struct net_device *nd = to_net_dev(d);

		if (!(READ_ONCE(nd->flags) & IFF_UP))
			return 0;
		if (use->dev->flags & IOMMU_BENCH_DEV_F_NET_UP) {
			pci_warn(use->pdev, "network interface %s is up; taken anyway, as the caller asked (IOMMU_BENCH_DEV_F_NET_UP)\n",
				 netdev_name(nd));
			return 0;
		}
		pci_err(use->pdev, "has network interface %s up: its traffic (an SSH session, an NFS root) would drop; refusing (bring it down, or force this device)\n",
			netdev_name(nd));
		return -EBUSY;
	}
	if (iommu_bench_class_is(d, "tty")) {
		for (i = 0; i < use->nconsoles; i++) {
			if (!strcmp(dev_name(d), use->consoles[i])) {
				pci_err(use->pdev, "is the device of console %s, refusing\n",
					use->consoles[i]);
				return -EBUSY;
			}
		}
	}
	if (use->vt && iommu_bench_class_is(d, "graphics")) {
		pci_err(use->pdev, "holds frame buffer %s, which a virtual terminal console draws on, refusing\n",
			dev_name(d));
		return -EBUSY;
	}
#ifdef CONFIG_BLOCK
	if (iommu_bench_class_is(d, "block")) {
		struct block_device *bdev = dev_to_bdev(d);

		if (atomic_read(&bdev->bd_openers)) {
			pci_err(use->pdev, "its block device %s is open (mounted, swap, held by dm or md, or by a process), refusing\n",
				dev_name(d));
			return -EBUSY;
		}
		/*
		 * A hidden disk is one path of an NVMe native multipath
		 * device (nvmeXcYnZ), whose disk hangs off its subsystem, not
		 * off this device, or a namespace the kernel cannot expose:
		 * whether that one is in use cannot be seen here.
		 */
		if (bdev->bd_disk->flags & GENHD_FL_HIDDEN) {
			unsigned int x, y, z;
			char end;

			if (sscanf(dev_name(d), "nvme%uc%un%u%c", &x, &y, &z, &end) == 3)
				pci_err(use->pdev, "its disk %s is a path of an NVMe multipath disk, whose use this module cannot see, refusing\n",
					dev_name(d));
			else
				pci_err(use->pdev, "its disk %s is hidden (a namespace the kernel cannot expose), whose use this module cannot see, refusing\n",
					dev_name(d));
			return -EBUSY;
		}
	}
#endif
	return device_for_each_child(d, use, iommu_bench_in_use_one);
}

/*
 * @d's driver if it uses the DMA API (is not driver_managed_dma), read
 * once.  No device_lock: the group's lock is held, and a probe takes them
 * the other way round; the claim stays the authority.
 */
static struct pci_driver *iommu_bench_dma_api_driver(struct device *d)
{
	struct device_driver *drv = READ_ONCE(d->driver);

	if (!dev_is_pci(d) || !drv || to_pci_driver(drv)->driver_managed_dma)
		return NULL;
	return to_pci_driver(drv);
}

static int iommu_bench_dma_api_user(struct device *d, void *data)
{
	return iommu_bench_dma_api_driver(d) != NULL;
}

/*
 * Does a user (VFIO, iommufd, a VM) own @group's DMA?  The core's count
 * of claims also counts the DMA-API drivers bound in it, but it lets no
 * owner in beside them: a claimed group with no such driver is owned.
 */
static bool iommu_bench_group_owned(struct iommu_group *group)
{
	return iommu_group_dma_owner_claimed(group) &&
	       !iommu_group_for_each_dev(group, NULL, iommu_bench_dma_api_user);
}

/*
 * Is @pdev (which @dev names) a device a user, a session, a console or a
 * file system needs?  0, or -EBUSY with the reason in the log.
 */
int iommu_bench_check_in_use(const struct iommu_bench_target *dev,
			     struct pci_dev *pdev)
{
	struct iommu_bench_use *use;
	struct device_driver *drv;
	struct iommu_group *group;
	int ret = 0;

	/*
	 * A device on vfio-pci (or any driver_managed_dma driver but ours)
	 * whose group is claimed is a VM's: its removal waits for the VM
	 * to let go, holding the PCI rescan lock all the while.
	 */
	group = iommu_group_get(&pdev->dev);
	device_lock(&pdev->dev);
	drv = pdev->dev.driver;
	if (group && drv && to_pci_driver(drv)->driver_managed_dma &&
	    !iommu_bench_driver_is_ours(drv) &&
	    iommu_bench_group_owned(group)) {
		pci_err(pdev, "is bound to %s and its IOMMU group %d is claimed by a user (a VM, VFIO or iommufd), refusing\n",
			drv->name, iommu_group_id(group));
		ret = -EBUSY;
	}
	device_unlock(&pdev->dev);
	iommu_group_put(group);
	if (ret)
		return ret;

	use = kzalloc(sizeof(*use), GFP_KERNEL);
	if (!use)
		return -ENOMEM;
	use->dev = dev;
	use->pdev = pdev;
	iommu_bench_consoles(use);
	ret = device_for_each_child(&pdev->dev, use, iommu_bench_in_use_one);
	kfree(use);
	return ret;
}

/* Nobody (VFIO, iommufd, another run) owns @pdev's group's DMA yet. */
int iommu_bench_check_unclaimed(struct pci_dev *pdev)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	int ret = 0;

	if (group && iommu_bench_group_owned(group)) {
		pci_err(pdev, "its IOMMU group %d is already claimed (a VM, VFIO or iommufd), refusing\n",
			iommu_group_id(group));
		ret = -EBUSY;
	}
	iommu_group_put(group);
	return ret;
}

struct iommu_bench_group_user {
	struct pci_dev *pdev;
	const struct iommu_bench_ctx *ctx;
};

/*
 * A group member that is not @pdev (nor, with a ctx, the owner or a
 * named device), bound to a driver that uses the DMA API, makes a claim
 * of the group fail with -EPERM after a driver was already unbound.
 */
static int iommu_bench_group_user_one(struct device *d, void *data)
{
	struct iommu_bench_group_user *gu = data;
	struct pci_driver *drv;
	struct pci_dev *other;

	if (!dev_is_pci(d) || d == &gu->pdev->dev)
		return 0;
	other = to_pci_dev(d);
	if (gu->ctx && (iommu_bench_dev_is(&gu->ctx->owner, other) ||
			iommu_bench_ctx_names(gu->ctx, other)))
		return 0;
	drv = iommu_bench_dma_api_driver(d);
	if (drv) {
		pci_err(other, "in the IOMMU group of %s and bound to %s, which uses the DMA API: the claim would fail; name it or unbind it\n",
			pci_name(gu->pdev), drv->name);
		return -EBUSY;
	}
	return 0;
}

/* Could @pdev's group be claimed (its DMA owned) by the module? */
int iommu_bench_check_group_users(struct pci_dev *pdev,
				  const struct iommu_bench_ctx *ctx)
{
	struct iommu_bench_group_user gu = { .pdev = pdev, .ctx = ctx };
	struct iommu_group *group = iommu_group_get(&pdev->dev);
	int ret;

	if (!group)
		return -ENODEV;
	ret = iommu_group_for_each_dev(group, &gu, iommu_bench_group_user_one);
	if (!ret)
		ret = iommu_bench_check_unclaimed(pdev);
	iommu_group_put(group);
	return ret;
}
