// SPDX-License-Identifier: GPL-2.0
/*
 * iommu_bench control device: /dev/iommu_bench, a misc device (not a
 * debugfs file: debugfs gives 32-bit callers no compat_ioctl, and
 * lockdown hides it).  Its ABI version is the module parameter
 * abi_version (read-only).
 *
 * Two ioctls, IOMMU_BENCH_RUN and IOMMU_BENCH_CALIBRATE, checked field
 * by field in the style of iommufd so that a wrong caller gets an errno and a line in dmesg that
 * names the problem, never a half-started run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "iommu_bench.h"

/* The shortest layout: a caller must know all of it. */
#define IOMMU_BENCH_RUN_SIZE_MIN	offsetofend(struct iommu_bench_run, cycles_done)

static DEFINE_MUTEX(iommu_bench_run_lock);
static unsigned int iommu_bench_abi_version = IOMMU_BENCH_ABI_VERSION;
module_param_named(abi_version, iommu_bench_abi_version, uint, 0444);
MODULE_PARM_DESC(abi_version, "the IOMMU_BENCH_ABI_VERSION this module takes (read-only)");

static int iommu_bench_run_check(const struct iommu_bench_run *arg)
{
	unsigned int i;

	if (arg->version < IOMMU_BENCH_ABI_MIN_VERSION ||
	    arg->version > IOMMU_BENCH_ABI_VERSION) {
		pr_err_ratelimited("ABI version %u, this module takes %u to %u\n",
				   arg->version, IOMMU_BENCH_ABI_MIN_VERSION,
				   IOMMU_BENCH_ABI_VERSION);
		return -EINVAL;
	}
	if ((arg->flags & ~IOMMU_BENCH_F_ALL) || arg->__reserved) {
		pr_err_ratelimited("unknown flags %#x or reserved field not zero\n",
		       arg->flags & ~IOMMU_BENCH_F_ALL);
		return -EINVAL;
	}
	if (!arg->cycles || arg->cycles > IOMMU_BENCH_MAX_CYCLES) {
		pr_err_ratelimited("cycles %u out of range 1..%u\n", arg->cycles,
		       IOMMU_BENCH_MAX_CYCLES);
		return -EINVAL;
	}
	if (!arg->ndevs || arg->ndevs > IOMMU_BENCH_MAX_DEVICES) {
		pr_err_ratelimited("ndevs %u out of range 1..%u\n", arg->ndevs,
		       IOMMU_BENCH_MAX_DEVICES);
		return -EINVAL;
	}
	for (i = 0; i < IOMMU_BENCH_MAX_DEVICES; i++) {
		const struct iommu_bench_dev *d = &arg->devs[i];

		if ((d->flags & ~IOMMU_BENCH_DEV_F_ALL) ||
		    (d->flags && arg->version < 3) ||
		    (i >= arg->ndevs && (d->segment || d->bus || d->devfn ||
					 d->flags))) {
			pr_err_ratelimited("devs[%u]: unknown flags %#x, or unused entry not zero\n",
					   i, d->flags);
			return -EINVAL;
		}
	}
	if (arg->timings_len &&
	    arg->timings_len / arg->ndevs < arg->cycles) {
		pr_err_ratelimited("timings_len %u < cycles %u * ndevs %u\n",
		       arg->timings_len, arg->cycles, arg->ndevs);
		return -EINVAL;
	}
	if (!arg->timings_len && arg->timings_uptr) {
		pr_err_ratelimited("timings_uptr set with timings_len 0\n");
		return -EINVAL;
	}
	if (arg->owner.flags) {
		pr_err_ratelimited("owner: flags %#x, and an owner takes none\n",
				   arg->owner.flags);
		return -EINVAL;
	}
	if (arg->cycles_done) {
		pr_err_ratelimited("cycles_done is an output and must be 0\n");
		return -EINVAL;
	}
	return 0;
}

static long iommu_bench_ioctl_run(struct iommu_bench_run __user *uarg)
{
	struct iommu_bench_run *arg;
	u32 usize;
	long ret;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize < IOMMU_BENCH_RUN_SIZE_MIN) {
		pr_err_ratelimited("struct size %u shorter than %zu\n", usize,
		       IOMMU_BENCH_RUN_SIZE_MIN);
		return -EINVAL;
	}
	if (usize > PAGE_SIZE) {
		pr_err_ratelimited("struct size %u larger than a page\n", usize);
		return -E2BIG;
	}

	arg = kzalloc(sizeof(*arg), GFP_KERNEL);
	if (!arg)
		return -ENOMEM;
	ret = copy_struct_from_user(arg, sizeof(*arg), uarg, usize);
	if (ret) {
		if (ret == -E2BIG)
			pr_err_ratelimited("struct size %u: bytes past %zu are not zero\n",
			       usize, sizeof(*arg));
		goto out_free;
	}
	ret = iommu_bench_run_check(arg);
	if (ret)
		goto out_free;

	if (!mutex_trylock(&iommu_bench_run_lock)) {
		pr_err("a run is already in progress\n");
		ret = -EBUSY;
		goto out_free;
	}
	ret = iommu_bench_run_execute(arg);
	mutex_unlock(&iommu_bench_run_lock);

	if (put_user(arg->cycles_done, &uarg->cycles_done) && !ret)
		ret = -EFAULT;
out_free:
	kfree(arg);
	return ret;
}

static long iommu_bench_ioctl(struct file *file, unsigned int cmd,
			      unsigned long uarg)
{
	/*
	 * The device node is root's (0600), but an opened descriptor can be
	 * passed on: every call must come from an administrator.
	 */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case IOMMU_BENCH_RUN:
		return iommu_bench_ioctl_run((struct iommu_bench_run __user *)uarg);
	case IOMMU_BENCH_CALIBRATE:
		return iommu_bench_ioctl_calibrate((struct iommu_bench_calibrate __user *)uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations iommu_bench_control_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = iommu_bench_ioctl,
	/* the structures are laid out alike for 32- and 64-bit callers */
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice iommu_bench_control_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KBUILD_MODNAME,
	.fops = &iommu_bench_control_fops,
	.mode = 0600,
};

static int __init iommu_bench_init(void)
{
	int ret = iommu_bench_drivers_register();

	if (ret)
		return ret;
	ret = iommu_bench_override_register();
	if (ret)
		goto out_drivers;
	ret = misc_register(&iommu_bench_control_dev);
	if (ret)
		goto out_override;
	return 0;
out_override:
	iommu_bench_override_unregister();
out_drivers:
	iommu_bench_drivers_unregister();
	return ret;
}

static void __exit iommu_bench_exit(void)
{
	/* An open control device holds a module reference: no run is live. */
	misc_deregister(&iommu_bench_control_dev);
	iommu_bench_override_unregister();
	iommu_bench_drivers_unregister();
}

module_init(iommu_bench_init);
module_exit(iommu_bench_exit);

MODULE_DESCRIPTION("IOMMU device-release cycle engine for iommu-bench");
MODULE_LICENSE("GPL");
