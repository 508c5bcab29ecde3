/* SPDX-License-Identifier: GPL-2.0 */
/* ib_kmod: user-space side of kmod/uapi/iommu_bench.h. */
#ifndef IB_KMOD_CTL_H
#define IB_KMOD_CTL_H

#include <stdint.h>

#include "iommu_bench.h"

#define IB_CONTROL_PATH IOMMU_BENCH_CONTROL

/*
 * Parse "DDDD:BB:DD.F" (or "BB:DD.F", segment 0; a segment has up to 8
 * hex digits, as VMD's 10000); 0 or -EINVAL.
 */
int ib_pci_parse(const char *s, struct iommu_bench_dev *dev);
void ib_pci_format(const struct iommu_bench_dev *dev, char *buf, int len);

/* Open the control device; -errno with a reason in @why. */
int ib_kmod_open(const char *path, const char **why);
/*
 * One IOMMU_BENCH_RUN (@flags IOMMU_BENCH_F_CHECK_ONLY: only check the
 * request and the devices).  @timings holds cycles * ndevs entries.  Returns 0
 * or -errno; *cycles_done is set either way.
 */
int ib_kmod_run(int fd, uint32_t flags, uint32_t mode,
		const struct iommu_bench_dev *owner,
		const struct iommu_bench_dev *devs,
		uint32_t ndevs, uint32_t cycles, uint32_t first_cycle,
		struct iommu_bench_timing *timings, uint32_t *cycles_done);

/* One IOMMU_BENCH_CALIBRATE: @calls calls, their time in *ns; 0 or -errno. */
int ib_kmod_calibrate(int fd, uint32_t calls, uint32_t flags, uint32_t spin,
		      uint64_t *ns);

#endif
