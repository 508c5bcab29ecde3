// SPDX-License-Identifier: GPL-2.0
/*
 * iommu_bench run loop: check every device once, set the mode up, cycle,
 * and always tear down, so that every device is present and bound as it
 * was found when the ioctl returns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "iommu_bench.h"

#define CREATE_TRACE_POINTS
#include "iommu_bench_trace.h"

static const struct ib_mode_ops *const ib_modes[] = {
	[IOMMU_BENCH_MODE_REMOVE] = &ib_mode_remove_ops,
	[IOMMU_BENCH_MODE_UNBIND] = &ib_mode_unbind_ops,
	[IOMMU_BENCH_MODE_OWNED] = &ib_mode_owned_ops,
	[IOMMU_BENCH_MODE_CLAIM] = &ib_mode_claim_ops,
	[IOMMU_BENCH_MODE_GROUP] = &ib_mode_group_ops,
};

void ib_trace_phase(const struct ib_dev *dev, u32 cycle, u32 phase, u64 ns)
{
	trace_phase_end(dev->name, cycle, phase, ns);
}

void ib_trace_cycle_start(const struct ib_dev *dev, u32 cycle)
{
	struct pci_dev *pdev;
	struct iommu_domain *dom = NULL;

	if (!trace_cycle_start_enabled())
		return;
	pdev = pci_get_domain_bus_and_slot(dev->segment, dev->bus, dev->devfn);
	if (pdev)
		dom = iommu_get_domain_for_dev(&pdev->dev);
	/* the address is only compared with the packs' fetches of it */
	trace_cycle_start(dev->name, cycle, (u64)(unsigned long)dom,
			  dom ? dom->type : U32_MAX);
	pci_dev_put(pdev);
}

void ib_trace_cycle_end(const struct ib_dev *dev, u32 cycle, int ret, u64 ns)
{
	trace_cycle_end(dev->name, cycle, ret, ns);
}

int ib_each_device(struct ib_run *run, u32 cycle,
		   struct iommu_bench_timing *t,
		   int (*fn)(struct ib_run *run, const struct ib_dev *dev,
			     u32 cycle, u64 ns[2]))
{
	unsigned int i;
	int ret;

	for (i = 0; i < run->ndevs; i++) {
		u64 start;

		/* Stop only between devices: each one is whole. */
		if (signal_pending(current))
			return -EINTR;
		ib_trace_cycle_start(&run->devs[i], cycle);
		start = ktime_get_ns();
		ret = fn(run, &run->devs[i], cycle, t[i].ns);
		trace_cycle_end(run->devs[i].name, cycle, ret,
				ktime_get_ns() - start);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static int ib_run_prepare(struct ib_run *run)
{
	const struct iommu_bench_run *arg = run->arg;
	const struct iommu_bench_dev zero = { 0 };
	unsigned int i, j;
	int ret;

	if (run->ops->needs_owner) {
		ret = ib_dev_init(&run->owner, &arg->owner);
		if (ret)
			return ret;
	} else if (memcmp(&arg->owner, &zero, sizeof(zero))) {
		pr_err("%s mode takes no owner device\n", run->ops->name);
		return -EINVAL;
	}
	for (i = 0; i < arg->ndevs; i++) {
		ret = ib_dev_init(&run->devs[i], &arg->devs[i]);
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
	return run->ops->check(run);
}

struct ib_teardown {
	struct work_struct work;
	struct ib_run *run;
};

static void ib_teardown_fn(struct work_struct *work)
{
	struct ib_teardown *td = container_of(work, struct ib_teardown, work);

	td->run->ops->teardown(td->run);
}

/*
 * In a worker, not in the caller: a signal pending there (the run was
 * interrupted) fails every driver probe that waits interruptibly, and
 * the device would be left with no driver.
 */
static void ib_run_teardown(struct ib_run *run)
{
	struct ib_teardown td = { .run = run };

	INIT_WORK_ONSTACK(&td.work, ib_teardown_fn);
	queue_work(system_unbound_wq, &td.work);
	flush_work(&td.work);
	destroy_work_on_stack(&td.work);
}

int ib_run_execute(struct iommu_bench_run *arg)
{
	struct iommu_bench_timing __user *timings =
		u64_to_user_ptr(arg->timings_uptr);
	struct iommu_bench_timing *t;
	struct ib_run *run;
	unsigned int i;
	u32 c;
	int ret;

	if (arg->mode >= ARRAY_SIZE(ib_modes) || !ib_modes[arg->mode]) {
		pr_err("unknown mode %u\n", arg->mode);
		return -EINVAL;
	}
	run = kzalloc(sizeof(*run), GFP_KERNEL);
	t = kcalloc(IOMMU_BENCH_MAX_DEVICES, sizeof(*t), GFP_KERNEL);
	if (!run || !t) {
		ret = -ENOMEM;
		goto out_free;
	}
	run->arg = arg;
	run->ops = ib_modes[arg->mode];
	ret = ib_run_prepare(run);
	if (ret || (arg->flags & IOMMU_BENCH_F_CHECK_ONLY))
		goto out_free;

	trace_run_start(arg->mode, arg->ndevs, arg->cycles, arg->first_cycle);
	if (run->ops->setup) {
		ret = run->ops->setup(run);
		if (ret)
			goto out;
	}
	for (c = 0; c < arg->cycles; c++) {
		/* between cycles, in every mode: group mode has no other check */
		if (signal_pending(current)) {
			ret = -EINTR;
			pr_info("%s: interrupted after %u cycles\n",
				run->ops->name, c);
			break;
		}
		memset(t, 0, IOMMU_BENCH_MAX_DEVICES * sizeof(*t));
		for (i = 0; i < run->ndevs; i++) {
			t[i].dev_index = i;
			t[i].cycle = arg->first_cycle + c;
		}
		ret = run->ops->cycle(run, arg->first_cycle + c, t);
		/*
		 * A probe that waits interruptibly fails on a pending signal:
		 * that is the interruption, and teardown rebinds the driver.
		 */
		if (ret && signal_pending(current))
			ret = -EINTR;
		if (ret == -EINTR)
			pr_info("%s: interrupted after %u cycles\n",
				run->ops->name, c);
		if (ret)
			break;
		if (timings &&
		    copy_to_user(&timings[c * run->ndevs], t,
				 run->ndevs * sizeof(*t))) {
			ret = -EFAULT;
			break;
		}
		arg->cycles_done = c + 1;
	}
out:
	ib_run_teardown(run);
	trace_run_end(ret, arg->cycles_done);
out_free:
	kfree(t);
	kfree(run);
	return ret;
}
