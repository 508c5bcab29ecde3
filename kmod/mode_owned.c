// SPDX-License-Identifier: GPL-2.0
/*
 * owned mode: the owner device is bound to iommu_bench_owner, which
 * claims DMA ownership of the group (blocked domain, as under VFIO); then
 * the other named devices of that group are removed and rescanned.  On a
 * kernel that attaches the release domain without looking, each release
 * is a switch to the domain the group is already on: a redundant switch.
 * The owner itself is never removed: the core WARNs when the last device
 * of an owned group goes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include "iommu_bench.h"

static int iommu_bench_owned_check(struct iommu_bench_ctx *ctx)
{
	struct pci_dev *owner = iommu_bench_dev_get(&ctx->owner);
	unsigned int i;
	int ret;

	if (!owner)
		return -ENODEV;
	/* its driver is unbound for ours: the same care as a removal */
	ret = iommu_bench_check_removable(&ctx->owner, owner);
	for (i = 0; i < ctx->ndevs && !ret; i++) {
		struct pci_dev *pdev = iommu_bench_dev_get(&ctx->devs[i]);

		if (!strcmp(ctx->devs[i].name, ctx->owner.name)) {
			pr_err("%s: is the owner, and the owner is never removed\n",
			       ctx->owner.name);
			ret = -EINVAL;
		} else if (!pdev) {
			ret = -ENODEV;
		} else {
			ret = iommu_bench_check_removable(&ctx->devs[i], pdev);
			if (!ret && !iommu_bench_dev_same_group(owner, pdev)) {
				pr_err("%s: not in the IOMMU group of owner %s\n",
				       ctx->devs[i].name, ctx->owner.name);
				ret = -EINVAL;
			}
		}
		pci_dev_put(pdev);
	}
	/* before any driver is unbound: the claim must be able to succeed */
	if (!ret)
		ret = iommu_bench_check_group_users(owner, ctx);
	pci_dev_put(owner);
	return ret;
}

/*
 * The group must have no DMA-API user for the claim: the devices named
 * for removal lose their drivers first (a rescan could not rebind them
 * while the group is owned anyway); teardown gives them back.
 */
static int iommu_bench_owned_setup(struct iommu_bench_ctx *ctx)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ctx->ndevs; i++) {
		ret = iommu_bench_unbind(&ctx->devs[i]);
		if (ret)
			return ret;
	}
	ctx->drivers_off = true;
	/* the owner loses its driver even when the claim then fails */
	ctx->owner_changed = true;
	return iommu_bench_bind_owner(&ctx->owner);
}

static void iommu_bench_owned_teardown(struct iommu_bench_ctx *ctx)
{
	/* owner first: its group must be released before drivers rebind */
	if (ctx->owner_changed && !ctx->owner.hands_off)
		iommu_bench_restore_driver(&ctx->owner);
	ctx->owner_changed = false;
	iommu_bench_restore_each_driver(ctx);
}

const struct iommu_bench_mode_ops iommu_bench_mode_owned_ops = {
	.name = "owned",
	.phases = { IOMMU_BENCH_PHASE_REMOVE, IOMMU_BENCH_PHASE_RESCAN },
	.needs_owner = true,
	.check = iommu_bench_owned_check,
	.setup = iommu_bench_owned_setup,
	/* the cycle is remove mode's: only the group's state differs */
	.cycle = iommu_bench_remove_cycle,
	.teardown = iommu_bench_owned_teardown,
};
