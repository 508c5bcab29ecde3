// SPDX-License-Identifier: GPL-2.0
/*
 * group mode: every non-bridge device of one IOMMU group, all named,
 * removed in turn (the group empties as they go), then each scanned for
 * again on its own bus (a group can span buses: ports without ACS).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include <linux/iommu.h>
#include <linux/ktime.h>

#include "iommu_bench.h"

struct iommu_bench_group_count {
	struct iommu_bench_ctx *ctx;
	unsigned int members, named;
};

static int iommu_bench_group_count_one(struct device *dev, void *data)
{
	struct iommu_bench_group_count *gc = data;
	struct pci_dev *pdev;

	if (!dev_is_pci(dev))
		return 0;
	pdev = to_pci_dev(dev);
	if ((pdev->class >> 16) == PCI_BASE_CLASS_BRIDGE)
		return 0;
	gc->members++;
	if (iommu_bench_ctx_names(gc->ctx, pdev))
		gc->named++;
	return 0;
}

/* All named devices form one whole group, bridges aside. */
static int iommu_bench_group_check(struct iommu_bench_ctx *ctx)
{
	struct iommu_bench_group_count gc = { .ctx = ctx };
	struct iommu_group *group;
	struct pci_dev *first;
	int ret = iommu_bench_check_each_removable(ctx);
	unsigned int i;

	if (ret)
		return ret;
	first = iommu_bench_dev_get(&ctx->devs[0]);
	if (!first)
		return -ENODEV;
	for (i = 1; i < ctx->ndevs && !ret; i++) {
		struct pci_dev *pdev = iommu_bench_dev_get(&ctx->devs[i]);

		if (!pdev || !iommu_bench_dev_same_group(first, pdev)) {
			pr_err("%s: not in the IOMMU group of %s\n",
			       ctx->devs[i].name, ctx->devs[0].name);
			ret = -EINVAL;
		}
		pci_dev_put(pdev);
	}
	group = iommu_group_get(&first->dev);
	pci_dev_put(first);
	if (ret || !group)
		goto out;
	iommu_group_for_each_dev(group, &gc, iommu_bench_group_count_one);
	if (gc.named != gc.members) {
		pr_err("group mode: %u devices named, the group of %s has %u besides bridges: name them all\n",
		       gc.named, ctx->devs[0].name, gc.members);
		ret = -EINVAL;
	}
out:
	iommu_group_put(group);
	return ret;
}

static int iommu_bench_group_cycle(struct iommu_bench_ctx *ctx, u32 cycle,
				   struct iommu_bench_timing *t)
{
	struct pci_bus *bus[IOMMU_BENCH_MAX_DEVICES];
	u64 start[IOMMU_BENCH_MAX_DEVICES], t0, t1, rescan;
	unsigned int i, n = 0;
	int ret = 0;

	pci_lock_rescan_remove();
	for (i = 0; i < ctx->ndevs; i++) {
		struct pci_dev *pdev = iommu_bench_dev_get(&ctx->devs[i]);

		if (!pdev) {
			pr_err("%s: gone before cycle %u\n", ctx->devs[i].name,
			       cycle);
			ret = -ENODEV;
			break;
		}
		/* Bridges are never named: no bus goes with a removal. */
		bus[i] = pdev->bus;
		get_device(&bus[i]->dev);
		iommu_bench_trace_cycle_start(ctx, &ctx->devs[i], cycle);
		start[i] = ktime_get_ns();
		pci_stop_and_remove_bus_device(pdev);
		t0 = ktime_get_ns();
		pci_dev_put(pdev);
		t[i].ns[0] = t0 - start[i];
		iommu_bench_trace_phase(&ctx->devs[i], cycle,
					IOMMU_BENCH_PHASE_REMOVE, t[i].ns[0]);
		n++;
	}
	/* Whatever was removed comes back, also after an error. */
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		iommu_bench_rescan_fn(bus[i], ctx->devs[i].devfn);
		put_device(&bus[i]->dev);
	}
	t1 = ktime_get_ns();
	rescan = t1 - t0;
	for (i = 0; i < n; i++) {
		const char *drv = iommu_bench_expected_driver(ctx, &ctx->devs[i]);
		int r;

		t[i].ns[1] = rescan;
		iommu_bench_trace_phase(&ctx->devs[i], cycle,
					IOMMU_BENCH_PHASE_RESCAN, rescan);
		r = iommu_bench_dev_back(&ctx->devs[i], cycle, drv);
		ret = ret ? ret : r;
		iommu_bench_trace_cycle_end(&ctx->devs[i], cycle, r,
					    t1 - start[i]);
	}
	pci_unlock_rescan_remove();
	return ret;
}

const struct iommu_bench_mode_ops iommu_bench_mode_group_ops = {
	.name = "group",
	.phases = { IOMMU_BENCH_PHASE_REMOVE, IOMMU_BENCH_PHASE_RESCAN },
	.check = iommu_bench_group_check,
	.cycle = iommu_bench_group_cycle,
	.teardown = iommu_bench_restore_each_driver,
};
