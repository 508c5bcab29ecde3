// SPDX-License-Identifier: GPL-2.0
/*
 * claim mode: bind iommu_bench_owner (claim: the group goes to blocked)
 * and unbind it (release: back to the default domain), as a cycle.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include "iommu_bench.h"

/*
 * Binding our driver unbinds theirs: the same care as a removal.  And
 * the claim must be able to succeed, or the device is left without the
 * driver it had: no other DMA-API user in its group, no other owner.
 */
static int iommu_bench_claim_check(struct iommu_bench_ctx *ctx)
{
	unsigned int i;
	int ret = iommu_bench_check_each_removable(ctx);

	for (i = 0; i < ctx->ndevs && !ret; i++) {
		struct pci_dev *pdev = iommu_bench_dev_get(&ctx->devs[i]);

		ret = pdev ? iommu_bench_check_group_users(pdev, NULL) :
			     -ENODEV;
		pci_dev_put(pdev);
	}
	return ret;
}

static int iommu_bench_claim_one(struct iommu_bench_ctx *ctx,
				 struct iommu_bench_target *dev,
				 u32 cycle, u64 ns[2])
{
	return iommu_bench_drive_then_restore(dev, cycle,
					      iommu_bench_bind_owner,
					      iommu_bench_mode_claim_ops.phases,
					      ns);
}

static int iommu_bench_claim_cycle(struct iommu_bench_ctx *ctx, u32 cycle,
				   struct iommu_bench_timing *t)
{
	return iommu_bench_each_device(ctx, cycle, t, iommu_bench_claim_one);
}

const struct iommu_bench_mode_ops iommu_bench_mode_claim_ops = {
	.name = "claim",
	.phases = { IOMMU_BENCH_PHASE_CLAIM, IOMMU_BENCH_PHASE_RELEASE },
	.check = iommu_bench_claim_check,
	.cycle = iommu_bench_claim_cycle,
	.teardown = iommu_bench_restore_each_driver,
};
