/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iommu_bench internals shared by the control file and the mode ops.
 */
#ifndef _IOMMU_BENCH_INTERNAL_H
#define _IOMMU_BENCH_INTERNAL_H

#include <linux/pci.h>
#include "uapi/iommu_bench.h"

#define IB_NAME_LEN	32

/* One device of a run, named by address: pci_dev pointers do not survive
 * a remove/rescan, so every cycle looks the device up again.
 */
struct ib_dev {
	u16 segment;
	u8 bus;
	u8 devfn;
	char name[IB_NAME_LEN];
};

struct ib_run {
	const struct iommu_bench_run *arg;
	struct ib_dev devs[IOMMU_BENCH_MAX_DEVICES];
	unsigned int ndevs;
};

/**
 * struct ib_mode_ops - one release scenario
 * @name: mode name, as in trace events and dmesg
 * @check: may @pdev take part in this mode? 0 or -errno, with a pr_err
 * @cycle: run one cycle on @dev, fill @t; the device must be present and
 *	as it was found when this returns, also on error
 */
struct ib_mode_ops {
	const char *name;
	int (*check)(struct pci_dev *pdev);
	int (*cycle)(struct ib_run *run, const struct ib_dev *dev, u32 cycle,
		     struct iommu_bench_timing *t);
};

extern const struct ib_mode_ops ib_mode_remove_ops;

struct pci_dev *ib_dev_get(const struct ib_dev *dev);
int ib_run_execute(struct iommu_bench_run *arg);

#endif /* _IOMMU_BENCH_INTERNAL_H */
