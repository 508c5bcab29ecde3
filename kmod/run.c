// SPDX-License-Identifier: GPL-2.0
/*
 * iommu_bench run loop: validate every device once, then cycle them in
 * order, timing each cycle in the kernel and tracing its boundaries.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "iommu_bench.h"

#define CREATE_TRACE_POINTS
#include "iommu_bench_trace.h"

static const struct ib_mode_ops *const ib_modes[] = {
	[IOMMU_BENCH_MODE_REMOVE] = &ib_mode_remove_ops,
};

struct pci_dev *ib_dev_get(const struct ib_dev *dev)
{
	return pci_get_domain_bus_and_slot(dev->segment, dev->bus, dev->devfn);
}

static int ib_dev_prepare(const struct ib_mode_ops *ops,
			  const struct iommu_bench_dev *in, struct ib_dev *dev)
{
	struct pci_dev *pdev;
	int ret;

	dev->segment = in->segment;
	dev->bus = in->bus;
	dev->devfn = in->devfn;
	snprintf(dev->name, sizeof(dev->name), "%04x:%02x:%02x.%d",
		 in->segment, in->bus, PCI_SLOT(in->devfn),
		 PCI_FUNC(in->devfn));

	pdev = ib_dev_get(dev);
	if (!pdev) {
		pr_err("%s: no such PCI device\n", dev->name);
		return -ENODEV;
	}
	ret = ops->check(pdev);
	pci_dev_put(pdev);
	return ret;
}

static int ib_run_prepare(struct ib_run *run, const struct ib_mode_ops *ops)
{
	const struct iommu_bench_run *arg = run->arg;
	unsigned int i, j;
	int ret;

	for (i = 0; i < arg->ndevs; i++) {
		ret = ib_dev_prepare(ops, &arg->devs[i], &run->devs[i]);
		if (ret)
			return ret;
		for (j = 0; j < i; j++) {
			if (!strcmp(run->devs[i].name, run->devs[j].name)) {
				pr_err("%s: named twice\n", run->devs[i].name);
				return -EINVAL;
			}
		}
	}
	run->ndevs = arg->ndevs;
	return 0;
}

int ib_run_execute(struct iommu_bench_run *arg)
{
	struct iommu_bench_timing __user *timings =
		u64_to_user_ptr(arg->timings_uptr);
	const struct ib_mode_ops *ops = NULL;
	struct ib_run run = { .arg = arg };
	u32 c, cycle;
	unsigned int i;
	int ret;

	if (arg->mode < ARRAY_SIZE(ib_modes))
		ops = ib_modes[arg->mode];
	if (!ops) {
		pr_err("unknown mode %u\n", arg->mode);
		return -EINVAL;
	}
	ret = ib_run_prepare(&run, ops);
	if (ret || (arg->flags & IOMMU_BENCH_F_CHECK_ONLY))
		return ret;

	trace_run_start(arg->mode, arg->ndevs, arg->cycles, arg->first_cycle);
	for (c = 0; c < arg->cycles; c++) {
		cycle = arg->first_cycle + c;
		for (i = 0; i < run.ndevs; i++) {
			struct iommu_bench_timing t = {
				.dev_index = i,
				.cycle = cycle,
			};
			u64 start;

			/* Stop only between cycles: every device is present. */
			if (signal_pending(current)) {
				pr_info("%s: interrupted after %u cycles\n",
					ops->name, c);
				ret = -EINTR;
				goto out;
			}
			trace_cycle_start(run.devs[i].name, cycle);
			start = ktime_get_ns();
			ret = ops->cycle(&run, &run.devs[i], cycle, &t);
			trace_cycle_end(run.devs[i].name, cycle, ret,
					ktime_get_ns() - start);
			if (ret)
				goto out;
			if (timings &&
			    copy_to_user(&timings[c * run.ndevs + i], &t,
					 sizeof(t))) {
				ret = -EFAULT;
				goto out;
			}
			cond_resched();
		}
		arg->cycles_done = c + 1;
	}
out:
	trace_run_end(ret, arg->cycles_done);
	return ret;
}
