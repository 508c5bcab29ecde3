/* SPDX-License-Identifier: GPL-2.0 */
/* ib_kmod: user-space side of kmod/uapi/iommu_bench.h. */
#ifndef IB_KMOD_CTL_H
#define IB_KMOD_CTL_H

#include <stddef.h>
#include <stdint.h>

#include "iommu_bench.h"

#define IB_CONTROL_PATH IOMMU_BENCH_CONTROL

/*
 * Parse "DDDD:BB:DD.F" (or "BB:DD.F", segment 0; a segment has up to 8
 * hex digits, as VMD's 10000) into @dev.
 *
 * Return: 0, or -EINVAL when @s is no such address.
 */
int ib_pci_parse(const char *s, struct iommu_bench_dev *dev);
/* Write @dev as "DDDD:BB:DD.F" into @buf of @len bytes. */
void ib_pci_format(const struct iommu_bench_dev *dev, char *buf, int len);

/*
 * Open the module's control device @path (IB_CONTROL_PATH).
 *
 * Return: the file descriptor, or a negative errno with the reason in
 * @err: the module not loaded, an older one, no device node, not root.
 */
int ib_kmod_open(const char *path, char *err, size_t errlen);
/*
 * One IOMMU_BENCH_RUN (@flags IOMMU_BENCH_F_CHECK_ONLY: only check the
 * request and the devices).  @timings holds cycles * ndevs entries.
 *
 * Return: 0, or a negative errno: -E2BIG for more than
 * IOMMU_BENCH_MAX_DEVICES devices, else the ioctl's.  *@cycles_done is
 * set either way, but for -E2BIG.
 */
int ib_kmod_run(int fd, uint32_t flags, uint32_t mode,
		const struct iommu_bench_dev *owner,
		const struct iommu_bench_dev *devs,
		uint32_t ndevs, uint32_t cycles, uint32_t first_cycle,
		struct iommu_bench_timing *timings, uint32_t *cycles_done);

/*
 * One IOMMU_BENCH_CALIBRATE: @calls calls of the module's empty function
 * (@spin: turns of a fixed loop in each), their time into *@ns.
 *
 * Return: 0, or the ioctl's negative errno.
 */
int ib_kmod_calibrate(int fd, uint32_t calls, uint32_t flags, uint32_t spin,
		      uint64_t *ns);

#endif
