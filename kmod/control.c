// SPDX-License-Identifier: GPL-2.0
/*
 * iommu_bench control file: /sys/kernel/debug/iommu_bench/control.
 *
 * Two ioctls, IOMMU_BENCH_RUN and IOMMU_BENCH_CALIBRATE, checked field by field in the style of
 * iommufd so that a wrong caller gets an errno and a line in dmesg that
 * names the problem, never a half-started run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "iommu_bench.h"

/* The first and so far only layout: a caller must know all of it. */
#define IB_RUN_SIZE_V1	offsetofend(struct iommu_bench_run, cycles_done)

static DEFINE_MUTEX(ib_run_lock);
static struct dentry *ib_dir;
static u32 ib_abi_version = IOMMU_BENCH_ABI_VERSION;

static int ib_run_check(const struct iommu_bench_run *arg)
{
	unsigned int i;

	if (arg->version != IOMMU_BENCH_ABI_VERSION) {
		pr_err("ABI version %u, this module speaks %u\n",
		       arg->version, IOMMU_BENCH_ABI_VERSION);
		return -EINVAL;
	}
	if ((arg->flags & ~IOMMU_BENCH_F_ALL) || arg->__reserved) {
		pr_err("unknown flags %#x or reserved field not zero\n",
		       arg->flags & ~IOMMU_BENCH_F_ALL);
		return -EINVAL;
	}
	if (!arg->cycles || arg->cycles > IOMMU_BENCH_MAX_CYCLES) {
		pr_err("cycles %u out of range 1..%u\n", arg->cycles,
		       IOMMU_BENCH_MAX_CYCLES);
		return -EINVAL;
	}
	if (!arg->ndevs || arg->ndevs > IOMMU_BENCH_MAX_DEVICES) {
		pr_err("ndevs %u out of range 1..%u\n", arg->ndevs,
		       IOMMU_BENCH_MAX_DEVICES);
		return -EINVAL;
	}
	for (i = 0; i < IOMMU_BENCH_MAX_DEVICES; i++) {
		const struct iommu_bench_dev *d = &arg->devs[i];

		if (d->__reserved || (i >= arg->ndevs &&
				      (d->segment || d->bus || d->devfn))) {
			pr_err("devs[%u]: reserved or unused entry not zero\n",
			       i);
			return -EINVAL;
		}
	}
	if (arg->timings_len &&
	    arg->timings_len / arg->ndevs < arg->cycles) {
		pr_err("timings_len %u < cycles %u * ndevs %u\n",
		       arg->timings_len, arg->cycles, arg->ndevs);
		return -EINVAL;
	}
	if (!arg->timings_len && arg->timings_uptr) {
		pr_err("timings_uptr set with timings_len 0\n");
		return -EINVAL;
	}
	if (arg->owner.__reserved) {
		pr_err("owner: reserved field not zero\n");
		return -EINVAL;
	}
	if (arg->cycles_done) {
		pr_err("cycles_done is an output and must be 0\n");
		return -EINVAL;
	}
	return 0;
}

static long ib_ioctl_run(struct iommu_bench_run __user *uarg)
{
	struct iommu_bench_run *arg;
	u32 usize;
	long ret;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize < IB_RUN_SIZE_V1) {
		pr_err("struct size %u shorter than %zu\n", usize,
		       IB_RUN_SIZE_V1);
		return -EINVAL;
	}
	if (usize > PAGE_SIZE) {
		pr_err("struct size %u larger than a page\n", usize);
		return -E2BIG;
	}

	arg = kzalloc(sizeof(*arg), GFP_KERNEL);
	if (!arg)
		return -ENOMEM;
	ret = copy_struct_from_user(arg, sizeof(*arg), uarg, usize);
	if (ret) {
		if (ret == -E2BIG)
			pr_err("struct size %u: bytes past %zu are not zero\n",
			       usize, sizeof(*arg));
		goto out_free;
	}
	ret = ib_run_check(arg);
	if (ret)
		goto out_free;

	if (!mutex_trylock(&ib_run_lock)) {
		pr_err("a run is already in progress\n");
		ret = -EBUSY;
		goto out_free;
	}
	ret = ib_run_execute(arg);
	mutex_unlock(&ib_run_lock);

	if (put_user(arg->cycles_done, &uarg->cycles_done) && !ret)
		ret = -EFAULT;
out_free:
	kfree(arg);
	return ret;
}

static long ib_ioctl(struct file *file, unsigned int cmd, unsigned long uarg)
{
	switch (cmd) {
	case IOMMU_BENCH_RUN:
		return ib_ioctl_run((struct iommu_bench_run __user *)uarg);
	case IOMMU_BENCH_CALIBRATE:
		return ib_ioctl_calibrate((struct iommu_bench_calibrate __user *)uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations ib_control_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = ib_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static int __init ib_init(void)
{
	int ret = ib_drivers_register();

	if (ret)
		return ret;
	ib_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(ib_dir)) {
		ib_drivers_unregister();
		return PTR_ERR(ib_dir);
	}
	debugfs_create_file("control", 0600, ib_dir, NULL, &ib_control_fops);
	debugfs_create_u32("abi_version", 0444, ib_dir, &ib_abi_version);
	return 0;
}

static void __exit ib_exit(void)
{
	/* An open control file holds a module reference: no run is live. */
	debugfs_remove_recursive(ib_dir);
	ib_drivers_unregister();
}

module_init(ib_init);
module_exit(ib_exit);

MODULE_DESCRIPTION("IOMMU device-release cycle engine for iommu-bench");
MODULE_LICENSE("GPL");
