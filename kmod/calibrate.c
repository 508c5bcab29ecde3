// SPDX-License-Identifier: GPL-2.0
/*
 * iommu_bench calibration: time calls of an empty function.  The
 * collector arms one kind of probe at a time on it (a kprobe with the
 * packs' fetch arguments, a kretprobe, the module's tracepoint) and takes
 * the difference to unprobed calls: the cost of one hit on this machine,
 * which is what a probe inside a timed span adds to it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#define dev_fmt(fmt) pr_fmt(fmt)

#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

#include "iommu_bench.h"
#include "iommu_bench_trace.h"

/* The first size the ioctl knew: a caller must know all of it. */
#define IOMMU_BENCH_CAL_SIZE_V1	offsetofend(struct iommu_bench_calibrate, ns)

/* Calls between two chances to reschedule: a long calibration is fine. */
#define IOMMU_BENCH_CAL_BATCH	1000

static const char iommu_bench_cal_name[] = "iommu_bench_cal";
/* as a struct device: its first word points to its name */
static const char *const iommu_bench_cal_dev = iommu_bench_cal_name;
/* as a struct iommu_domain: its first word is its type */
static const u32 iommu_bench_cal_dom;

/*
 * Known extra work: @n turns of a loop of two instructions (x86-64: dec,
 * jnz; arm64: subs, b.ne), in asm so that no compiler unrolls or removes
 * it.  tests/lab/icount.t reads the turn's length from the disassembly.
 */
static noinline __noipa void iommu_bench_spin(u32 n)
{
	if (!n)
		return;
#if defined(CONFIG_X86_64)
	asm volatile("1: dec %0\n\tjnz 1b" : "+r"(n) : : "cc");
#elif defined(CONFIG_ARM64)
	asm volatile("1: subs %w0, %w0, #1\n\tb.ne 1b" : "+r"(n) : : "cc");
#else
	while (n--)
		barrier();
#endif
}

/*
 * The probed function: not inlined, and no interprocedural optimisation
 * (a clone without its constant arguments would break the fetches).
 */
noinline __noipa void iommu_bench_probe_target(const void *dom,
					       const void *dev)
{
	/* the compiler may not drop the call: it might read them */
	barrier_data((void *)dom);
	barrier_data((void *)dev);
}

long iommu_bench_ioctl_calibrate(struct iommu_bench_calibrate __user *uarg)
{
	struct iommu_bench_calibrate arg = { 0 };
	u32 usize, i;
	u64 start, ns = 0;
	int ret;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize < IOMMU_BENCH_CAL_SIZE_V1) {
		pr_err_ratelimited("calibrate: struct size %u shorter than %zu\n", usize,
		       IOMMU_BENCH_CAL_SIZE_V1);
		return -EINVAL;
	}
	ret = copy_struct_from_user(&arg, sizeof(arg), uarg, usize);
	if (ret) {
		if (ret == -E2BIG)
			pr_err_ratelimited("calibrate: struct size %u: bytes past %zu are not zero\n",
			       usize, sizeof(arg));
		return ret;
	}
	if (arg.version < IOMMU_BENCH_ABI_MIN_VERSION ||
	    arg.version > IOMMU_BENCH_ABI_VERSION) {
		pr_err_ratelimited("calibrate: ABI version %u, this module takes %u to %u\n",
				   arg.version, IOMMU_BENCH_ABI_MIN_VERSION,
				   IOMMU_BENCH_ABI_VERSION);
		return -EINVAL;
	}
	if (arg.flags & ~IOMMU_BENCH_CAL_F_ALL) {
		pr_err_ratelimited("calibrate: unknown flags %#x\n",
		       arg.flags & ~IOMMU_BENCH_CAL_F_ALL);
		return -EINVAL;
	}
	if (!arg.calls || arg.calls > IOMMU_BENCH_MAX_CALLS) {
		pr_err_ratelimited("calibrate: calls %u out of range 1..%u\n", arg.calls,
		       IOMMU_BENCH_MAX_CALLS);
		return -EINVAL;
	}
	if (arg.ns) {
		pr_err_ratelimited("calibrate: ns is an output and must be 0\n");
		return -EINVAL;
	}
	if (arg.spin > IOMMU_BENCH_MAX_SPIN || arg.__reserved) {
		pr_err_ratelimited("calibrate: spin %u out of range 0..%u, or reserved set\n",
		       arg.spin, IOMMU_BENCH_MAX_SPIN);
		return -EINVAL;
	}
	/* timed in batches, so that cond_resched() stays out of the time */
	start = ktime_get_ns();
	for (i = 0; i < arg.calls; i++) {
		if (i && !(i % IOMMU_BENCH_CAL_BATCH)) {
			ns += ktime_get_ns() - start;
			cond_resched();
			start = ktime_get_ns();
		}
		if (arg.flags & IOMMU_BENCH_CAL_F_TRACEPOINT)
			trace_probe_target(iommu_bench_cal_name);
		iommu_bench_probe_target(&iommu_bench_cal_dom, &iommu_bench_cal_dev);
		iommu_bench_spin(arg.spin);
	}
	ns += ktime_get_ns() - start;
	return put_user(ns, &uarg->ns);
}
