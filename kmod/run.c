// SPDX-License-Identifier: GPL-2.0
/*
 * iommu_bench run loop: check every device, set the mode up, check every
 * device again before each cycle, cycle, and always tear down, so that
 * every device is present and bound as it was found when the ioctl
 * returns (one that someone else changed during the run is left as they
 * left it).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "iommu_bench.h"

static const struct iommu_bench_mode_ops *const iommu_bench_modes[] = {
	[IOMMU_BENCH_MODE_REMOVE] = &iommu_bench_mode_remove_ops,
	[IOMMU_BENCH_MODE_UNBIND] = &iommu_bench_mode_unbind_ops,
	[IOMMU_BENCH_MODE_OWNED] = &iommu_bench_mode_owned_ops,
	[IOMMU_BENCH_MODE_CLAIM] = &iommu_bench_mode_claim_ops,
	[IOMMU_BENCH_MODE_GROUP] = &iommu_bench_mode_group_ops,
};

const char *iommu_bench_expected_driver(const struct iommu_bench_ctx *ctx,
					const struct iommu_bench_target *dev)
{
	if (dev == &ctx->owner)
		return ctx->owner_changed ? IOMMU_BENCH_OWNER_DRIVER :
					    dev->driver;
	return ctx->drivers_off ? "" : dev->driver;
}

int iommu_bench_each_device(struct iommu_bench_ctx *ctx, u32 cycle,
			    struct iommu_bench_timing *t,
			    int (*fn)(struct iommu_bench_ctx *ctx,
				      struct iommu_bench_target *dev,
				      u32 cycle, u64 ns[2]))
{
	unsigned int i;
	int ret;

	for (i = 0; i < ctx->ndevs; i++) {
		u64 start;

		/* Stop only between devices: each one is whole. */
		if (signal_pending(current))
			return -EINTR;
		iommu_bench_trace_cycle_start(ctx, &ctx->devs[i], cycle);
		start = ktime_get_ns();
		ret = fn(ctx, &ctx->devs[i], cycle, t[i].ns);
		iommu_bench_trace_cycle_end(&ctx->devs[i], cycle, ret,
					    ktime_get_ns() - start);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static int iommu_bench_run_prepare(struct iommu_bench_ctx *ctx)
{
	const struct iommu_bench_run *arg = ctx->arg;
	const struct iommu_bench_dev zero = { 0 };
	unsigned int i, j;
	int ret;

	if (ctx->ops->needs_owner) {
		ret = iommu_bench_dev_init(&ctx->owner, &arg->owner);
		if (ret)
			return ret;
	} else if (memcmp(&arg->owner, &zero, sizeof(zero))) {
		pr_err_ratelimited("%s mode takes no owner device\n",
				   ctx->ops->name);
		return -EINVAL;
	}
	for (i = 0; i < arg->ndevs; i++) {
		ret = iommu_bench_dev_init(&ctx->devs[i], &arg->devs[i]);
		if (ret)
			return ret;
		for (j = 0; j < i; j++) {
			if (!strcmp(ctx->devs[i].name, ctx->devs[j].name)) {
				pr_err("%s: named twice\n", ctx->devs[i].name);
				return -EINVAL;
			}
		}
	}
	ctx->ndevs = arg->ndevs;
	return ctx->ops->check(ctx);
}

/*
 * Before each cycle: is every device (and the owner) still as the run
 * left it, and still not in use?  A long run gives time to mount a file
 * system, start a VM, enable VFs or change a driver.
 */
static int iommu_bench_recheck_all(struct iommu_bench_ctx *ctx, u32 cycle)
{
	unsigned int i;
	int ret = 0;

	if (ctx->ops->needs_owner)
		ret = iommu_bench_recheck(ctx, &ctx->owner, cycle);
	for (i = 0; i < ctx->ndevs && !ret; i++)
		ret = iommu_bench_recheck(ctx, &ctx->devs[i], cycle);
	return ret;
}

struct iommu_bench_teardown {
	struct work_struct work;
	struct completion done;
	struct iommu_bench_ctx *ctx;
};

static void iommu_bench_teardown_fn(struct work_struct *work)
{
	struct iommu_bench_teardown *td =
		container_of(work, struct iommu_bench_teardown, work);

	td->ctx->ops->teardown(td->ctx);
	complete(&td->done);
}

/*
 * In a worker, not in the caller: a signal pending there (the run was
 * interrupted) fails every driver probe that waits interruptibly, and
 * the device would be left with no driver.  The caller waits in slices,
 * so that a slow probe does not look like a hung task.
 */
static void iommu_bench_run_teardown(struct iommu_bench_ctx *ctx)
{
	struct iommu_bench_teardown td = { .ctx = ctx };

	INIT_WORK_ONSTACK(&td.work, iommu_bench_teardown_fn);
	init_completion(&td.done);
	queue_work(system_unbound_wq, &td.work);
	while (!wait_for_completion_timeout(&td.done, 10 * HZ))
		;
	flush_work(&td.work);
	destroy_work_on_stack(&td.work);
}

/* Each cycle after the checks; 0 or the first error. */
static int iommu_bench_run_cycles(struct iommu_bench_ctx *ctx,
				  struct iommu_bench_timing *t)
{
	struct iommu_bench_run *arg = (struct iommu_bench_run *)ctx->arg;
	struct iommu_bench_timing __user *timings =
		u64_to_user_ptr(arg->timings_uptr);
	unsigned int i;
	u32 c;
	int ret = 0;

	for (c = 0; c < arg->cycles; c++) {
		/* between cycles, in every mode: group mode has no other check */
		if (signal_pending(current)) {
			pr_info("%s: interrupted after %u cycles\n",
				ctx->ops->name, c);
			return -EINTR;
		}
		iommu_bench_fault_gap();
		ret = iommu_bench_recheck_all(ctx, arg->first_cycle + c);
		if (ret)
			return ret;
		memset(t, 0, IOMMU_BENCH_MAX_DEVICES * sizeof(*t));
		for (i = 0; i < ctx->ndevs; i++) {
			t[i].dev_index = i;
			t[i].cycle = arg->first_cycle + c;
		}
		ret = ctx->ops->cycle(ctx, arg->first_cycle + c, t);
		/*
		 * A probe that waits interruptibly fails on a pending signal
		 * with its own errno: that is the interruption, and teardown
		 * rebinds the driver.  Other errors stay what they are.
		 */
		if (ret == -ERESTARTSYS)
			ret = -EINTR;
		if (ret == -EINTR)
			pr_info("%s: interrupted after %u cycles\n",
				ctx->ops->name, c);
		if (ret)
			return ret;
		if (timings &&
		    copy_to_user(&timings[c * ctx->ndevs], t,
				 ctx->ndevs * sizeof(*t)))
			return -EFAULT;
		arg->cycles_done = c + 1;
	}
	return 0;
}

int iommu_bench_run_execute(struct iommu_bench_run *arg)
{
	struct iommu_bench_timing *t;
	struct iommu_bench_ctx *ctx;
	int ret;

	if (arg->mode >= ARRAY_SIZE(iommu_bench_modes) ||
	    !iommu_bench_modes[arg->mode]) {
		pr_err_ratelimited("unknown mode %u\n", arg->mode);
		return -EINVAL;
	}
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	t = kcalloc(IOMMU_BENCH_MAX_DEVICES, sizeof(*t), GFP_KERNEL);
	if (!ctx || !t) {
		ret = -ENOMEM;
		goto out_free;
	}
	ctx->arg = arg;
	ctx->ops = iommu_bench_modes[arg->mode];
	ret = iommu_bench_run_prepare(ctx);
	if (ret || (arg->flags & IOMMU_BENCH_F_CHECK_ONLY))
		goto out_free;

	iommu_bench_trace_run_start(arg);
	iommu_bench_override_live(ctx);
	if (ctx->ops->setup)
		ret = ctx->ops->setup(ctx);
	if (!ret)
		ret = iommu_bench_run_cycles(ctx, t);
	iommu_bench_run_teardown(ctx);
	iommu_bench_override_live(NULL);
	iommu_bench_trace_run_end(ret, arg->cycles_done);
out_free:
	kfree(t);
	kfree(ctx);
	return ret;
}
