// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for the tests, built only with IOMMU_BENCH_FAULTS=1
 * (the lab's build; a shipped module has none of it): the stand-in
 * driver's probe fails, or waits as a driver loading firmware does, so
 * that the tests can show a failed rebind retried and an interrupted one
 * rebound; and cycles can be spaced out, so that a test can change a
 * device between two cycles of one run.
 */
#include <linux/delay.h>
#include <linux/moduleparam.h>

#include "iommu_bench.h"

static unsigned int dma_probe_failures;
module_param(dma_probe_failures, uint, 0600);
MODULE_PARM_DESC(dma_probe_failures,
		 "iommu_bench_dma fails this many probes to come (-EIO)");

static unsigned int dma_probe_wait_ms;
module_param(dma_probe_wait_ms, uint, 0600);
MODULE_PARM_DESC(dma_probe_wait_ms,
		 "iommu_bench_dma's probe waits this long (at most 1000 ms), interruptibly: -EINTR if a signal is pending");

static unsigned int cycle_gap_ms;
module_param(cycle_gap_ms, uint, 0600);
MODULE_PARM_DESC(cycle_gap_ms,
		 "wait this long (at most 1000 ms) before each cycle, interruptibly");

void iommu_bench_fault_gap(void)
{
	unsigned int gap = min(READ_ONCE(cycle_gap_ms), 1000U);

	if (gap)
		msleep_interruptible(gap);
}

int iommu_bench_fault_probe(void)
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
